import Foundation
import Testing
import WallboardDispatch
import WallboardInterface
import WallboardTestKit
@testable import WallboardSQLite

@Suite struct BadInputTests {
    @Test func missingFileIsReportedAndPickedUpOnceCreated() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("later.db")
        let running = RunningSource(path: path)
        let failing = try await running.wait { $0.health.problem != nil }
        #expect(failing.health.problem?.kind == .unreachable)
        #expect(failing.health.problem?.message.contains(path) == true)
        #expect(failing.health.confirmedAt == nil)
        #expect(failing.health.isStale(now: Date(), threshold: 5))
        // The reader must not have created the file.
        #expect(!FileManager.default.fileExists(atPath: path))

        try makeFixtureDatabase(at: path)
        let recovered = try await running.wait { $0.snapshot != nil }
        #expect(recovered.health.problem == nil)
        #expect(recovered.snapshot?.vehicles.count == 3)
    }

    @Test func fileThatIsNotADatabaseIsReported() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notes.db")
        try Data(String(repeating: "这不是数据库 this is not a database\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        let running = RunningSource(path: path)
        let failing = try await running.wait { $0.health.problem != nil }
        #expect(failing.health.problem?.kind == .notADatabase)
        #expect(failing.health.problem?.message.contains(path) == true)

        try FileManager.default.removeItem(atPath: path)
        try makeFixtureDatabase(at: path)
        try await running.wait { $0.snapshot != nil && $0.health.problem == nil }
    }

    @Test func missingTableIsNamed() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path)
        try SQLiteShell.run(path, "DROP TABLE seats;")
        let running = RunningSource(path: path)
        let failing = try await running.wait { $0.health.problem != nil }
        #expect(failing.health.problem?.kind == .interfaceMismatch)
        #expect(failing.health.problem?.message.contains("'seats' is missing") == true)

        try SQLiteShell.run(path, InterfaceSchema.sql)
        try await running.wait { $0.snapshot != nil && $0.health.problem == nil }
    }

    @Test func missingColumnIsNamedAndTheLastGoodSnapshotIsKept() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path)
        let running = RunningSource(path: path)
        try await running.wait { $0.snapshot != nil }

        // A site's view that forgot a column, in one transaction so the reader never sees the
        // moment between the rename and the view.
        try SQLiteShell.run(path, """
            BEGIN;
            ALTER TABLE vehicles RENAME TO vehicle_rows;
            CREATE VIEW vehicles AS SELECT id, call_sign, station_id, status, status_since, incident_id, task_id FROM vehicle_rows;
            COMMIT;
            """)
        let failing = try await running.wait { $0.health.problem != nil }
        #expect(failing.health.problem?.kind == .interfaceMismatch)
        #expect(failing.health.problem?.message.contains("'vehicles' lacks column plate") == true)
        #expect(failing.snapshot?.vehicles.count == 3, "the last good snapshot stays available")
        #expect(failing.health.problemSince != nil)

        try SQLiteShell.run(path, """
            BEGIN;
            DROP VIEW vehicles;
            CREATE VIEW vehicles AS SELECT id, call_sign, plate, station_id, status, status_since, incident_id, task_id FROM vehicle_rows;
            UPDATE vehicle_rows SET status = 8 WHERE id = 'V3';
            COMMIT;
            """)
        let recovered = try await running.wait { $0.health.problem == nil && $0.snapshot?.vehicle(id: "V3")?.status == .unavailable }
        #expect(recovered.snapshot?.vehicles.count == 3)
    }

    /// A writer holds an exclusive lock (rollback journal) for a while: the reader reports
    /// `locked`, keeps running, and reads the change once the writer commits. The issue asks
    /// about a 10-second lock; the reader's behaviour does not depend on the length (every poll
    /// fails after its 50 ms lock wait until the lock goes), so the lock is held for 1.5 s here.
    @Test func lockedDatabaseIsReportedAndTheChangeReadAfterwards() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path, journal: .delete)
        let running = RunningSource(path: path)
        try await running.wait { $0.snapshot != nil }

        let writer = try SQLiteShell.start(path)
        try writer.send("BEGIN EXCLUSIVE;\nUPDATE vehicles SET status = 9 WHERE id = 'V1';\n")
        let locked = try await running.wait { $0.health.problem?.kind == .locked }
        #expect(locked.snapshot?.vehicle(id: "V1")?.status == .standby)
        #expect(locked.health.problem?.message.contains(path) == true)
        try await Task.sleep(for: .milliseconds(1500))
        let stillLocked = running.source.currentState
        #expect(stillLocked.health.problem?.kind == .locked)
        #expect(stillLocked.health.age(now: Date()).map { $0 >= 1.4 } == true)

        try writer.send("COMMIT;\n")
        let result = await writer.finished()
        #expect(result.status == 0, "\(result.errors)")
        let recovered = try await running.wait { $0.health.problem == nil && $0.snapshot?.vehicle(id: "V1")?.status == .suspended }
        #expect(recovered.health.age(now: Date()).map { $0 < 1 } == true)
    }

    /// The file is deleted while the reader has it open: SQLite would go on reading the deleted
    /// file, so the reader must notice the path is empty, say so, keep the last snapshot, and pick
    /// up the file that is created there next.
    @Test func databaseRemovedWhileOpenIsReportedAndTheNewFileRead() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path)
        let running = RunningSource(path: path)
        try await running.wait { $0.snapshot != nil }

        try FileManager.default.removeItem(atPath: path)
        let failing = try await running.wait { $0.health.problem != nil }
        #expect(failing.health.problem?.kind == .unreachable)
        #expect(failing.health.problem?.message.contains(path) == true)
        #expect(failing.snapshot?.vehicles.count == 3, "the last good snapshot stays available")

        try makeFixtureDatabase(at: path)
        try SQLiteShell.run(path, "UPDATE vehicles SET status = 9 WHERE id = 'V2';")
        let recovered = try await running.wait { $0.health.problem == nil && $0.snapshot?.vehicle(id: "V2")?.status == .suspended }
        #expect(recovered.snapshot?.vehicles.count == 3)
    }

    /// Another database is moved onto the path (a restore, or a site's nightly copy): the reader
    /// switches to the new file within a poll or two and never reports a problem.
    @Test func databaseReplacedWhileOpenIsReadFromTheNewFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        let replacement = directory.path("restored.db")
        try makeFixtureDatabase(at: path)
        try makeFixtureDatabase(at: replacement)
        try SQLiteShell.run(replacement, "DELETE FROM vehicles WHERE id = 'V3';")
        let running = RunningSource(path: path)
        try await running.wait { $0.snapshot?.vehicles.count == 3 }

        guard rename(replacement, path) == 0 else { throw TestFailure("rename failed: errno \(errno)") }
        let switched = try await running.wait(timeout: 2) { $0.snapshot?.vehicles.count == 2 }
        #expect(switched.health.problem == nil)
        #expect(running.source.currentState.health.problemSince == nil)
    }

    /// The data's clock passes midnight while nothing is written: today's figures start again
    /// at once, not at the next commit.
    @Test func figuresStartAgainAtMidnightWithoutAWrite() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path)
        let midnight = DayBoundary.shanghai.nextDayStart(after: Date()).timeIntervalSince1970
        try SQLiteShell.run(path, """
            INSERT INTO calls (id, received_at, answered_at, ended_at, outcome) VALUES ('C1', \(midnight - 60), \(midnight - 55), \(midnight - 30), 1);
            INSERT INTO wallboard_interface (key, value) VALUES
                ('simulated_time', '\(midnight - 1.5)'), ('simulated_wall_time', CAST(\(sqlNow) AS TEXT)), ('simulated_speed', '1');
            """)
        let running = RunningSource(path: path)
        let before = try await running.wait { $0.snapshot != nil }
        #expect(before.snapshot?.figures.callsToday == 1)
        let after = try await running.wait(timeout: 5) { $0.snapshot?.dayStart.timeIntervalSince1970 == midnight }
        #expect(after.snapshot?.figures.callsToday == 0)
        #expect(after.health.problem == nil)
    }

    /// The file's pages are overwritten with garbage under the reader: it says the file is
    /// damaged, keeps the last good snapshot, and reads again once a good copy is back.
    @Test func corruptedDatabaseIsReportedAndARestoredCopyRead() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        let backup = directory.path("backup.db")
        try makeFixtureDatabase(at: path)
        try FileManager.default.copyItem(atPath: path, toPath: backup)
        let running = RunningSource(path: path)
        try await running.wait { $0.snapshot != nil }

        // Garbage over every page after the first, and a new change counter (bytes 24–27 of the
        // header) as a writer would leave, so the reader knows the file changed.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        var generator = SystemRandomNumberGenerator()
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data((4096..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        try handle.seek(toOffset: 24)
        try handle.write(contentsOf: Data([0x7F, 0x7F, 0x7F, 0x7F]))
        try handle.close()
        let failing = try await running.wait { $0.health.problem != nil }
        #expect(failing.health.problem?.kind == .notADatabase)
        #expect(failing.health.problem?.message.contains(path) == true)
        #expect(failing.snapshot?.vehicles.count == 3, "the last good snapshot stays available")

        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: backup, toPath: path)
        try await running.wait { $0.health.problem == nil && $0.snapshot?.vehicles.count == 3 }
    }

    @Test func badRowsAreMarkedOrSkippedAndTheReaderRecovers() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path)
        // A site's tables need not have the shipped schema's constraints: copy them without.
        for table in ["vehicles", "incidents", "calls", "seats"] {
            try SQLiteShell.run(path, "CREATE TABLE loose AS SELECT * FROM \(table); DROP TABLE \(table); ALTER TABLE loose RENAME TO \(table);")
        }
        try SQLiteShell.run(path, """
            INSERT INTO vehicles (id, call_sign, plate, station_id, status) VALUES ('V4', '急救4号', NULL, 'S2', 42);
            INSERT INTO vehicles (id, call_sign, station_id, status) VALUES ('V5', '急救5号', 'S9', 7);
            INSERT INTO incidents (id, received_at, priority, category, complaint, pickup_address, patient_name) VALUES
                ('E1', \(sqlNow) + 86400, 7, '疾病', '胸痛' || char(10) || '大汗' || char(7), '幸福小区' || char(27) || '[2J东门', CAST(x'e78e8bff' AS TEXT)),
                (NULL, \(sqlNow), 1, '创伤', '摔伤', '人民路', '');
            INSERT INTO calls (id, received_at, outcome) VALUES ('C1', \(sqlNow) - 30, 'shouting');
            INSERT INTO seats (id, name, dispatcher_name, state, state_since) VALUES ('D2', NULL, NULL, 'dancing', 'yesterday');
            """)
        try SQLiteShell.run(path, "UPDATE vehicles SET call_sign = NULL, status = 7 WHERE id = 'V2';")
        let running = RunningSource(path: path)
        let state = try await running.wait { $0.snapshot != nil }
        let snapshot = try #require(state.snapshot)
        #expect(state.health.problem == nil)

        let unknown = try #require(snapshot.vehicle(id: "V4"))
        #expect(unknown.statusCode == 42)
        #expect(unknown.status == nil)
        #expect(unknown.plate == "")
        #expect(snapshot.figures.vehiclesUnknownStatus == 1)
        #expect(snapshot.vehicle(id: "V2")?.callSign == "")

        let incident = try #require(snapshot.incident(id: "E1"))
        #expect(incident.receivedAt == nil, "a time stamp a day ahead is cleared")
        #expect(incident.priority == nil)
        #expect(incident.complaint == "胸痛 大汗")
        #expect(incident.pickupAddress == "幸福小区[2J东门")
        #expect(incident.patientName.hasPrefix("王"))
        #expect(snapshot.incidents.count == 1, "the incident without a key is skipped")

        let problems = Set(snapshot.issues.map { "\($0.table).\($0.column): \($0.problem.rawValue)" })
        let expected: Set<String> = [
            "vehicles.status: unknown code",
            "vehicles.station_id: refers to a missing row",
            "incidents.received_at: time stamp in the future",
            "incidents.priority: unknown code",
            "incidents.complaint: control characters removed",
            "incidents.pickup_address: control characters removed",
            "incidents.patient_name: invalid UTF-8 replaced",
            "incidents.id: missing key",
            "calls.outcome: unknown code",
            "seats.state: unknown code",
            "seats.state_since: not a time stamp",
        ]
        #expect(expected.subtracting(problems).isEmpty, "missing: \(expected.subtracting(problems))")
        #expect(snapshot.issues.contains { $0.problem == .missingKey && $0.rowSkipped })

        try SQLiteShell.run(path, """
            DELETE FROM vehicles WHERE id IN ('V4', 'V5');
            DELETE FROM incidents;
            DELETE FROM calls;
            DELETE FROM seats WHERE id = 'D2';
            UPDATE vehicles SET call_sign = '急救2号' WHERE id = 'V2';
            """)
        let clean = try await running.wait { $0.snapshot?.issues.isEmpty == true }
        #expect(clean.snapshot?.vehicles.count == 3)
    }
}
