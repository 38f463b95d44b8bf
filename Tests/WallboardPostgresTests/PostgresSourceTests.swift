import Foundation
import Testing
import WallboardDispatch
import WallboardPostgres
import WallboardLocalPostgres
import WallboardTestKit

/// A dispatch database on a private server: the interface and its triggers installed, a little of a
/// centre in it, and a read-only role for the source, as a site would set one up.
struct DispatchDatabase {
    static let name = "dispatch"
    static let reader = "wallboard_reader"
    let server: LocalPostgresServer

    static func make(on server: LocalPostgresServer) throws -> DispatchDatabase {
        try server.psql("CREATE DATABASE \(name)")
        try server.psql(file: InterfaceScriptTests.schema, database: name)
        try server.psql(file: InterfaceScriptTests.notify, database: name)
        try server.psql("""
            CREATE ROLE \(reader) LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(reader);
            INSERT INTO stations (id, name, sort_order) VALUES ('S1', '城东站', 1);
            INSERT INTO vehicles (id, call_sign, station_id, status, status_since) VALUES ('V1', '急救1号', 'S1', 7, extract(epoch FROM now()));
            """, database: name)
        return DispatchDatabase(server: server)
    }

    func write(_ sql: String) throws {
        try server.psql(sql, database: Self.name)
    }

    func setStatus(_ status: Int) throws {
        try write("UPDATE vehicles SET status = \(status), status_since = extract(epoch FROM now()) WHERE id = 'V1'")
    }
}

/// A source running against `hosts` until the value is dropped.
final class RunningSource: @unchecked Sendable {
    let source: PostgresDispatchSource
    private let task: Task<Void, Never>

    init(
        hosts: [LocalPostgresServer], user: String = DispatchDatabase.reader, passwordFile: String? = nil, database: String = DispatchDatabase.name,
        scope: ReadScope = .wholeCentre, safetyPoll: Duration = .milliseconds(500)
    ) {
        let settings = PostgresSettings(
            hosts: hosts.compactMap { PostgresSettings.Host($0.address) }, database: database, user: user,
            passwordFile: passwordFile, tls: .disable, applicationName: "wallboard-test"
        )
        source = PostgresDispatchSource(configuration: PostgresSourceConfiguration(
            connection: settings, dayBoundary: .shanghai, pollInterval: .milliseconds(20), safetyPollInterval: safetyPoll,
            retryInterval: .milliseconds(200), connectTimeout: .seconds(2), scope: scope
        ))
        let source = source
        task = Task { await source.run() }
    }

    deinit { task.cancel() }

    var state: SourceState { source.currentState }

    func status() -> VehicleStatus? {
        state.snapshot?.vehicles.first { $0.id == "V1" }?.status
    }

    func waitFor(_ status: VehicleStatus, within timeout: Duration = .seconds(5), sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await eventually("V1 to show \(status)", within: timeout, sourceLocation: sourceLocation, describe: { self.describe() }) {
            self.status() == status
        }
    }

    func describe() -> String {
        "status \(status().map { "\($0)" } ?? "none"), problem \(state.health.problem?.description ?? "none"), from \(state.health.endpoint?.description ?? "nowhere")"
    }
}

@Suite(.serialized) struct PostgresSourceTests {
    @Test func aPrimaryIsReadAndEachCommitArrivesThroughNotify() async throws {
        let database = try DispatchDatabase.make(on: try LocalPostgresServer.primary())
        let running = RunningSource(hosts: [database.server])
        try await running.waitFor(.standby)
        #expect(running.state.health.endpoint == SourceEndpoint(host: database.server.address, role: .primary))
        #expect(running.state.snapshot?.stations.map(\.name) == ["城东站"])
        try database.setStatus(2)
        // Well inside the safety poll (500 ms): only the notification can have brought it.
        try await running.waitFor(.enRoute, within: .milliseconds(400))
    }

    @Test func aKilledConnectionLosesNothingCommittedWhileItWasDown() async throws {
        let database = try DispatchDatabase.make(on: try LocalPostgresServer.primary())
        let running = RunningSource(hosts: [database.server])
        try await running.waitFor(.standby)
        // Keep the source out while the change is made, so it is surely made while no one listens.
        try database.write("ALTER ROLE \(DispatchDatabase.reader) CONNECTION LIMIT 0")
        try database.write("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'wallboard-test'")
        try await eventually("the source to notice", describe: { running.describe() }) { running.state.health.problem != nil }
        try database.setStatus(3)
        try database.write("ALTER ROLE \(DispatchDatabase.reader) CONNECTION LIMIT -1")
        try await running.waitFor(.atScene, within: .seconds(2))
        #expect(running.state.health.problem == nil)
    }

    @Test func aRestartedServerIsReadAgainWithinTwoSecondsOfAcceptingConnections() async throws {
        let database = try DispatchDatabase.make(on: try LocalPostgresServer.primary())
        let running = RunningSource(hosts: [database.server])
        try await running.waitFor(.standby)
        database.server.stop()
        try await eventually("the outage to show", describe: { running.describe() }) { running.state.health.problem?.kind == .unreachable }
        try database.server.start()
        try database.setStatus(4)
        try await running.waitFor(.patientOnBoard, within: .seconds(2))
        #expect(running.state.health.problem == nil)
    }

    @Test func aStandbyIsPolledAndItsLagShowsAsDataAge() async throws {
        let primary = try LocalPostgresServer.primary()
        let database = try DispatchDatabase.make(on: primary)
        let standby = try primary.standby()
        let running = RunningSource(hosts: [standby])
        try await running.waitFor(.standby)
        #expect(running.state.health.endpoint == SourceEndpoint(host: standby.address, role: .standby))
        try database.setStatus(2)
        try await running.waitFor(.enRoute, within: .seconds(2))

        try standby.psql("SELECT pg_wal_replay_pause()")
        try database.setStatus(3)
        try await eventually("the paused replica's data to age", describe: { running.describe() }) {
            (running.state.health.age(now: Date()) ?? 0) > 1
        }
        #expect(running.status() == .enRoute)
        try standby.psql("SELECT pg_wal_replay_resume()")
        try await running.waitFor(.atScene, within: .seconds(2))
        try await eventually("the data to be current again", describe: { running.describe() }) {
            (running.state.health.age(now: Date()) ?? 99) < 0.5
        }
    }

    @Test func aLostHostIsLeftForTheNextOne() async throws {
        let primary = try LocalPostgresServer.primary()
        let database = try DispatchDatabase.make(on: primary)
        let standby = try primary.standby()
        let running = RunningSource(hosts: [standby, primary])
        try await running.waitFor(.standby)
        #expect(running.state.health.endpoint?.role == .standby)
        standby.stop()
        try await eventually("the source to move to the primary", describe: { running.describe() }) {
            running.state.health.endpoint == SourceEndpoint(host: primary.address, role: .primary) && running.state.health.problem == nil
        }
        try database.setStatus(5)
        try await running.waitFor(.atHospital, within: .seconds(2))
    }

    @Test func aPromotedStandbyIsReadAgainAsAPrimary() async throws {
        let primary = try LocalPostgresServer.primary()
        _ = try DispatchDatabase.make(on: primary)
        let standby = try primary.standby()
        let running = RunningSource(hosts: [standby])
        try await running.waitFor(.standby)
        #expect(running.state.health.endpoint?.role == .standby)
        primary.stop()
        try standby.psql("SELECT pg_promote()")
        try await eventually("the source to read the promoted server as a primary", describe: { running.describe() }) {
            running.state.health.endpoint == SourceEndpoint(host: standby.address, role: .primary) && running.state.health.problem == nil
        }
        try standby.psql("UPDATE vehicles SET status = 2, status_since = extract(epoch FROM now()) WHERE id = 'V1'", database: DispatchDatabase.name)
        // Inside the safety poll (500 ms): the promoted server's notifications are listened to.
        try await running.waitFor(.enRoute, within: .milliseconds(400))
    }

    @Test func aWrongPasswordIsNamedWithoutThePasswordAndRetriedUntilFixed() async throws {
        let server = try LocalPostgresServer.primary()
        _ = try DispatchDatabase.make(on: server)
        try server.requirePassword(for: "station_reader", password: "right-secret")
        try server.psql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO station_reader", database: DispatchDatabase.name)
        let passwordFile = server.folder.appendingPathComponent("password").path
        try "wrong-secret\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let running = RunningSource(hosts: [server], user: "station_reader", passwordFile: passwordFile)
        let problem = try await eventually("the refusal", describe: { running.describe() }) { running.state.health.problem }
        #expect(problem.message.contains("password authentication failed for user \"station_reader\""), "\(problem)")
        #expect(problem.message.contains(passwordFile))
        #expect(!problem.message.contains("secret"))
        try "right-secret\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try await running.waitFor(.standby)
    }

    @Test func aMissingDatabaseIsNamed() async throws {
        let server = try LocalPostgresServer.primary()
        let running = RunningSource(hosts: [server], user: LocalPostgresServer.user, database: "nowhere")
        let problem = try await eventually("the refusal", describe: { running.describe() }) { running.state.health.problem }
        #expect(problem.message.contains("database \"nowhere\" does not exist"), "\(problem)")
    }

    @Test func aMissingTableOrAWronglyTypedViewColumnIsNamedUntilFixed() async throws {
        let server = try LocalPostgresServer.primary()
        let database = try DispatchDatabase.make(on: server)
        try database.write("""
            ALTER TABLE seats RENAME TO dispatch_seats;
            """)
        let running = RunningSource(hosts: [server])
        let missing = try await eventually("the missing table", describe: { running.describe() }) { running.state.health.problem }
        #expect(missing.kind == .interfaceMismatch)
        #expect(missing.message.contains("'seats' is missing"), "\(missing)")
        try database.write("""
            CREATE VIEW seats AS SELECT id, name, dispatcher_name, state, to_timestamp(state_since) AS state_since, call_id FROM dispatch_seats;
            GRANT SELECT ON seats TO \(DispatchDatabase.reader);
            """)
        try await eventually("the wrongly typed column", describe: { running.describe() }) {
            running.state.health.problem?.message.contains("seats.state_since is timestamp with time zone") == true
        }
        try database.write("""
            CREATE OR REPLACE VIEW seats_fixed AS SELECT id, name, dispatcher_name, state, extract(epoch FROM to_timestamp(state_since)) AS state_since, call_id FROM dispatch_seats;
            DROP VIEW seats; ALTER VIEW seats_fixed RENAME TO seats; GRANT SELECT ON seats TO \(DispatchDatabase.reader);
            """)
        try await running.waitFor(.standby)
        try await eventually("the problem to clear", describe: { running.describe() }) { running.state.health.problem == nil }
    }

    @Test func aMissingColumnIsNamedUntilItIsBack() async throws {
        let server = try LocalPostgresServer.primary()
        let database = try DispatchDatabase.make(on: server)
        try database.write("ALTER TABLE incidents RENAME COLUMN complaint TO chief_complaint")
        let running = RunningSource(hosts: [server])
        let missing = try await eventually("the missing column", describe: { running.describe() }) { running.state.health.problem }
        #expect(missing.kind == .interfaceMismatch)
        #expect(missing.message.contains("'incidents' lacks column complaint"), "\(missing)")
        #expect(running.state.snapshot == nil)
        try database.write("ALTER TABLE incidents RENAME COLUMN chief_complaint TO complaint")
        try await running.waitFor(.standby)
        #expect(running.state.health.problem == nil)
    }
}
