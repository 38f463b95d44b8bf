import Foundation
import Testing
import WallboardDispatch
import WallboardTestKit
@testable import WallboardSQLite

@Suite struct SchemaFileTests {
    @Test func embeddedSchemaMatchesTheShippedFile() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/WallboardSQLite/schema.sql")
        let shipped = try String(contentsOf: file, encoding: .utf8)
        #expect(shipped == InterfaceSchema.sql + "\n")
    }
}

@Suite struct ChangeDetectionTests {
    @Test(arguments: [SimulationSettings.JournalMode.delete, .wal])
    func noticesAnotherProcessCommit(journal: SimulationSettings.JournalMode) async throws {
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

    /// A writer commits in a tight loop; every snapshot must show one committed state:
    /// each vehicle's incident exists and the call count matches the newest incident.
    /// The writer's busy timeout is 200 ms: if a read transaction ever kept it out longer,
    /// sqlite3 would stop with "database is locked".
    @Test(arguments: [SimulationSettings.JournalMode.delete, .wal])
    func noTornSnapshotWhileWriterCommitsInATightLoop(journal: SimulationSettings.JournalMode) async throws {
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
