import CoreMetrics
import WallboardProcessors

/// One video-wall processor's metrics, labelled `processor`: its state as gauges (1 or 0, the
/// brightness in percent), preset loads by preset and faults by the command that failed.
struct ProcessorMetrics: Sendable {
    let id: String
    let factory: any MetricsFactory
    let online: CoreMetrics.Gauge
    let ready: CoreMetrics.Gauge
    /// 1 while the wall PC's input has lost its signal.
    let signalLost: CoreMetrics.Gauge

    init(id: String, factory: any MetricsFactory) {
        self.id = id
        self.factory = factory
        let dimensions = [("processor", id)]
        online = CoreMetrics.Gauge(label: "wallboard_processor_online", dimensions: dimensions, factory: factory)
        ready = CoreMetrics.Gauge(label: "wallboard_processor_ready", dimensions: dimensions, factory: factory)
        signalLost = CoreMetrics.Gauge(label: "wallboard_processor_signal_lost", dimensions: dimensions, factory: factory)
    }

    /// `wallboard_processor_preset{processor,preset}`: 1 for the preset loaded, 0 for the others.
    func record(_ status: NovaStarLink.Status, preset loaded: String?, presets: [String]) {
        online.record(status.online ? 1 : 0)
        ready.record(status.ready ? 1 : 0)
        let lost = if case .lost = status.signal { 1 } else { 0 }
        signalLost.record(lost)
        for preset in presets {
            CoreMetrics.Gauge(label: "wallboard_processor_preset", dimensions: [("processor", id), ("preset", preset)], factory: factory)
                .record(preset == loaded ? 1 : 0)
        }
    }

    func presetLoad(_ preset: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: "wallboard_processor_preset_loads_total", dimensions: [("processor", id), ("preset", preset)], factory: factory)
    }

    /// Refused or unanswered commands, by the command's wire name (`W0605`).
    func fault(command: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: "wallboard_processor_faults_total", dimensions: [("processor", id), ("command", command)], factory: factory)
    }

    /// Percent as last sent.
    func brightness(_ percent: Int) {
        CoreMetrics.Gauge(label: "wallboard_processor_brightness_percent", dimensions: [("processor", id)], factory: factory).record(percent)
    }

    func blackScreen(_ black: Bool) {
        CoreMetrics.Gauge(label: "wallboard_processor_black_screen", dimensions: [("processor", id)], factory: factory).record(black ? 1 : 0)
    }
}
