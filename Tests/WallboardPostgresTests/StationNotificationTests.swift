import Foundation
import Testing
import WallboardDispatch
import WallboardLocalPostgres
@testable import WallboardPostgres
import WallboardTestKit

/// On a primary, a station's instance reads only for notifications that can concern its stations.
@Suite(.serialized) struct StationNotificationTests {
    /// The instance of station S1's door boards.
    static let doorBoards = ReadScope(stationIDs: ["S1"], parts: [.incidentCallers])

    /// The dispatch database with a second station, S2, and its vehicle V2.
    static func twoStations() throws -> DispatchDatabase {
        let database = try DispatchDatabase.make(on: try LocalPostgresServer.primary())
        try database.write("""
            INSERT INTO stations (id, name, sort_order) VALUES ('S2', '城西站', 2);
            INSERT INTO vehicles (id, call_sign, station_id, status, status_since) VALUES ('V2', '急救2号', 'S2', 7, extract(epoch FROM now()));
            """)
        return database
    }

    @Test func anotherStationsVehicleWakesNoReadAndItsOwnIsReadAtOnce() async throws {
        let database = try Self.twoStations()
        let running = RunningSource(hosts: [database.server], scope: Self.doorBoards)
        // The same instance with its safety poll far off: only a notification can make it read.
        let listening = RunningSource(hosts: [database.server], scope: Self.doorBoards, safetyPoll: .seconds(30))
        try await running.waitFor(.standby)
        try await listening.waitFor(.standby)
        let first = try #require(running.state.snapshot)
        try database.write("UPDATE vehicles SET status = 2, status_since = extract(epoch FROM now()) WHERE id = 'V2'")
        try await eventually("the notification to be skipped", describe: { running.describe() }) {
            running.source.skippedNotifications == 1 && listening.source.skippedNotifications == 1
        }
        // Two safety checks (every 500 ms) see the WAL moved for the skipped commit only: no read either.
        try await Task.sleep(for: .milliseconds(1200))
        #expect(running.state.snapshot?.sourceVersion == first.sourceVersion)
        #expect(running.source.skippedNotifications == 1)
        try database.setStatus(2)
        try await listening.waitFor(.enRoute, within: .seconds(3))
        #expect(listening.state.snapshot?.vehicles.map(\.id) == ["V1"])
        #expect(listening.source.skippedNotifications == 1)
    }

    @Test func aTableNameAloneStillWakesEveryInstance() async throws {
        let database = try Self.twoStations()
        // A safety poll far off: only the notification can bring the change.
        let running = RunningSource(hosts: [database.server], scope: Self.doorBoards, safetyPoll: .seconds(30))
        try await running.waitFor(.standby)
        // As a site's older trigger would: the change without the shipped triggers, then the table's name alone.
        try database.write("""
            SET session_replication_role = replica;
            UPDATE vehicles SET status = 3, status_since = extract(epoch FROM now()) WHERE id = 'V1';
            SELECT pg_notify('wallboard_changed', 'vehicles');
            """)
        try await running.waitFor(.atScene, within: .seconds(1))
        #expect(running.source.skippedNotifications == 0)
    }

    @Test func aPayloadSaysWhichStationsAChangeConcerns() throws {
        let database = try Self.twoStations()
        let listener = try database.server.session("""
            LISTEN wallboard_changed;
            UPDATE vehicles SET status = 1 WHERE id = 'V2';
            INSERT INTO incidents (id, received_at, priority) VALUES ('I1', extract(epoch FROM now()), 1);
            INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at) VALUES ('T1', 'I1', 'V1', extract(epoch FROM now()));
            INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at) VALUES ('T2', 'I1', 'V2', extract(epoch FROM now()));
            UPDATE incidents SET complaint = '胸痛' WHERE id = 'I1';
            INSERT INTO calls (id, received_at) VALUES ('C1', extract(epoch FROM now()));
            INSERT INTO calls (id, received_at, incident_id) VALUES ('C2', extract(epoch FROM now()), 'I1');
            UPDATE seats SET state = 'idle';
            UPDATE stations SET name = '城东分站' WHERE id = 'S1';
            """, database: DispatchDatabase.name)
        let payloads = listener.split(separator: "\n").compactMap { line -> String? in
            guard let start = line.range(of: "with payload \""), let end = line.range(of: "\" received", options: .backwards) else { return nil }
            return String(line[start.upperBound..<end.lowerBound])
        }
        #expect(payloads == [
            #"vehicles ["S2"]"#, "incidents []", #"vehicle_tasks ["S1"]"#, #"vehicle_tasks ["S1", "S2"]"#, #"incidents ["S1", "S2"]"#,
            "calls []", #"calls ["S1", "S2"]"#, "seats []", "stations",
        ])
        let notices = payloads.map(ChangeNotice.init(payload:))
        #expect(notices.map { $0.concerns(Self.doorBoards) } == [false, false, true, true, true, false, true, false, true])
        #expect(notices.allSatisfy { $0.concerns(.wholeCentre) })
        #expect(ChangeNotice(payload: "vehicles").concerns(Self.doorBoards))
        #expect(ChangeNotice(payload: "vehicles not-json").concerns(Self.doorBoards))
    }
}
