import Foundation
import Logging
import ServiceLifecycle
import WallboardConfig
import WallboardDispatch
import WallboardLayout
import WallboardProcessors
import WallboardProtocols

/// One video-wall processor kept in step with the dispatch state, its schedule and its operator:
/// the link's own task keeps it in sight (`NovaStarLink`), and a control task sends what is wanted
/// and not yet applied. A preset is loaded once when the rules start wanting it, never again while
/// they keep wanting it; after the processor comes back (or first becomes ready) everything wanted
/// is sent again.
final class ProcessorRuntime: Service, Sendable {
    let monitor: ProcessorMonitor
    let link: NovaStarLink
    let feed: SourceFeed
    let metrics: ProcessorMetrics
    let timeZone: TimeZone
    /// The time of day for the schedule; tests pass one they can step.
    let wallClock: @Sendable () -> Date
    let logger: Logger

    /// How often the control task looks at the link and the clock when nothing rings.
    static let checkInterval: Duration = .milliseconds(100)

    var configuration: ProcessorConfiguration { monitor.configuration }

    init(monitor: ProcessorMonitor, link: NovaStarLink, feed: SourceFeed, metrics: ProcessorMetrics, timeZone: TimeZone,
         wallClock: @escaping @Sendable () -> Date, logger: Logger)
    {
        self.monitor = monitor
        self.link = link
        self.feed = feed
        self.metrics = metrics
        self.timeZone = timeZone
        self.wallClock = wallClock
        self.logger = logger
        feed.listen(monitor.bell)
    }

    func run() async {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.link.run() }
                group.addTask { await self.controlLoop() }
            }
        }
    }

    /// What the processor should show now: the operator's holds over the rules and the schedule.
    struct Wanted: Equatable {
        var preset: String?
        /// Percent; nil: leave it as it is.
        var brightness: Int?
        var blackScreen: Bool?
    }

    /// `automatic`: the rules' preset for the newest snapshot; nil before the first.
    func wanted(automatic: String?, holds: ProcessorMonitor.Holds, at now: Date) -> Wanted {
        let scheduled = configuration.brightness?.entry(at: TimeOfDay.of(now, in: timeZone))
        let schedulesBlack = configuration.brightness?.entries.contains(where: \.off) ?? false
        // A rule that wants another preset than the normal one (an emergency) lifts the night's black screen.
        let emergency = automatic.map { $0 != ProcessorConfiguration.normalPreset } ?? false
        let black = holds.blackScreen ?? (schedulesBlack ? scheduled?.off == true && !emergency : nil)
        let level = holds.brightness ?? (scheduled?.off == true ? nil : scheduled?.level)
        return Wanted(
            preset: holds.preset ?? automatic,
            brightness: black == true ? nil : level.map { Int(($0 * 100).rounded()) },
            blackScreen: black
        )
    }

    /// The preset of the first rule whose condition holds in `snapshot`, else `normal`.
    static func automaticPreset(for snapshot: DispatchSnapshot, rules: [ProcessorRule]) -> String {
        rules.first { $0.condition.holds(in: snapshot) }?.preset ?? ProcessorConfiguration.normalPreset
    }

    private func controlLoop() async {
        var applied = Wanted()
        // After a command went unanswered, when to try again.
        var retryAt = ContinuousClock.now
        var wasOnline = false
        var hadSignal = true
        while !Task.isCancelled {
            let status = await link.status
            let now = wallClock()
            let automatic = feed.current.state.snapshot.map { Self.automaticPreset(for: $0, rules: configuration.rules) }
            let wanted = wanted(automatic: automatic, holds: monitor.holds, at: now)
            monitor.record(link: status, automaticPreset: automatic, at: now)
            metrics.record(status, preset: monitor.report.preset, presets: configuration.presets.map(\.name))
            if status.online != wasOnline {
                logTransition(online: status.online, status: status)
                wasOnline = status.online
            }
            let signalLost = if case .lost = status.signal { true } else { false }
            if signalLost == hadSignal {
                if signalLost {
                    metrics.fault(command: NovaStarCommand.slotSignal.rawValue).increment()
                    logger.warning("processor \(configuration.id): the wall PC's input lost its signal (\(status.signal))", metadata: ["processor": "\(configuration.id)"])
                } else {
                    logger.notice("processor \(configuration.id): the wall PC's input has its signal again", metadata: ["processor": "\(configuration.id)"])
                }
                hadSignal = !signalLost
            }
            if !(status.online && status.ready) {
                if applied != Wanted() { monitor.forgetApplied() }
                applied = Wanted()
            } else if ContinuousClock.now >= retryAt {
                do throws(NovaStarLink.CommandError) {
                    try await apply(wanted, over: &applied)
                } catch {
                    monitor.recordFault(error.description, at: wallClock())
                    metrics.fault(command: error.command).increment()
                    logger.warning("processor \(configuration.id): \(error)", metadata: ["processor": "\(configuration.id)"])
                    if case .noReply = error { retryAt = .now + link.timing.heartbeat }
                }
            }
            await monitor.bell.wait(until: .now + Self.checkInterval)
        }
    }

    /// Sends what `wanted` asks and `applied` does not hold yet. A refused command counts as applied,
    /// so that it is not sent again until what is wanted changes or the processor reconnects.
    private func apply(_ wanted: Wanted, over applied: inout Wanted) async throws(NovaStarLink.CommandError) {
        if let name = wanted.preset, let number = configuration.preset(named: name) {
            try await send(name, over: &applied.preset, refused: monitor.recordPresetRefused) { name throws(NovaStarLink.CommandError) in
                try await link.loadPreset(number)
                monitor.recordPresetLoaded(name)
                metrics.presetLoad(name).increment()
                logger.info("processor \(configuration.id): preset \(name) (\(number)) loaded", metadata: ["processor": "\(configuration.id)"])
            }
        }
        try await send(wanted.blackScreen, over: &applied.blackScreen) { black throws(NovaStarLink.CommandError) in
            try await link.setBlackScreen(black)
            monitor.recordBlackScreen(black)
            metrics.blackScreen(black)
        }
        try await send(wanted.brightness, over: &applied.brightness) { percent throws(NovaStarLink.CommandError) in
            try await link.setBrightness(percent)
            monitor.recordBrightness(percent)
            metrics.brightness(percent)
        }
    }

    /// Runs `command` for `wanted` unless `applied` holds it already. An unanswered command is
    /// forgotten, to be sent again; a refused one stays applied.
    private func send<Value: Equatable>(
        _ wanted: Value?, over applied: inout Value?, refused: () -> Void = {},
        _ command: (Value) async throws(NovaStarLink.CommandError) -> Void
    ) async throws(NovaStarLink.CommandError) {
        guard let wanted, wanted != applied else { return }
        applied = wanted
        do throws(NovaStarLink.CommandError) {
            try await command(wanted)
        } catch {
            if case .noReply = error { applied = nil } else { refused() }
            throw error
        }
    }

    private func logTransition(online: Bool, status: NovaStarLink.Status) {
        if online {
            logger.notice("processor \(configuration.id) answers at \(link.processor)", metadata: ["processor": "\(configuration.id)"])
        } else if status.missedHeartbeats >= NovaStar.missedHeartbeatsUntilOffline {
            logger.warning("processor \(configuration.id) at \(link.processor) is offline: \(status.missedHeartbeats) heartbeats unanswered", metadata: ["processor": "\(configuration.id)"])
        }
    }
}

extension ProcessorRule.Condition {
    /// Whether the condition holds for an active incident of `snapshot` (which also holds closed
    /// incidents that vehicles still work, and those never hold a preset).
    func holds(in snapshot: DispatchSnapshot) -> Bool {
        switch self {
        case .massCasualty: snapshot.incidents.contains { $0.isActive && ContextBuilder.isMassCasualty($0) }
        case .criticalIncident: snapshot.incidents.contains { $0.isActive && $0.priority == .critical }
        }
    }
}

extension NovaStarLink.CommandError {
    /// The wire name of the command that failed.
    var command: String {
        switch self {
        case .refused(let fault): fault.command
        case .noReply(let command, _): command.rawValue
        }
    }
}
