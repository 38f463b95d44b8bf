import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization
import WallboardDispatch
import WallboardSupport

/// The dispatch state from PostgreSQL servers: a primary, or hot standbys, or both.
///
/// It holds one connection, to the first host that answers, and finds out what that host is:
/// - **primary:** `LISTEN wallboard_changed` (the triggers of `notify-postgres.sql`); notifications
///   that arrive together make one read, and one that cannot concern the configured scope (another
///   station's vehicles) makes none; a slow check of `pg_current_wal_lsn()` catches any change
///   whose notification was lost, unless notifications that were skipped explain the WAL's moving.
/// - **standby:** LISTEN is refused there, so it polls the replay position every `pollInterval` and
///   reads when it moved. While the standby has received changes it has not yet replayed, the data
///   is as old as the oldest of them: a replica that falls behind shows the "数据中断" banner.
///
/// After every connect it reads in full before trusting notifications, so a change committed while
/// it was away is never lost. When the host is lost it tries the hosts again in order.
/// Each snapshot is one `REPEATABLE READ READ ONLY` transaction; the session cannot write.
public final class PostgresDispatchSource: PastMomentSource {
    public let configuration: PostgresSourceConfiguration
    private let publisher: SourcePublisher
    private let logger: Logger
    private let skipped = Atomic<Int>(0)
    static let channel = "wallboard_changed"

    /// Notifications that could not concern the scope, and so made no read.
    public var skippedNotifications: Int { skipped.load(ordering: .relaxed) }

    public init(configuration: PostgresSourceConfiguration, logger: Logger = Logger(label: "wallboard.postgres")) {
        self.configuration = configuration
        self.logger = logger
        publisher = SourcePublisher(wallClock: configuration.wallClock)
    }

    public var currentState: SourceState { publisher.currentState }

    public func states() -> AsyncStream<SourceState> {
        publisher.states(keepingNewest: 1)
    }

    public func run() async {
        while !Task.isCancelled {
            var connected = false
            for host in configuration.connection.hosts {
                guard !Task.isCancelled else { break }
                do {
                    let session = try await PostgresSession.open(host, configuration, logger: logger)
                    connected = true
                    logger.info("reading \(session.endpoint.description)")
                    do {
                        try await follow(session)
                    } catch {
                        publisher.report(PostgresProblems.problem(error, host: host, settings: configuration.connection, statementTimeout: configuration.statementTimeout))
                    }
                    await session.close()
                    break
                } catch {
                    publisher.report(error)
                }
            }
            if !connected { try? await Task.sleep(for: configuration.retryInterval) }
        }
        publisher.finish()
    }

    public func snapshot(at moment: Date) async throws -> DispatchSnapshot {
        try await withOneShotSession { try await $0.readSnapshot(at: moment) }
    }

    public func readSnapshotOnce() async throws -> DispatchSnapshot {
        try await withOneShotSession { try await $0.readSnapshot() }
    }

    /// A connection of its own to the first host that answers, so a long replay read never delays the live one.
    private func withOneShotSession(_ body: (PostgresSession) async throws -> DispatchSnapshot) async throws -> DispatchSnapshot {
        var lastProblem = SourceProblem(kind: .unreachable, message: "no PostgreSQL host is configured")
        for host in configuration.connection.hosts {
            let session: PostgresSession
            do {
                session = try await PostgresSession.open(host, configuration, logger: logger)
            } catch {
                lastProblem = error
                continue
            }
            do {
                let snapshot = try await body(session)
                await session.close()
                return snapshot
            } catch {
                await session.close()
                throw error
            }
        }
        throw lastProblem
    }

    /// Reads and watches one session until it is lost (throws) or the task is cancelled.
    private func follow(_ session: PostgresSession) async throws {
        if session.role == .standby {
            try await followStandby(session)
        } else {
            try await followPrimary(session)
        }
    }

    private func followPrimary(_ session: PostgresSession) async throws {
        let wake = Wake()
        session.connection.closeFuture.whenComplete { _ in wake.signal(.lost) }
        try await session.connection.listen(on: Self.channel) { notifications in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [self] in
                    for try await notification in notifications {
                        if ChangeNotice(payload: notification.payload).concerns(configuration.scope) {
                            wake.signal(.changed)
                        } else {
                            skipped.add(1, ordering: .relaxed)
                            wake.signal(.skipped)
                        }
                    }
                    wake.signal(.lost)
                }
                group.addTask { [configuration] in
                    while !Task.isCancelled {
                        try await Task.sleep(for: configuration.safetyPollInterval)
                        wake.signal(.safetyCheck)
                    }
                }
                defer { group.cancelAll() }
                // Notifications are trusted only from here: everything before is in this first read.
                var walPosition = try await session.currentWALPosition()
                publisher.publish(try await session.readSnapshot(), from: session.endpoint)
                // The WAL moved for commits whose notifications were skipped: no read for those.
                var skippedSinceCheck = false
                for await events in wake.events {
                    if events.contains(.lost) || Task.isCancelled { break }
                    if events.contains(.skipped) { skippedSinceCheck = true }
                    if events.contains(.changed) {
                        walPosition = try await session.currentWALPosition()
                        publisher.publish(try await session.readSnapshot(), from: session.endpoint)
                    } else if events.contains(.safetyCheck) {
                        let position = try await session.currentWALPosition()
                        if (position != walPosition && !skippedSinceCheck) || dayEnded() {
                            publisher.publish(try await session.readSnapshot(), from: session.endpoint)
                        } else {
                            publisher.confirm(from: session.endpoint)
                        }
                        walPosition = position
                        skippedSinceCheck = false
                    }
                }
            }
        }
        guard Task.isCancelled else {
            throw SourceProblem(kind: .unreachable, message: "\(session.host): the server closed the connection; reconnecting")
        }
    }

    private func followStandby(_ session: PostgresSession) async throws {
        let clock = ContinuousClock()
        var lag = ReplayLag()
        var readAt: Double?
        var nextPoll = clock.now
        while !Task.isCancelled {
            let position = try await session.replayPosition()
            guard position.inRecovery else {
                throw SourceProblem(kind: .unreachable, message: "\(session.host) was promoted to primary; reconnecting to listen there")
            }
            let now = clock.now
            let current = lag.observe(position, at: now)
            if readAt == nil || position.replayed != readAt || dayEnded() {
                readAt = position.replayed
                publisher.publish(try await session.readSnapshot(), from: session.endpoint, asOf: current ?? now)
            } else if let current {
                publisher.confirm(asOf: current, from: session.endpoint)
            } else {
                publisher.report(SourceProblem(kind: .unreachable, message: "\(session.host) is a standby that has lost its primary (no WAL receiver); its data may be behind"))
            }
            nextPoll = max(nextPoll.advanced(by: configuration.pollInterval), clock.now)
            try await Task.sleep(until: nextPoll, clock: clock)
        }
    }

    /// Whether the data's clock has passed the midnight after the current snapshot's day: today's
    /// figures must start again even if nothing was written.
    private func dayEnded() -> Bool {
        guard let snapshot = currentState.snapshot else { return false }
        let dayEndsAt = configuration.dayBoundary.nextDayStart(after: snapshot.dayStart)
        return snapshot.dataTime(atWall: configuration.wallClock()) >= dayEndsAt
    }
}

/// How far behind a standby's replay is, as time: each received WAL position is noted with the
/// moment it was first seen; once replay has passed it, the data is current as of that moment.
struct ReplayLag {
    private var pending: [(position: Double, seenAt: ContinuousClock.Instant)] = []
    private var currentAsOf: ContinuousClock.Instant?

    /// The moment the replayed data is current as of; nil while the standby is not streaming from
    /// its primary (nothing says how far behind it is).
    mutating func observe(_ position: ReplayPosition, at now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let replayed = position.replayed else { return position.streaming ? now : nil }
        if let received = position.received, received > replayed, received > (pending.last?.position ?? -1) {
            pending.append((received, now))
        }
        while let first = pending.first, first.position <= replayed {
            currentAsOf = first.seenAt
            pending.removeFirst()
        }
        guard position.streaming else { return nil }
        if pending.isEmpty { currentAsOf = now }
        return currentAsOf ?? now
    }
}

/// Events for the primary's loop, coalesced: however many arrive while a read runs, one read follows.
final class Wake: Sendable {
    struct Events: OptionSet, Sendable {
        let rawValue: Int
        static let changed = Events(rawValue: 1)
        static let safetyCheck = Events(rawValue: 2)
        static let lost = Events(rawValue: 4)
        /// A notification that could not concern the scope.
        static let skipped = Events(rawValue: 8)
    }

    private let pending = Mutex(Events())
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func signal(_ event: Events) {
        pending.withLock { _ = $0.insert(event) }
        continuation.yield()
        if event == .lost { continuation.finish() }
    }

    /// The events since the last take, each time one arrives.
    var events: AsyncMapSequence<AsyncStream<Void>, Events> {
        stream.map { [self] in take() }
    }

    private func take() -> Events {
        pending.withLock { events in
            defer { events = [] }
            return events
        }
    }
}
