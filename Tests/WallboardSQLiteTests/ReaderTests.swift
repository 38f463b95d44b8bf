import Foundation
import Testing
import WallboardDispatch
import WallboardInterface
import WallboardTestKit
@testable import WallboardSQLite

@Suite struct ChangeDetectionTests {
    @Test(arguments: [SQLiteJournalMode.delete, .wal])
    func noticesAnotherProcessCommit(journal: SQLiteJournalMode) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path, journal: journal)
        let running = RunningSource(path: path)
        let first = try await running.wait { $0.snapshot != nil }
        #expect(first.snapshot?.vehicle(id: "V2")?.status == .standby)

        try SQLiteShell.run(path, "UPDATE vehicles SET status = 2, status_since = \(sqlNow) WHERE id = 'V2';")
        let changed = try await running.wait { $0.snapshot?.vehicle(id: "V2")?.status == .enRoute }
        #expect(changed.health.problem == nil)
        // The reader left the journal mode alone.
        let mode = try SQLiteShell.run(path, "PRAGMA journal_mode;").output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(mode == journal.rawValue)
    }

    /// With a rollback journal a writer's commit waits while a snapshot is read, so a writer
    /// without a busy timeout can fail: the source names the file and the fix. WAL needs nothing.
    @Test(arguments: [SQLiteJournalMode.delete, .wal])
    func aRollbackJournalIsReportedAsAWarning(journal: SQLiteJournalMode) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path, journal: journal)
        let running = RunningSource(path: path)
        let state = try await running.wait { $0.snapshot != nil }
        #expect(state.health.problem == nil)
        if journal == .wal {
            #expect(state.health.warning == nil)
        } else {
            let warning = try #require(state.health.warning)
            #expect(warning.hasPrefix("database \(path) has a rollback journal (journal_mode delete), not WAL"), "\(warning)")
            #expect(warning.contains("busy timeout of 1 s or more"), "\(warning)")
        }
    }

    /// A writer commits in a tight loop; every snapshot must show one committed state:
    /// each vehicle's incident exists and the call count matches the newest incident.
    /// The writer's busy timeout is 200 ms: if a read transaction ever kept it out longer,
    /// sqlite3 would stop with "database is locked".
    @Test(arguments: [SQLiteJournalMode.delete, .wal])
    func noTornSnapshotWhileWriterCommitsInATightLoop(journal: SQLiteJournalMode) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path, journal: journal)
        try SQLiteShell.run(path, """
            INSERT INTO incidents (id, received_at, category, complaint) VALUES ('E0', \(sqlNow), '疾病', '胸痛');
            UPDATE vehicles SET incident_id = 'E0', status = 1;
            """)
        // WAL commits are cheap; give the reader time to see many of them.
        let commits = journal == .wal ? 2000 : 600
        var script = ".timeout 200\n"
        for index in 1...commits {
            script += """
                BEGIN IMMEDIATE;
                INSERT INTO incidents (id, received_at, category, complaint) VALUES ('E\(index)', \(sqlNow), '疾病', '胸痛');
                INSERT INTO calls (id, received_at, answered_at, ended_at, outcome, incident_id) VALUES ('C\(index)', \(sqlNow), \(sqlNow), \(sqlNow), 'valid', 'E\(index)');
                UPDATE vehicles SET incident_id = 'E\(index)', status = \(index % 6), status_since = \(sqlNow);
                DELETE FROM incidents WHERE id = 'E\(index - 1)';
                COMMIT;

                """
            // Tight bursts with a short pause between them: with a rollback journal a writer
            // committing back to back keeps readers out (its pending lock has priority), so
            // the pauses make sure the reader also sees states in the middle of the run.
            if index % 100 == 0 { script += ".shell sleep 0.02\n" }
        }
        let running = RunningSource(path: path, poll: .milliseconds(1))
        try await running.wait { $0.snapshot != nil }
        let observed = Locked([DispatchSnapshot]())
        let states = running.source.states(keepingNewest: 100_000)
        let collector = Task {
            for await state in states {
                guard let snapshot = state.snapshot else { continue }
                observed.withLock { $0.append(snapshot) }
                if snapshot.figures.callsToday == commits { break }
            }
        }
        let writer = try await SQLiteShell.runConcurrently(path, script)
        #expect(writer.status == 0, "writer failed: \(writer.errors)")
        #expect(!writer.errors.contains("locked"))
        _ = try await running.wait { $0.snapshot?.figures.callsToday == commits }
        collector.cancel()
        let snapshots = observed.withLock { $0 }
        #expect(snapshots.count >= 5, "only \(snapshots.count) snapshots observed")
        for snapshot in snapshots {
            let calls = snapshot.figures.callsToday
            for vehicle in snapshot.vehicles {
                #expect(vehicle.incidentID == "E\(calls)", "vehicle \(vehicle.id) points at \(vehicle.incidentID ?? "nil") with \(calls) calls")
                #expect(vehicle.incidentID.flatMap(snapshot.incident(id:)) != nil)
                #expect(vehicle.statusCode == (calls == 0 ? 1 : calls % 6))
            }
            #expect(snapshot.incidents.count == 1)
            #expect(snapshot.figures.validCalls == calls)
            #expect(snapshot.issues.isEmpty, "\(snapshot.issues)")
        }
    }
}

@Suite struct DataClockTests {
    /// A simulation that runs ten times faster than the wall clock and a day ahead of it: the
    /// snapshot says so, and boards can read the data's clock at any later wall-clock moment.
    @Test func simulatedClockTravelsWithTheSnapshot() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path)
        let reader = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai))
        try reader.open()
        let onTheWallClock = try reader.readSnapshot()
        #expect(onTheWallClock.timeline == nil)
        #expect(onTheWallClock.dataTime(atWall: Date(timeIntervalSince1970: 5)) == Date(timeIntervalSince1970: 5))

        try SQLiteShell.run(path, """
            INSERT INTO wallboard_interface (key, value) VALUES
                ('simulated_time', CAST(\(sqlNow) + 86400 AS TEXT)),
                ('simulated_wall_time', CAST(\(sqlNow) AS TEXT)),
                ('simulated_speed', '10');
            """)
        let simulated = try reader.readSnapshot()
        let timeline = try #require(simulated.timeline)
        #expect(timeline.speed == 10)
        #expect(abs(simulated.takenAt.timeIntervalSince(timeline.wallTakenAt) - 86400) < 5)
        #expect(simulated.dataTime(atWall: timeline.wallTakenAt.addingTimeInterval(2)) == simulated.takenAt.addingTimeInterval(20))
    }
}

/// The figures over the day, computed with the snapshot from today's and yesterday's rows.
@Suite struct DayFiguresFromTheDatabaseTests {
    @Test func hoursStationsCategoriesSeatsAndEmptyRunsComeFromTheRows() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path)
        // 2026-11-20 in Shanghai starts at 16:00 UTC the day before; the reading is at 10:30.
        let dayStart = 1_795_104_000.0
        let hour = { (day: Double, hour: Double, minute: Double) in dayStart + day * 86_400 + hour * 3600 + minute * 60 }
        try SQLiteShell.run(path, """
            INSERT INTO calls (id, received_at, answered_at, ended_at, seat_id, outcome) VALUES
                ('C1', \(hour(0, 8, 10)), \(hour(0, 8, 10.1)), \(hour(0, 8, 12)), 'D1', 'valid'),
                ('C2', \(hour(0, 9, 20)), NULL, \(hour(0, 9, 21)), NULL, 'silent'),
                ('C3', \(hour(0, 9, 25)), NULL, \(hour(0, 9, 26)), NULL, 'silent'),
                ('C0', \(hour(-1, 9, 5)), \(hour(-1, 9, 5.1)), \(hour(-1, 9, 8)), 'D1', 'valid');
            INSERT INTO incidents (id, received_at, priority, category) VALUES
                ('I1', \(hour(0, 8, 55)), 2, '创伤'), ('I2', \(hour(0, 8, 25)), 3, '疾病'), ('I0', \(hour(-1, 9, 35)), 3, '疾病');
            INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at, departed_at, completed_at, empty_run_reason) VALUES
                ('T1', 'I1', 'V1', \(hour(0, 9, 0)), \(hour(0, 9, 2)), NULL, NULL),
                ('T2', 'I2', 'V3', \(hour(0, 8, 30)), \(hour(0, 8, 36)), \(hour(0, 8, 50)), '病人已离开'),
                ('T0', 'I0', 'V2', \(hour(-1, 9, 40)), \(hour(-1, 9, 41)), \(hour(-1, 10, 30)), NULL);
            """)
        let wall = Date(timeIntervalSince1970: hour(0, 10, 30))
        let reader = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai, wallClock: { wall }))
        try reader.open()
        defer { reader.close() }
        let day = try #require(try reader.readSnapshot().day)
        #expect(day.hours[8].calls == 1)
        #expect(day.hours[9].calls == 2)
        #expect(day.hours[9].callsYesterday == 1)
        #expect(day.hours[8].dispatches == 1)
        #expect(day.hours[9].dispatches == 1)
        #expect(day.hours[9].dispatchesYesterday == 1)
        #expect(day.hours[11].calls == nil, "an hour still to come")
        let stations = Dictionary(uniqueKeysWithValues: day.stations.map { ($0.stationID, $0) })
        #expect(stations["S1"]?.dispatches == 1)
        #expect(stations["S1"]?.averageDepartureSeconds == 120)
        #expect(stations["S2"]?.averageDepartureSeconds == 360)
        #expect(day.categories.map(\.name).sorted() == ["创伤", "疾病"])
        #expect(day.emptyRuns.map(\.name) == ["病人已离开"])
        #expect(day.seats.first { $0.seatID == "D1" }?.callsHandled == 1)
    }
}
