import Foundation
import Testing
import WallboardDispatch
import WallboardLocalPostgres
import WallboardPostgres
import WallboardSimulator

/// The seats' history (`seat_log`) on a real PostgreSQL primary, written by the simulator and read
/// back for a past moment by the PostgreSQL source.
@Suite(.serialized) struct PostgresSeatHistoryTests {
    /// Seed 3's city from 08:00 to `end`, simulated into its own database on `server`; a source for it, not running.
    static func simulatedCity(until end: Double, database: String, on server: LocalPostgresServer) async throws -> PostgresDispatchSource {
        try server.psql("CREATE DATABASE \(database)")
        let settings = PostgresSettings(
            hosts: [try #require(PostgresSettings.Host(server.address))], database: database, user: LocalPostgresServer.user, tls: .disable
        )
        let simulation = SimulationSettings(
            seed: 3, start: Date(timeIntervalSince1970: PostgresPositionTests.morning - 3600), end: Date(timeIntervalSince1970: end), followsClock: false
        )
        try await PostgresSimulationStore.simulate(simulation, onto: settings)
        return PostgresDispatchSource(configuration: PostgresSourceConfiguration(connection: settings, dayBoundary: .shanghai))
    }

    /// The city read live at 09:00 is the state rebuilt for 09:00 from the city simulated on to
    /// 10:00, seats included; without `seat_log` the seats come from the calls, and the issues say so;
    /// a `seat_log` view without all its columns, or with a time stamp that is not Unix seconds, is refused.
    /// (Half a second past: the simulator writes on whole seconds, and a change at the moment
    /// itself is not yet in the live read, which stops before it.)
    @Test func theLiveSnapshotAtAMomentIsTheStateRebuiltForIt() async throws {
        let server = try LocalPostgresServer.primary()
        let moment = PostgresPositionTests.morning + 0.5
        let live = try await Self.simulatedCity(until: moment, database: "live", on: server).readSnapshotOnce()
        let later = try await Self.simulatedCity(until: moment + 3600, database: "later", on: server)
        let past = try await later.snapshot(at: Date(timeIntervalSince1970: moment))
        #expect(live.seats.count == 3 && live.seats.allSatisfy { $0.state != nil && !$0.dispatcherName.isEmpty }, "\(live.seats)")
        #expect(past.seats == live.seats)
        #expect(past.incidents == live.incidents)
        #expect(past.figures == live.figures)
        #expect(past.issues.isEmpty, "\(past.issues)")

        try server.psql("DROP TABLE seat_log", database: "later")
        let derived = try await later.snapshot(at: Date(timeIntervalSince1970: moment))
        #expect(derived.issues == [DataIssue(table: "seat_log", rowID: "", column: "", problem: .seatsDerivedFromCalls, rowSkipped: false)])
        #expect(derived.seats.map(\.id) == live.seats.map(\.id))
        for seat in derived.seats where seat.state == .talking {
            #expect(live.seats.first { $0.id == seat.id }?.currentCallID == seat.currentCallID, "\(seat.id) answered the same call")
        }

        try server.psql("CREATE VIEW seat_log AS SELECT id AS seat_id, 0::float8 AS at, state FROM seats", database: "later")
        await #expect {
            try await later.snapshot(at: Date(timeIntervalSince1970: moment))
        } throws: { error in
            (error as? SourceProblem)?.message.contains("'seat_log' lacks columns dispatcher_name, call_id") == true
        }

        try server.psql("""
            DROP VIEW seat_log; CREATE VIEW seat_log AS SELECT id AS seat_id, to_timestamp(0) AS at, state, dispatcher_name, call_id FROM seats
            """, database: "later")
        await #expect {
            try await later.snapshot(at: Date(timeIntervalSince1970: moment))
        } throws: { error in
            (error as? SourceProblem)?.message.contains("seat_log.at is timestamp with time zone; the interface needs Unix seconds") == true
        }
    }
}
