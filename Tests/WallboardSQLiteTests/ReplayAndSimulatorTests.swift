import Foundation
import GRDB
import Testing
import WallboardDispatch
import WallboardInterface
import WallboardSimulator
import WallboardTestKit
@testable import WallboardSQLite

/// 2026-11-21 00:00 in Shanghai.
private let dayStart = 1_795_190_400.0

@Suite struct PastMomentReaderTests {
    /// V1 runs task T1 for incident E1: dispatched at +1000, en route +1060, at scene +1600,
    /// completed (available on the road) +4000, back at the station +4600.
    private func makeHistory(_ path: String) throws {
        try makeFixtureDatabase(at: path)
        let t = { (offset: Double) in String(dayStart + offset) }
        try SQLiteShell.run(path, """
            DELETE FROM vehicle_status_log;
            INSERT INTO vehicle_status_log (vehicle_id, status, at, incident_id, task_id) VALUES
                ('V1', 7, \(t(0)), NULL, NULL), ('V2', 7, \(t(0)), NULL, NULL),
                ('V1', 0, \(t(1000)), 'E1', 'T1'), ('V1', 2, \(t(1060)), 'E1', 'T1'), ('V1', 3, \(t(1600)), 'E1', 'T1'),
                ('V1', 6, \(t(4000)), NULL, NULL), ('V1', 7, \(t(4600)), NULL, NULL), ('V2', 9, \(t(2000)), NULL, NULL);
            INSERT INTO incidents (id, call_id, received_at, answered_at, dispatched_at, closed_at, priority, category, complaint, pickup_address)
                VALUES ('E1', 'C1', \(t(900)), \(t(904)), \(t(1000)), \(t(4000)), 1, '疾病', '胸痛', '幸福小区东门');
            INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at, departed_at, at_scene_at, completed_at)
                VALUES ('T1', 'E1', 'V1', \(t(1000)), \(t(1060)), \(t(1600)), \(t(4000)));
            INSERT INTO calls (id, received_at, answered_at, ended_at, seat_id, outcome, incident_id) VALUES
                ('C1', \(t(900)), \(t(904)), \(t(990)), 'D1', 'valid', 'E1'),
                ('C2', \(t(1200)), \(t(1230)), \(t(1260)), 'D1', 'silent', NULL);
            INSERT INTO seat_log (seat_id, at, state, dispatcher_name, call_id) VALUES
                ('D1', \(t(0)), 'idle', '刘晓燕', NULL), ('D1', \(t(904)), 'talking', '刘晓燕', 'C1'),
                ('D1', \(t(990)), 'wrap-up', '刘晓燕', NULL), ('D1', \(t(1010)), 'idle', '刘晓燕', NULL);
            """)
    }

    @Test func stateWhileTheVehicleIsEnRoute() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("history.db")
        try makeHistory(path)
        let source = SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai))
        let snapshot = try await source.snapshot(at: Date(timeIntervalSince1970: dayStart + 1210))

        #expect(snapshot.takenAt == Date(timeIntervalSince1970: dayStart + 1210))
        let v1 = try #require(snapshot.vehicle(id: "V1"))
        #expect(v1.status == .enRoute)
        #expect(v1.statusSince == Date(timeIntervalSince1970: dayStart + 1060))
        #expect(v1.incidentID == "E1")
        #expect(v1.task?.atSceneAt == nil, "arrival at +1600 had not happened")
        #expect(v1.task?.departedAt == Date(timeIntervalSince1970: dayStart + 1060))
        #expect(snapshot.vehicle(id: "V2")?.status == .standby)
        #expect(snapshot.vehicle(id: "V3")?.status == nil, "no log entry yet")

        let incident = try #require(snapshot.incident(id: "E1"))
        #expect(incident.closedAt == nil)
        #expect(incident.vehicleIDs == ["V1"])
        // C2 is ringing for 10 s; C1 was valid.
        #expect(snapshot.waitingCalls.map(\.id) == ["C2"])
        #expect(snapshot.figures.callsToday == 2)
        #expect(snapshot.figures.validCalls == 1)
        #expect(snapshot.figures.longestWaitSeconds == 10)
        #expect(snapshot.figures.dispatchesToday == 1)
        #expect(snapshot.figures.averageResponseSeconds == nil)
        #expect(snapshot.seats == [Seat(id: "D1", name: "1号台", dispatcherName: "刘晓燕", state: .idle, stateSince: Date(timeIntervalSince1970: dayStart + 1010))])
    }

    @Test func stateAfterTheRun() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("history.db")
        try makeHistory(path)
        let source = SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai))
        let snapshot = try await source.snapshot(at: Date(timeIntervalSince1970: dayStart + 5000))
        #expect(snapshot.vehicle(id: "V1")?.status == .standby)
        #expect(snapshot.vehicle(id: "V1")?.incidentID == nil)
        #expect(snapshot.vehicle(id: "V2")?.status == .suspended)
        #expect(snapshot.incidents.isEmpty)
        #expect(snapshot.figures.averageResponseSeconds == 600)
        #expect(snapshot.figures.departedWithin3MinRate == 1)
        #expect(snapshot.issues.isEmpty, "\(snapshot.issues)")
    }
}

@Suite struct FiguresThroughTheReaderTests {
    /// The same hand-computed day as the figure tests of WallboardDispatch, stored in SQLite.
    @Test func figuresMatchHandComputedValues() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("figures.db")
        try makeFixtureDatabase(at: path)
        let now = dayStart + 36_000
        let t = { (offset: Double) in String(dayStart + offset) }
        try SQLiteShell.run(path, """
            INSERT INTO vehicles (id, call_sign, plate, station_id, status) VALUES ('V4', '急救4号', '', 'S2', 42), ('V5', '急救5号', '', 'S2', 6);
            UPDATE vehicles SET status = 2 WHERE id = 'V2';
            UPDATE vehicles SET status = 9 WHERE id = 'V3';
            INSERT INTO calls (id, received_at, answered_at, ended_at, outcome) VALUES
                ('C1', \(t(100)), \(t(105)), \(t(200)), 'valid'), ('C2', \(t(200)), \(t(215)), \(t(300)), 'information'),
                ('C3', \(t(300)), \(t(308)), \(t(350)), 'nuisance'), ('C4', \(t(400)), NULL, \(t(430)), NULL),
                ('C5', \(now - 5), NULL, NULL, NULL), ('C6', \(now - 40), NULL, NULL, NULL),
                ('C7', \(t(-60)), \(t(-55)), \(t(10)), 'valid'), ('C8', \(t(500)), \(t(510)), \(t(520)), 'silent'),
                ('C9', \(t(600)), \(t(601)), \(t(630)), 'misdial'), ('C10', \(t(700)), \(t(702)), \(t(800)), 'valid');
            INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at, departed_at, at_scene_at, completed_at, empty_run_reason) VALUES
                ('A', 'E1', 'V1', \(t(1000)), \(t(1100)), \(t(1600)), \(t(5000)), NULL),
                ('B', 'E2', 'V2', \(t(2000)), \(t(2200)), \(t(2500)), \(t(6000)), NULL),
                ('C', 'E3', 'V3', \(t(3000)), NULL, NULL, \(t(3100)), '呼救方取消'),
                ('D', 'E4', 'V4', \(now - 600), NULL, NULL, NULL, NULL),
                ('E', 'E5', 'V5', \(now - 60), NULL, NULL, NULL, NULL),
                ('F', 'E0', 'V1', \(t(-100)), \(t(-50)), \(t(200)), NULL, NULL);
            """)
        let source = SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(
            path: path, dayBoundary: .shanghai, wallClock: { Date(timeIntervalSince1970: now) }
        ))
        let figures = try await source.readSnapshotOnce().figures
        #expect(figures.callsToday == 9)
        #expect(figures.validCallRate == 2.0 / 6.0)
        #expect(figures.answeredWithin10sRate == 5.0 / 8.0)
        #expect(figures.callsWaiting == 2)
        #expect(figures.longestWaitSeconds == 40)
        #expect(figures.dispatchesToday == 5)
        #expect(figures.emptyRunsToday == 1)
        #expect(figures.departedWithin3MinRate == 1.0 / 3.0)
        #expect(figures.averageResponseSeconds == 550)
        #expect((figures.vehiclesOnTask, figures.vehiclesDispatchable, figures.vehiclesOutOfService, figures.vehiclesUnknownStatus) == (1, 2, 1, 1))
        #expect(figures.stations.map(\.vehicles) == [2, 3])
    }
}

@Suite struct SimulatorTests {
    private func simulate(_ path: String, seed: UInt64, hours: Double, vehicles: Int = 36, journal: SQLiteJournalMode? = nil) async throws {
        let start = Date(timeIntervalSince1970: dayStart)
        let settings = SimulationSettings(
            seed: seed, stationCount: 12, vehicleCount: vehicles, start: start, end: start.addingTimeInterval(hours * 3600),
            followsClock: false
        )
        try await DispatchSimulator(store: SQLiteSimulationStore(path: path, journalMode: journal), settings: settings).run()
    }

    /// Every row of the dispatch tables, in key order, as text.
    private func dump(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            var lines: [String] = []
            for table in ["stations", "vehicles", "incidents", "vehicle_tasks", "calls", "seats", "vehicle_status_log"] {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1") {
                    lines.append("\(table): \(row.description)")
                }
            }
            return lines
        }
    }

    @Test func sameSeedSameDayOtherSeedOtherDay() async throws {
        let directory = try TemporaryDirectory()
        try await simulate(directory.path("a.db"), seed: 7, hours: 8)
        try await simulate(directory.path("b.db"), seed: 7, hours: 8)
        try await simulate(directory.path("c.db"), seed: 8, hours: 8)
        let first = try dump(directory.path("a.db"))
        #expect(first.count > 500)
        #expect(first == (try dump(directory.path("b.db"))))
        #expect(first != (try dump(directory.path("c.db"))))
    }

    @Test func aDayLooksLikeA120Centre() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("day.db")
        try await simulate(path, seed: 1, hours: 24, journal: .wal)
        let queue = try DatabaseQueue(path: path)
        try await queue.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            let calls = try Int.fetchOne(db, sql: "SELECT count(*) FROM calls") ?? 0
            let valid = try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE outcome = 'valid'") ?? 0
            let notValid = Double(calls - valid) / Double(calls)
            #expect((0.40...0.50).contains(notValid), "non-valid share \(notValid)")
            // Busier at 10:00 than at 04:00.
            let hourCount = { (hour: Int) in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE received_at >= ? AND received_at < ?",
                                 arguments: [dayStart + Double(hour) * 3600, dayStart + Double(hour + 2) * 3600]) ?? 0
            }
            #expect(try hourCount(9) > 2 * (try hourCount(3)))
            // Time stamps in the order a run goes.
            let disordered = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM vehicle_tasks WHERE departed_at < dispatched_at OR at_scene_at < departed_at
                OR patient_on_board_at < at_scene_at OR at_hospital_at < patient_on_board_at OR completed_at < dispatched_at
                """)
            #expect(disordered == 0)
            let emptyRuns = try Int.fetchOne(db, sql: "SELECT count(*) FROM vehicle_tasks WHERE empty_run_reason IS NOT NULL") ?? 0
            #expect(emptyRuns > 0)
            let suspended = try Int.fetchOne(db, sql: "SELECT count(*) FROM vehicle_status_log WHERE status IN (8, 9)") ?? 0
            #expect(suspended > 0)
            let departedIn3 = try Double.fetchOne(db, sql: "SELECT avg(departed_at - dispatched_at <= 180) FROM vehicle_tasks WHERE departed_at IS NOT NULL") ?? 0
            #expect((0.85...0.995).contains(departedIn3))
            let address = try String.fetchOne(db, sql: "SELECT incident_address FROM incidents LIMIT 1") ?? ""
            #expect(address.contains("区") && address.contains("号"))
        }
        // The reader sees the simulator's clock: the end of the simulated day.
        let snapshot = try await SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai)).readSnapshotOnce()
        #expect(snapshot.takenAt == Date(timeIntervalSince1970: dayStart + 86_400))
        #expect(snapshot.issues.isEmpty)
    }

    @Test func massCasualtyIncidentsGetSeveralVehicles() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("days.db")
        try await simulate(path, seed: 2, hours: 72, vehicles: 24)
        let queue = try DatabaseQueue(path: path)
        let largest = try await queue.read { db in
            try Int.fetchOne(db, sql: """
                SELECT max(vehicles) FROM (SELECT count(*) AS vehicles FROM vehicle_tasks JOIN incidents ON incidents.id = incident_id
                WHERE casualties >= 3 GROUP BY incident_id)
                """)
        }
        #expect((largest ?? 0) >= 3)
    }

    /// Following the clock, the simulator runs to its end even when the last event falls well
    /// before it (a small city's quiet quarter of an hour), and leaves its clock at the end.
    @Test func followingTheClockRunsToTheEnd() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("quiet.db")
        let start = Date()
        let settings = SimulationSettings(
            seed: 3, stationCount: 2, vehicleCount: 2, start: start, end: start.addingTimeInterval(18 * 60), speed: 600
        )
        let began = ContinuousClock.now
        try await DispatchSimulator(store: SQLiteSimulationStore(path: path), settings: settings).run()
        let took = ContinuousClock.now - began
        #expect(took >= .milliseconds(1700), "18 simulated minutes at 600× take 1.8 s; it stopped after \(took)")
        let clock = try await DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: "SELECT value FROM wallboard_interface WHERE key = 'simulated_time'")
        }
        #expect(clock.flatMap(Double.init) == start.addingTimeInterval(18 * 60).timeIntervalSince1970)
    }

    @Test func refusesADatabaseWithDataUnlessFresh() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("taken.db")
        try makeFixtureDatabase(at: path)
        let start = Date(timeIntervalSince1970: dayStart)
        var settings = SimulationSettings(start: start, end: start.addingTimeInterval(600), followsClock: false)
        await #expect(throws: SimulationError.self) { try await DispatchSimulator(store: SQLiteSimulationStore(path: path), settings: settings) }
        settings.replacesExistingData = true
        try await DispatchSimulator(store: SQLiteSimulationStore(path: path), settings: settings).run()
        let snapshot = try await SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai)).readSnapshotOnce()
        #expect(snapshot.vehicles.count == 36)
    }
}

@Suite struct SettledDayTests {
    /// Calls that ended over ten minutes ago are counted once and kept until the next full count;
    /// newer calls are counted on every read.
    @Test func settledCallsKeepTheirCountsUntilTheNextFullCount() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("calls.db")
        try makeFixtureDatabase(at: path)
        let now = dayStart + 36_000
        try SQLiteShell.run(path, """
            INSERT INTO calls (id, received_at, answered_at, ended_at, outcome) VALUES
                ('old1', \(now - 7200), \(now - 7195), \(now - 7100), 'valid'),
                ('old2', \(now - 5400), \(now - 5390), \(now - 5300), 'silent'),
                ('recent', \(now - 120), \(now - 115), \(now - 60), 'valid');
            """)
        let clock = Locked(now)
        let reader = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(
            path: path, dayBoundary: .shanghai, wallClock: { Date(timeIntervalSince1970: clock.withLock { $0 }) }, settledRecount: 60
        ))
        try reader.open()
        defer { reader.close() }
        let first = try reader.readSnapshot().figures
        #expect((first.callsToday, first.validCalls, first.silentCalls) == (3, 2, 1))

        // A new call and a late correction to a settled one.
        try SQLiteShell.run(path, """
            INSERT INTO calls (id, received_at) VALUES ('ringing', \(now - 20));
            UPDATE calls SET outcome = 'misdial' WHERE id = 'old2';
            UPDATE calls SET outcome = 'information' WHERE id = 'recent';
            """)
        let second = try reader.readSnapshot().figures
        #expect((second.callsToday, second.callsWaiting, second.longestWaitSeconds) == (4, 1, 20))
        #expect(second.informationCalls == 1, "recent calls are counted afresh")
        #expect((second.silentCalls, second.misdialCalls) == (1, 0), "the settled count stands until the next full count")

        clock.withLock { $0 += 61 }
        let third = try reader.readSnapshot().figures
        #expect((third.silentCalls, third.misdialCalls, third.callsToday) == (0, 1, 4))
    }

    /// Runs completed over ten minutes ago are counted once the same way; open and recent runs on every read.
    @Test func settledRunsKeepTheirCountsUntilTheNextFullCount() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("runs.db")
        try makeFixtureDatabase(at: path)
        let now = dayStart + 36_000
        try SQLiteShell.run(path, """
            INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at, departed_at, at_scene_at, completed_at, empty_run_reason) VALUES
                ('done', 'I-done', 'V1', \(now - 7200), \(now - 7100), \(now - 6600), \(now - 5400), NULL),
                ('recent', 'I-recent', 'V2', \(now - 3000), \(now - 2900), \(now - 2400), \(now - 300), NULL),
                ('open', 'I-open', 'V3', \(now - 600), \(now - 500), NULL, NULL, NULL);
            """)
        let clock = Locked(now)
        let reader = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(
            path: path, dayBoundary: .shanghai, wallClock: { Date(timeIntervalSince1970: clock.withLock { $0 }) }, settledRecount: 60
        ))
        try reader.open()
        defer { reader.close() }
        let first = try reader.readSnapshot()
        let dispatchesBefore = first.figures.dispatchesToday
        let emptyBefore = first.figures.emptyRunsToday
        #expect(first.day?.hours.reduce(0) { $0 + ($1.dispatches ?? 0) } == dispatchesBefore)

        // A new run, a late correction to the settled one and one to the recent one.
        try SQLiteShell.run(path, """
            INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at) VALUES ('new', 'I-new', 'V4', \(now - 30));
            UPDATE vehicle_tasks SET empty_run_reason = '空车' WHERE id IN ('done', 'recent');
            """)
        let second = try reader.readSnapshot()
        #expect(second.figures.dispatchesToday == dispatchesBefore + 1)
        #expect(second.figures.emptyRunsToday == emptyBefore + 1, "the recent run is counted afresh, the settled one stands")
        #expect(second.day?.hours.reduce(0) { $0 + ($1.dispatches ?? 0) } == dispatchesBefore + 1)

        clock.withLock { $0 += 61 }
        let third = try reader.readSnapshot()
        #expect((third.figures.dispatchesToday, third.figures.emptyRunsToday) == (dispatchesBefore + 1, emptyBefore + 2))
    }

    /// A reader for boards that show no figures over the day neither reads yesterday nor computes them.
    @Test func figuresOverTheDayOnlyWhenAsked() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("plain.db")
        try makeFixtureDatabase(at: path)
        let now = Date(timeIntervalSince1970: dayStart + 36_000)
        let withDay = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai, wallClock: { now }))
        let without = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(
            path: path, dayBoundary: .shanghai, wallClock: { now }, scope: ReadScope(stationIDs: nil, parts: [.waitingCalls, .dayTallies, .seats])
        ))
        try withDay.open()
        try without.open()
        defer {
            withDay.close()
            without.close()
        }
        let full = try withDay.readSnapshot()
        let plain = try without.readSnapshot()
        #expect(full.day != nil)
        #expect(plain.day == nil)
        #expect(plain.figures == full.figures)
        #expect(plain.vehicles == full.vehicles)
    }
}
