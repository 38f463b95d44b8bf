import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import WallboardDispatch

/// Runs the dispatch source and tells every board when its state changes. Boards read the
/// newest state when they wake, so a board that is busy never queues up old snapshots.
public final class SourceFeed: Service, Sendable {
    public let source: any DispatchStateSource
    /// How long without a confirmed read before boards show the "data interrupted" banner.
    public let staleAfter: TimeInterval
    /// Where a problem with the data, and its end, are written: once each, not on every retry.
    let logger: Logger
    /// Counts each row the reader found a problem in when the problem first appears.
    let metrics: ServiceMetrics
    /// The boards' time of day, watched for steps.
    let wallClock: @Sendable () -> Date

    private struct Shared {
        var state = SourceState(snapshot: nil, health: SourceHealth())
        /// Counts new snapshots, so a board rebinds its layout only when the data changed.
        var snapshotGeneration = 0
        var listeners: [Doorbell] = []
        /// The previous snapshot's data issues: an issue still there is not logged or counted again.
        var knownIssues: Set<DataIssue> = []
        /// Per station scope of boards, the part of a snapshot they can show as last worked out:
        /// once per snapshot for all the boards of a scope, not once per board.
        var parts: [ReadScope: (generation: Int, part: SnapshotPart, revision: Int)] = [:]
    }

    private let shared = Mutex(Shared())

    public init(
        source: any DispatchStateSource, staleAfter: TimeInterval, logger: Logger, metrics: ServiceMetrics,
        wallClock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.wallClock = wallClock
        self.source = source
        self.staleAfter = staleAfter
        self.logger = logger
        self.metrics = metrics
    }

    /// The newest state and its snapshot generation. The health's `confirmedAt` comes straight
    /// from the source, which confirms without publishing.
    var current: (state: SourceState, generation: Int) {
        let live = source.currentState
        return shared.withLock { shared in
            var state = shared.state
            state.health = live.health
            return (state, shared.snapshotGeneration)
        }
    }

    /// `current`, with the revision of the part of the snapshot boards of `scope` can show: the
    /// generation at which that part last changed, so a board that bound it has nothing new to
    /// bind while it stays the same. For the whole centre, every new read is a new revision.
    func current(readBy scope: ReadScope) -> (state: SourceState, generation: Int, revision: Int) {
        let live = source.currentState
        return shared.withLock { shared in
            var state = shared.state
            state.health = live.health
            let generation = shared.snapshotGeneration
            guard let snapshot = state.snapshot else { return (state, generation, generation) }
            if let known = shared.parts[scope], known.generation == generation { return (state, generation, known.revision) }
            guard let part = SnapshotPart(snapshot, readBy: scope) else { return (state, generation, generation) }
            let revision = shared.parts[scope].flatMap { $0.part == part ? $0.revision : nil } ?? generation
            shared.parts[scope] = (generation, part, revision)
            return (state, generation, revision)
        }
    }

    /// When the data went stale, if it is stale at `now`: the last confirmed read, for the
    /// banner's "since" time.
    func staleSince(_ health: SourceHealth, now: Date) -> Date? {
        guard health.isStale(now: now, threshold: staleAfter) else { return nil }
        return health.confirmedAt ?? health.problemSince ?? now
    }

    func listen(_ bell: Doorbell) {
        shared.withLock { $0.listeners.append(bell) }
    }

    public func run() async {
        let states = source.states()
        let source = self.source
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await source.run() }
                group.addTask { await self.ringWhenStaleOrStepped() }
                for await state in states {
                    self.publish(state)
                }
            }
        }
    }

    /// Wakes every board when the data goes stale (to show the banner) and when the wall clock
    /// is stepped (to show the new time): a board sleeps until what it shows can next change by
    /// itself, which may be a minute away, and the source confirms reads without publishing.
    private func ringWhenStaleOrStepped() async {
        let started = ContinuousClock.now
        // The confirmation whose going stale the boards were rung for; nil while the data is
        // current. A new confirmation that goes stale between two looks is another staleness.
        var rungFor: Confirmation?
        var clockOffset: Double?
        while !Task.isCancelled {
            let now = wallClock()
            let offset = now.timeIntervalSince1970 - (ContinuousClock.now - started).inSeconds
            let stepped = clockOffset.map { abs(offset - $0) > Self.clockStep } ?? false
            clockOffset = offset
            let health = source.currentState.health
            let age = health.age(now: now)
            let stale = age.map { $0 > staleAfter } ?? true
            let staleSince = stale ? Confirmation(at: health.confirmedAt, uptime: health.confirmedUptime) : nil
            if stepped || (staleSince != nil && staleSince != rungFor) {
                for bell in shared.withLock({ $0.listeners }) { bell.ring() }
            }
            rungFor = staleSince
            // Every second for steps, or just past the moment the last confirmation goes stale.
            let wait = stale ? 1 : min(1, max(0.05, staleAfter - (age ?? 0) + 0.01))
            try? await Task.sleep(for: .milliseconds(Int64((wait * 1000).rounded(.up))))
        }
    }

    /// A moment the source confirmed its data (both nil: never).
    private struct Confirmation: Equatable {
        var at: Date?
        var uptime: ContinuousClock.Instant?
    }

    /// How far the wall clock must move against the monotonic one between two looks to count as stepped.
    static let clockStep = 0.5

    private func publish(_ state: SourceState) {
        let (listeners, earlier, newIssues) = shared.withLock { shared -> ([Doorbell], SourceHealth, [DataIssue]) in
            var newIssues: [DataIssue] = []
            if let snapshot = state.snapshot, snapshot.isAnotherRead(than: shared.state.snapshot) {
                shared.snapshotGeneration += 1
                newIssues = snapshot.issues.filter { !shared.knownIssues.contains($0) }
                shared.knownIssues = Set(snapshot.issues)
            }
            let earlier = shared.state.health
            shared.state = state
            return (shared.listeners, earlier, newIssues)
        }
        for bell in listeners { bell.ring() }
        log(from: earlier, to: state.health)
        for issue in newIssues {
            logger.warning("dispatch data: \(issue)", metadata: ["table": "\(issue.table)"])
            metrics.dataIssues(table: issue.table, problem: issue.problem).increment()
        }
    }

    /// A new kind of problem is written, not each wording of it (a file "removed while open" is
    /// next reported as one that "does not exist").
    private func log(from earlier: SourceHealth, to health: SourceHealth) {
        if let problem = health.problem, problem.kind != earlier.problem?.kind {
            logger.error("dispatch data unavailable: \(problem.message)", metadata: ["cause": "\(problem.kind)"])
        } else if health.problem == nil, let problem = earlier.problem {
            let since = earlier.problemSince.map { " after \(Int((health.lastSnapshotAt ?? Date()).timeIntervalSince($0).rounded())) s" } ?? ""
            logger.notice("dispatch data read again\(since)", metadata: ["cause": "\(problem.kind)"])
        }
        if let warning = health.warning, warning != earlier.warning {
            logger.warning("\(warning)")
        }
    }
}
