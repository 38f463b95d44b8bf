import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization
import WallboardDispatch
import WallboardInterface
import WallboardSupport

/// One connection to one server, read-only, with what the source learnt about the server.
/// Queries run on threads of their own (`readQueue`), never on Swift's cooperative pool, so that
/// the shared synchronous query code can wait for each answer.
package final class PostgresSession: Sendable {
    /// What one read leaves for the next.
    private struct Carried: Sendable {
        var settled: SettledDay?
        var yesterday: YesterdayRows?
        /// The last read's COMMIT, checked when the next read starts.
        var unconfirmedCommit: EventLoopFuture<PostgresQueryResult>?
    }

    let connection: PostgresConnection
    let host: PostgresSettings.Host
    let role: SourceEndpoint.Role
    /// The optional parts of the interface the server has, as checked on connecting.
    private let features: InterfaceFeatures
    private let configuration: PostgresSourceConfiguration
    private let logger: Logger
    private let carried = Mutex(Carried())
    private let prepared = PreparedStatements()
    private static let readQueue = DispatchQueue(label: "wallboard.postgres.read", attributes: .concurrent)

    var endpoint: SourceEndpoint { SourceEndpoint(host: host.description, role: role) }

    private init(connection: PostgresConnection, host: PostgresSettings.Host, role: SourceEndpoint.Role, features: InterfaceFeatures,
                 configuration: PostgresSourceConfiguration, logger: Logger) {
        self.connection = connection
        self.host = host
        self.role = role
        self.features = features
        self.configuration = configuration
        self.logger = logger
    }

    /// Connects to `host`, learns whether it is a primary or a standby and checks the interface.
    package static func open(_ host: PostgresSettings.Host, _ configuration: PostgresSourceConfiguration, logger: Logger) async throws(SourceProblem) -> PostgresSession {
        // The session can never write, whatever the statements say; no statement runs away.
        let connection = try await configuration.connection.connect(to: host, logger: logger, parameters: [
            ("default_transaction_read_only", "on"),
            ("statement_timeout", "\(Int(configuration.statementTimeout.inMilliseconds))"),
        ], connectTimeout: configuration.connectTimeout)
        do {
            let session = try await readQueue.perform {
                let blocking = BlockingConnection(connection: connection, logger: logger, timeout: configuration.statementTimeout + .seconds(2))
                let recovering = try blocking.firstFlag("SELECT pg_is_in_recovery()")
                let features = try PostgresInterfaceCheck.verify(blocking)
                return PostgresSession(connection: connection, host: host, role: recovering ? .standby : .primary, features: features,
                                       configuration: configuration, logger: logger)
            }
            return session
        } catch {
            try? await connection.close()
            throw PostgresProblems.problem(error, host: host, settings: configuration.connection)
        }
    }

    package func close() async {
        try? await connection.close()
    }

    /// The current state, read in one REPEATABLE READ READ ONLY transaction. The statements that
    /// take no arguments are all sent at its start. Its version is the server's WAL position as the
    /// transaction began (a standby's replayed position), which grows with every commit.
    package func readSnapshot() async throws(SourceProblem) -> DispatchSnapshot {
        let position = role == .primary ? "SELECT (pg_current_wal_lsn() - '0/0')::float8" : "SELECT (pg_last_wal_replay_lsn() - '0/0')::float8"
        let live = LiveStatements(vehiclePositions: features.vehiclePositions, scope: configuration.scope).all
        return try await inTransaction(sendingAhead: [InterfaceStatement(DataClock.statement), InterfaceStatement(position)] + live) { blocking in
            let (clock, wall) = try self.readClocks(blocking)
            let version = try blocking.firstNumber(position, []).flatMap { Int64(exactly: $0) }
            var query = StateQuery(configuration: self.configuration.querySettings, now: clock.now(wall: wall), moment: nil, features: self.features)
            (query.settled, query.yesterday) = self.carried.withLock { ($0.settled, $0.yesterday) }
            var snapshot = try query.read(blocking, sourceVersion: version)
            if clock.simulatedTime != nil { snapshot.timeline = DataTimeline(wallTakenAt: wall, speed: clock.speed) }
            self.carried.withLock { [settled = query.settled, yesterday = query.yesterday] in
                $0.settled = settled
                $0.yesterday = yesterday
            }
            return snapshot
        }
    }

    /// The state at `moment`, rebuilt from the status log.
    func readSnapshot(at moment: Date) async throws(SourceProblem) -> DispatchSnapshot {
        try await inTransaction { blocking in
            let (clock, wall) = try self.readClocks(blocking)
            var query = StateQuery(configuration: self.configuration.querySettings, now: clock.now(wall: wall), moment: moment, features: self.features)
            return try query.read(blocking, sourceVersion: nil)
        }
    }

    /// A primary's current WAL position: it moves with every committed write.
    func currentWALPosition() async throws(SourceProblem) -> String {
        try await run { blocking in try blocking.firstText("SELECT pg_current_wal_lsn()::text") }
    }

    /// A standby's replication: whether it still replays, what it received and replayed, whether it streams.
    func replayPosition() async throws(SourceProblem) -> ReplayPosition {
        try await run { blocking in
            var position = ReplayPosition()
            try blocking.each("""
                SELECT pg_is_in_recovery(), (pg_last_wal_receive_lsn() - '0/0')::float8, (pg_last_wal_replay_lsn() - '0/0')::float8, \
                (SELECT count(*) FROM pg_stat_wal_receiver)
                """, []) { row, _ in
                position.inRecovery = row.flag(0)
                if case .number(let received) = row.stored(1) { position.received = received }
                if case .number(let replayed) = row.stored(2) { position.replayed = replayed }
                position.streaming = row.flag(3)
            }
            return position
        }
    }

    /// The data's clock, the transaction's first statement (which takes its snapshot), then the
    /// wall clock: nothing the snapshot holds can carry a later time than the wall clock read.
    private func readClocks(_ blocking: BlockingConnection) throws -> (DataClock, Date) {
        let clock = try DataClock.read(blocking)
        return (clock, configuration.wallClock())
    }

    /// Runs `body` in a read-only transaction; `sendingAhead` are statements that `body` asks
    /// for, sent right after BEGIN. BEGIN's answer is checked once the body has read
    /// (it came before every answer the body waited for). COMMIT is not waited for, since nothing
    /// read depends on it: the next read checks it, so that a transaction left open (where BEGIN
    /// would only warn) can never hold every later read in its old snapshot.
    private func inTransaction(
        sendingAhead statements: [InterfaceStatement] = [], _ body: @escaping @Sendable (BlockingConnection) throws -> DispatchSnapshot
    ) async throws(SourceProblem) -> DispatchSnapshot {
        try await run { blocking in
            let commit = self.carried.withLock { carried in
                defer { carried.unconfirmedCommit = nil }
                return carried.unconfirmedCommit
            }
            let begun = blocking.send("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                for statement in statements { try blocking.expect(statement.sql, binding: statement.arguments) }
                if let commit { try blocking.wait(commit) }
                let snapshot = try body(blocking)
                try blocking.wait(begun)
                let sentCommit = blocking.send("COMMIT")
                self.carried.withLock { $0.unconfirmedCommit = sentCommit }
                return snapshot
            } catch {
                try? blocking.execute("ROLLBACK")
                throw error
            }
        }
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable (BlockingConnection) throws -> T) async throws(SourceProblem) -> T {
        let blocking = BlockingConnection(
            connection: connection, logger: logger, timeout: configuration.statementTimeout + .seconds(2), prepared: prepared, ahead: StatementsAhead()
        )
        let (host, settings) = (host, configuration.connection)
        do {
            return try await Self.readQueue.perform { try body(blocking) }
        } catch {
            throw PostgresProblems.problem(error, host: host, settings: settings)
        }
    }
}

/// What a standby reports about its replication, positions in bytes of WAL.
struct ReplayPosition: Sendable {
    var inRecovery = true
    var received: Double?
    var replayed: Double?
    /// Whether a WAL receiver is connected to the primary.
    var streaming = false
}

extension PostgresSettings {
    /// Connects to `host` as these settings say: TLS per `tls`, the password read from its file now,
    /// `application_name` and any further startup `parameters` set. Errors name the host, never the password.
    public func connect(
        to host: Host, logger: Logger, parameters: [(String, String)] = [], connectTimeout: Duration = .seconds(3)
    ) async throws(SourceProblem) -> PostgresConnection {
        var settings = PostgresConnection.Configuration(
            host: host.name, port: host.port, username: user, password: try password(), database: database, tls: try Self.tls(tls)
        )
        settings.options.connectTimeout = .milliseconds(Int64(connectTimeout.inMilliseconds))
        settings.options.additionalStartupParameters = [("application_name", applicationName)] + parameters
        do {
            return try await PostgresConnection.connect(configuration: settings, id: Self.nextID(), logger: logger)
        } catch {
            throw PostgresProblems.problem(error, host: host, settings: self)
        }
    }

    /// The first host, in order, that accepts a connection and passes `check` (which returns why it
    /// refuses a server, or nil); throws naming each host's problem.
    public func connectToFirstHost(
        logger: Logger, check: (PostgresConnection) async throws -> String? = { _ in nil }
    ) async throws(SourceProblem) -> (host: Host, connection: PostgresConnection) {
        var problems: [String] = []
        for host in hosts {
            do {
                let connection = try await connect(to: host, logger: logger)
                do {
                    if let refusal = try await check(connection) {
                        try? await connection.close()
                        problems.append("\(host): \(refusal)")
                        continue
                    }
                } catch {
                    try? await connection.close()
                    problems.append(PostgresProblems.problem(error, host: host, settings: self).message)
                    continue
                }
                return (host, connection)
            } catch {
                problems.append(error.message)
            }
        }
        throw SourceProblem(kind: .unreachable, message: problems.joined(separator: "; "))
    }

    private static func tls(_ mode: PostgresSettings.TLSMode) throws(SourceProblem) -> PostgresConnection.Configuration.TLS {
        do {
            switch mode {
            case .disable:
                return .disable
            case .prefer, .require:
                var settings = TLSConfiguration.makeClientConfiguration()
                settings.certificateVerification = .none
                let context = try NIOSSLContext(configuration: settings)
                return mode == .prefer ? .prefer(context) : .require(context)
            case .verifyFull:
                return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw SourceProblem(kind: .unreachable, message: "cannot set up TLS for sslmode \(mode.rawValue): \(error)")
        }
    }

    private static let ids = Mutex(0)
    private static func nextID() -> Int {
        ids.withLock { id in
            id += 1
            return id
        }
    }
}
