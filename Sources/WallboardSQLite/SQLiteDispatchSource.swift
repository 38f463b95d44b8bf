import Foundation
import WallboardDispatch
import WallboardSupport

/// The dispatch state from a SQLite database that another process writes.
///
/// Opens the file read-only (never writes, never changes its journal mode), polls
/// `PRAGMA data_version` on one dedicated connection every `pollInterval`, and on a change reads
/// one snapshot in a single read transaction. Failures (file missing, not a database, locked,
/// interface missing) are reported through `health`; the last good snapshot is kept, and the
/// source retries every `retryInterval` until the cause goes away. A file with a rollback journal
/// is read, and named in `health.warning`: its writers need a busy timeout.
///
///     let source = SQLiteDispatchSource(configuration: .init(path: "dispatch.db"))
///     Task { await source.run() }
///     for await state in source.states() { render(state.snapshot, state.health) }
public final class SQLiteDispatchSource: PastMomentSource {
    public let configuration: SQLiteSourceConfiguration
    private let publisher: SourcePublisher

    public init(configuration: SQLiteSourceConfiguration) {
        self.configuration = configuration
        publisher = SourcePublisher(wallClock: configuration.wallClock)
    }

    public var currentState: SourceState { publisher.currentState }

    public func states() -> AsyncStream<SourceState> {
        publisher.states(keepingNewest: 1)
    }

    /// Like `states()`, but a slow consumer sees up to `count` states it has not taken yet
    /// (for recorders that want every snapshot).
    public func states(keepingNewest count: Int) -> AsyncStream<SourceState> {
        publisher.states(keepingNewest: count)
    }

    public func run() async {
        let poller = SQLitePoller(configuration: configuration)
        let clock = ContinuousClock()
        var needsRead = true
        var dayEndsAt: Date?
        var nextPoll = clock.now
        while !Task.isCancelled {
            let delay: Duration
            do {
                switch try await poller.poll(readAnyway: needsRead || dayEnded(dayEndsAt)) {
                case .changed(let snapshot, let journalWarning):
                    needsRead = false
                    dayEndsAt = configuration.dayBoundary.nextDayStart(after: snapshot.dayStart)
                    publisher.warn(journalWarning)
                    publisher.publish(snapshot)
                case .unchanged:
                    publisher.confirm()
                }
                delay = configuration.pollInterval
            } catch {
                needsRead = true
                // A file that vanished or turned into something else is reopened from scratch.
                if error.kind == .unreachable || error.kind == .notADatabase { await poller.close() }
                publisher.report(error)
                delay = configuration.retryInterval
            }
            // Polls keep a steady cadence however long the work took; after a stall, start afresh.
            nextPoll = max(nextPoll.advanced(by: delay), clock.now)
            try? await Task.sleep(until: nextPoll, clock: clock)
        }
        await poller.close()
        publisher.finish()
    }

    public func snapshot(at moment: Date) async throws -> DispatchSnapshot {
        // A connection of its own, so a long replay read never delays the live poll.
        try await readOnce { reader throws(SourceProblem) in try reader.readSnapshot(at: moment) }
    }

    /// Reads one snapshot now, outside `run()`: for one-shot commands and measurements.
    public func readSnapshotOnce() async throws -> DispatchSnapshot {
        try await readOnce { reader throws(SourceProblem) in try reader.readSnapshot() }
    }

    /// Opens a connection of its own on a queue of its own, reads, and closes.
    private func readOnce(_ read: @escaping @Sendable (SQLiteSnapshotReader) throws(SourceProblem) -> DispatchSnapshot) async throws(SourceProblem) -> DispatchSnapshot {
        try await DispatchQueue(label: "wallboard.sqlite.once").perform { [configuration] () throws(SourceProblem) -> DispatchSnapshot in
            let reader = SQLiteSnapshotReader(configuration: configuration)
            try reader.open()
            defer { reader.close() }
            return try read(reader)
        }
    }

    /// Whether the data's clock has reached `dayEndsAt` (the midnight after the current snapshot's
    /// day): today's figures must start again even if nothing was written.
    private func dayEnded(_ dayEndsAt: Date?) -> Bool {
        guard let dayEndsAt, let snapshot = currentState.snapshot else { return false }
        return snapshot.dataTime(atWall: configuration.wallClock()) >= dayEndsAt
    }
}
