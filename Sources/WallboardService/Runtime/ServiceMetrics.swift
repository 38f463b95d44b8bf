import CoreMetrics
import Foundation
import Prometheus
import WallboardDispatch

/// The service's metrics, kept in a registry of its own (so two services in one process, as in
/// tests, never share counters) and read out in Prometheus' text format at `/metrics`.
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let snapshotAge: CoreMetrics.Gauge

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Door boards should see a commit within tens of milliseconds; walls within a second.
        factory.defaultDurationHistogramBuckets = [.milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(30), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5)]
        self.factory = factory
        snapshotAge = CoreMetrics.Gauge(label: "wallboard_snapshot_age_seconds", factory: factory)
    }

    func board(_ id: String) -> BoardMetrics {
        let dimensions = [("board", id)]
        return BoardMetrics(
            framesRendered: CoreMetrics.Counter(label: "wallboard_frames_rendered_total", dimensions: dimensions, factory: factory),
            framesChanged: CoreMetrics.Counter(label: "wallboard_frames_changed_total", dimensions: dimensions, factory: factory),
            snapshotsBound: CoreMetrics.Counter(label: "wallboard_snapshots_bound_total", dimensions: dimensions, factory: factory),
            bytesSent: CoreMetrics.Counter(label: "wallboard_bytes_sent_total", dimensions: dimensions, factory: factory),
            sendErrors: CoreMetrics.Counter(label: "wallboard_send_errors_total", dimensions: dimensions, factory: factory),
            commitToWire: CoreMetrics.Timer(label: "wallboard_commit_to_wire_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory),
            textSubstitutions: CoreMetrics.Counter(label: "wallboard_text_substitutions_total", dimensions: dimensions, factory: factory),
            deliveryWakeups: CoreMetrics.Counter(label: "wallboard_delivery_wakeups_total", dimensions: dimensions, factory: factory)
        )
    }

    /// Rows the reader found a problem in, by table and problem, each counted when it first appears.
    func dataIssues(table: String, problem: DataIssue.Problem) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: "wallboard_data_issues_total", dimensions: [("table", table), ("problem", problem.prometheusName)], factory: factory)
    }

    /// The Prometheus text, with the snapshot age as of `now`.
    func exposition(snapshotAge age: TimeInterval?) -> String {
        snapshotAge.record(age ?? -1)
        return registry.emitToString()
    }
}

extension DataIssue.Problem {
    /// The problem as a label value: its case name in snake case (`future_timestamp`).
    var prometheusName: String {
        String(describing: self).reduce(into: "") { name, character in
            if character.isUppercase { name += "_" + character.lowercased() } else { name.append(character) }
        }
    }
}

/// One board's counters.
struct BoardMetrics: Sendable {
    let framesRendered: CoreMetrics.Counter
    /// Renders whose frame differed from the one before.
    let framesChanged: CoreMetrics.Counter
    /// Snapshots bound: those that changed what the board can show (or whether the data is stale).
    let snapshotsBound: CoreMetrics.Counter
    let bytesSent: CoreMetrics.Counter
    let sendErrors: CoreMetrics.Counter
    /// From the snapshot read that followed a commit to the last byte of the frame written.
    let commitToWire: CoreMetrics.Timer
    /// Characters in the data the board shows a placeholder for, each counted once.
    let textSubstitutions: CoreMetrics.Counter
    /// Times the board's delivery task woke to see what was due: for an idle board, a few a minute.
    let deliveryWakeups: CoreMetrics.Counter
}

extension ServiceMetrics {
    func processor(_ id: String) -> ProcessorMetrics {
        ProcessorMetrics(id: id, factory: factory)
    }
}
