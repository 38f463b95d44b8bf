
#if canImport(Glibc)
import Foundation
import Glibc
import WallboardConfig
import WallboardDispatch
import WallboardInterface
import WallboardSQLite
import WallboardSimulator
import WallboardSourceKit
import WallboardSources
import WallboardSupport
#endif

extension BenchCatalog {
    static let dispatch: [BenchCase] = [
        BenchCase(name: "commit-to-snapshot") { try await DispatchBench.commitToSnapshot(journal: .wal) },
        BenchCase(name: "commit-to-snapshot-rollback") { try await DispatchBench.commitToSnapshot(journal: .delete) },
        BenchCase(name: "idle-poll-cpu") { try await DispatchBench.idlePollCPU() },
        BenchCase(name: "snapshot-read") { try DispatchBench.snapshotRead() },
    ]
}

/// Measurements of the SQLite source against real files and a writer in another process.
enum DispatchBench {
    struct BenchError: Error, CustomStringConvertible {
        let description: String
    }

    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A simulated half day in a fresh file, with the simulator's clock rows removed so that the
    /// reader runs on the wall clock like against a real dispatch system.
    static func simulatedDatabase(in directory: URL, journal: SQLiteJournalMode) async throws -> String {
        let path = directory.appendingPathComponent("dispatch.db").path
        let now = Date()
        let settings = SimulationSettings(
            seed: 1, start: now.addingTimeInterval(-12 * 3600), end: now, followsClock: false
        )
        try await DispatchSimulator(store: SQLiteSimulationStore(path: path, journalMode: journal), settings: settings).run()
        try runSQLite(path, "DELETE FROM wallboard_interface WHERE key LIKE 'simulated_%';")
        return path
    }

    static func sqliteExecutable() throws -> String {
        guard let path = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BenchError(description: "the sqlite3 program is needed as the writer process (apt-get install sqlite3)")
        }
        return path
    }

    static func runSQLite(_ path: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try sqliteExecutable())
        process.arguments = [path, sql]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError(description: "sqlite3 \(path) failed (status \(process.terminationStatus))") }
    }

    /// A `sqlite3` process stamps a vehicle's status time with its own clock and commits; the
    /// delay is from that stamp until a snapshot holding it is published. 200 commits, spaced
    /// irregularly so that they fall at every phase of the poll.
    static func commitToSnapshot(journal: SQLiteJournalMode) async throws -> [String: any Sendable] {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try await simulatedDatabase(in: directory, journal: journal)
        let source = DispatchSources.make(SourceSettings(address: SQLiteFile(path: path), timeZone: DayBoundary.shanghai.timeZone))
        let poller = Task { await source.run() }
        defer { poller.cancel() }

        let (writer, input) = try writerProcess(sqliteExecutable(), [path])
        defer { writer.terminate() }
        // A writer waits for readers like a dispatch system would; in WAL mode commits skip the fsync,
        // as WAL applications usually do, so the stamp is close to the commit.
        try input.write(contentsOf: Data(
            ".timeout 2000\n\(journal == .wal ? "PRAGMA synchronous = NORMAL;\n" : "")".utf8
        ))
        let delays = try await commitDelays(
            source, vehicle: "V001", writer: input,
            update: "UPDATE vehicles SET status_since = (julianday('now') - 2440587.5) * 86400.0 WHERE id = 'V001';"
        )
        try input.close()
        return [
            "commits": delays.count,
            "journal": journal.rawValue,
            "poll_ms": 10,
            "median_ms": rounded(percentile(delays, 0.5)),
            "p99_ms": rounded(percentile(delays, 0.99)),
            "max_ms": rounded(delays.last ?? 0),
        ]
    }

    /// CPU time the process spends while the source polls an unchanging database for 3 s.
    static func idlePollCPU() async throws -> [String: any Sendable] {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try await simulatedDatabase(in: directory, journal: .wal)
        let source = DispatchSources.make(SourceSettings(address: SQLiteFile(path: path), timeZone: DayBoundary.shanghai.timeZone))
        let poller = Task { await source.run() }
        defer { poller.cancel() }
        var iterator = source.states().makeAsyncIterator()
        while await iterator.next()?.snapshot == nil {}

        let seconds = 3.0
        let cpuBefore = processCPUSeconds()
        let wallBefore = Date()
        try await Task.sleep(for: .seconds(seconds))
        let cpu = processCPUSeconds() - cpuBefore
        let wall = Date().timeIntervalSince(wallBefore)
        let polls = wall / 0.010
        return [
            "seconds": rounded(wall),
            "cpu_percent_of_core": rounded(cpu / wall * 100),
            "us_per_poll": rounded(cpu / polls * 1e6),
        ]
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// One snapshot of a large centre: 500 vehicles, 200 active incidents, 10,000 calls today.
    static func snapshotRead() throws -> [String: any Sendable] {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("large.db").path
        let sql = "PRAGMA journal_mode = wal;\n" + InterfaceSchema.sql + "\nBEGIN;\n" + largeCentreRows() + "COMMIT;\n"
        let scriptURL = directory.appendingPathComponent("fill.sql")
        try Data(sql.utf8).write(to: scriptURL)
        try runSQLite(path, ".read \(scriptURL.path)")

        let reader = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai))
        try reader.open()
        defer { reader.close() }
        let clock = ContinuousClock()
        var snapshot = try reader.readSnapshot()
        var times: [Double] = []
        var cpuTimes: [Double] = []
        for _ in 0..<60 {
            let start = clock.now
            let cpuStart = threadCPUSeconds()
            snapshot = try reader.readSnapshot()
            cpuTimes.append((threadCPUSeconds() - cpuStart) * 1000)
            let elapsed = clock.now - start
            times.append(elapsed.inMilliseconds)
        }
        cpuTimes.sort()
        // The same read with a full count of the day's calls every time (done once a minute by default).
        let recounting = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai, settledRecount: 0))
        try recounting.open()
        defer { recounting.close() }
        var recountTimes: [Double] = []
        for _ in 0..<20 {
            let start = clock.now
            _ = try recounting.readSnapshot()
            let elapsed = clock.now - start
            recountTimes.append(elapsed.inMilliseconds)
        }
        recountTimes.sort()
        guard snapshot.vehicles.count == 500, snapshot.incidents.count == 200, snapshot.figures.callsToday == 10_000 else {
            throw BenchError(description: "fixture mismatch: \(snapshot.vehicles.count) vehicles, \(snapshot.incidents.count) incidents, \(snapshot.figures.callsToday) calls")
        }
        times.sort()
        return [
            "vehicles": 500, "active_incidents": 200, "calls_today": 10_000,
            "median_ms": rounded(percentile(times, 0.5)),
            "p99_ms": rounded(percentile(times, 0.99)),
            "cpu_median_ms": rounded(percentile(cpuTimes, 0.5)),
            "full_recount_median_ms": rounded(percentile(recountTimes, 0.5)),
        ]
    }

    /// The rows of a large centre, as plain INSERT statements either database takes: 50 stations,
    /// 500 vehicles (200 on a task), 200 active incidents among 1,200 today, 10,000 calls today.
    static func largeCentreRows() -> String {
        let now = Date().timeIntervalSince1970
        let dayStart = DayBoundary.shanghai.dayStart(containing: Date()).timeIntervalSince1970
        // Today so far, however little of it has passed: a call after now is not one of today's.
        let span = max(now - dayStart - 60, 1)
        var sql = ""
        for station in 1...50 {
            sql += "INSERT INTO stations (id, name, district, sort_order) VALUES ('S\(station)', '第\(station)分站', '东城区', \(station));\n"
        }
        for vehicle in 1...500 {
            let onTask = vehicle <= 200
            sql += "INSERT INTO vehicles (id, call_sign, plate, station_id, status, status_since, incident_id, task_id) VALUES "
                + "('V\(vehicle)', '急救\(vehicle)号', '粤A·\(10000 + vehicle)', 'S\(vehicle % 50 + 1)', \(onTask ? vehicle % 6 : 7), \(now - 300), "
                + (onTask ? "'E\(vehicle)', 'T\(vehicle)');\n" : "NULL, NULL);\n")
        }
        for incident in 1...1200 {
            let active = incident <= 200
            let received = dayStart + span * Double(incident) / 1200
            sql += "INSERT INTO incidents (id, call_id, received_at, answered_at, dispatched_at, closed_at, priority, category, complaint, "
                + "incident_address, pickup_address, landmark, district, destination_hospital, patient_name, patient_sex, patient_age, callback_phone) VALUES "
                + "('E\(incident)', 'C\(incident)', \(received), \(received + 5), \(received + 90), \(active ? "NULL" : String(received + 3600)), \(incident % 3 + 1), "
                + "'疾病', '胸痛伴大汗1小时', '东城区人民路\(incident)号幸福小区3栋2单元1201', '幸福小区东门', '中心广场附近', '东城区', '市第一人民医院', '王伟', '男', 67, '13800138000');\n"
            sql += "INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at, departed_at, at_scene_at, completed_at) VALUES "
                + "('T\(incident)', 'E\(incident)', 'V\(incident % 500 + 1)', \(received + 90), \(received + 160), \(received + 700), \(active ? "NULL" : String(received + 3600)));\n"
        }
        let outcomes = ["'valid'", "'valid'", "'information'", "'silent'", "'nuisance'", "'misdial'"]
        for call in 1...10_000 {
            let received = dayStart + span * Double(call) / 10_000
            sql += "INSERT INTO calls (id, received_at, answered_at, ended_at, seat_id, outcome, caller_phone) VALUES "
                + "('C\(call)', \(received), \(received + 4), \(received + 90), 'D1', \(outcomes[call % outcomes.count]), '13900139000');\n"
        }
        return sql
    }

    /// A writer in another process (sqlite3, psql) reading statements from the returned handle.
    static func writerProcess(_ executable: String, _ arguments: [String]) throws -> (Process, FileHandle) {
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: executable)
        writer.arguments = arguments
        let input = Pipe()
        writer.standardInput = input
        writer.standardOutput = FileHandle.nullDevice
        try writer.run()
        return (writer, input.fileHandleForWriting)
    }

    /// Sends `update` (which stamps `vehicle`'s status time with the writer's clock) to a writer
    /// process 200 times, spaced irregularly so that the commits fall at every phase of a poll, and
    /// returns each delay in milliseconds from the stamp until a snapshot holding it is published, sorted.
    static func commitDelays(_ source: any DispatchStateSource, vehicle: String, writer: FileHandle, update: String) async throws -> [Double] {
        var iterator = source.states().makeAsyncIterator()
        func next() async throws -> SourceState {
            guard let state = await iterator.next() else { throw BenchError(description: "the source stopped") }
            if let problem = state.health.problem { throw BenchError(description: "\(problem)") }
            return state
        }
        var previous: Date?
        while previous == nil {
            previous = try await next().snapshot?.vehicle(id: vehicle)?.statusSince
        }
        var delays: [Double] = []
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            try writer.write(contentsOf: Data((update + "\n").utf8))
            while true {
                let state = try await next()
                let noticed = Date()
                guard let stamp = state.snapshot?.vehicle(id: vehicle)?.statusSince, stamp != previous else { continue }
                previous = stamp
                delays.append(noticed.timeIntervalSince(stamp) * 1000)
                break
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...40, using: &random)))
        }
        return delays.sorted()
    }

    /// CPU time of the calling thread: unlike wall time, not inflated when other work shares the cores.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }

    static func rounded(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }
}
