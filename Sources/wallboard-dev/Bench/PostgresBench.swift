import Foundation
import Glibc
import WallboardConfig
import WallboardDispatch
import WallboardFonts
import WallboardLayout
import WallboardLocalPostgres
import WallboardPostgres
import WallboardSupport

extension BenchCatalog {
    static let postgres: [BenchCase] = [
        BenchCase(name: "postgres-commit-to-snapshot") { try await PostgresBench.commitToSnapshot(throughStandby: false) },
        BenchCase(name: "postgres-replica-commit-to-snapshot") { try await PostgresBench.commitToSnapshot(throughStandby: true) },
        BenchCase(name: "postgres-snapshot-read") { try await PostgresBench.snapshotRead() },
        BenchCase(name: "postgres-100-station-instances") { try await PostgresBench.stationInstances(count: 100) },
        BenchCase(name: "postgres-300-station-instances") { try await PostgresBench.stationInstances(count: 100, readersBeside: 200) },
    ]
}

/// Measurements of the PostgreSQL source against private servers this benchmark starts (a primary
/// and a hot standby), with writers in other processes.
enum PostgresBench {
    typealias BenchError = DispatchBench.BenchError
    static let database = "dispatch"

    /// A primary holding a large centre (see `DispatchBench.largeCentreRows`) with the NOTIFY triggers.
    static func largeCentre(maxConnections: Int = 100) throws -> LocalPostgresServer {
        let server = try LocalPostgresServer.primary(maxConnections: maxConnections)
        try server.psql("CREATE DATABASE \(database)")
        let script = server.folder.appendingPathComponent("centre.sql")
        try Data((PostgresInterface.schemaScript + "\n" + PostgresInterface.notifyScript + "\nBEGIN;\n" + DispatchBench.largeCentreRows() + "COMMIT;\n").utf8)
            .write(to: script)
        try server.psql(file: script.path, database: database)
        // A centre's server has statistics on its tables (autovacuum keeps them); freshly loaded
        // rows have none until it comes round, and the planner guesses without them.
        try server.psql("ANALYZE", database: database)
        return server
    }

    static func settings(_ servers: [LocalPostgresServer], applicationName: String = "wallboard-bench") -> PostgresSettings {
        PostgresSettings(
            hosts: servers.compactMap { PostgresSettings.Host($0.address) }, database: database, user: LocalPostgresServer.user,
            tls: .disable, applicationName: applicationName
        )
    }

    /// A `psql` process (the writer) stamps a vehicle's status time with the server's clock and
    /// commits; the delay is from that stamp until a snapshot holding it is published. 200 commits,
    /// spaced irregularly so that they fall at every phase of the standby's poll.
    static func commitToSnapshot(throughStandby: Bool) async throws -> [String: any Sendable] {
        let primary = try largeCentre()
        let standby = throughStandby ? try primary.standby() : nil
        let source = PostgresDispatchSource(configuration: PostgresSourceConfiguration(
            connection: settings([standby ?? primary]), dayBoundary: .shanghai
        ))
        let reader = Task { await source.run() }
        defer { reader.cancel() }

        let (writer, input) = try DispatchBench.writerProcess(
            "/usr/bin/psql", ["-h", "127.0.0.1", "-p", String(primary.port), "-U", LocalPostgresServer.user, "-d", database, "-q", "-X"]
        )
        defer { writer.terminate() }

        let delays = try await DispatchBench.commitDelays(
            source, vehicle: "V300", writer: input,
            update: "UPDATE vehicles SET status_since = extract(epoch FROM clock_timestamp()) WHERE id = 'V300';"
        )
        try input.close()
        return [
            "commits": delays.count,
            "through": throughStandby ? "standby, polling the replay position every 20 ms" : "primary, LISTEN/NOTIFY",
            "vehicles": 500, "calls_today": 10_000,
            "median_ms": DispatchBench.rounded(DispatchBench.percentile(delays, 0.5)),
            "p99_ms": DispatchBench.rounded(DispatchBench.percentile(delays, 0.99)),
            "max_ms": DispatchBench.rounded(delays.last ?? 0),
        ]
    }

    /// One snapshot of the large centre in one REPEATABLE READ transaction, over loopback.
    static func snapshotRead() async throws -> [String: any Sendable] {
        let server = try largeCentre()
        let connection = settings([server])
        let configuration = PostgresSourceConfiguration(connection: connection, dayBoundary: .shanghai)
        guard let host = connection.hosts.first else { throw BenchError(description: "no host") }
        let session = try await PostgresSession.open(host, configuration, logger: .init(label: "bench"))
        var snapshot = try await session.readSnapshot()
        let clock = ContinuousClock()
        var times: [Double] = []
        var cpuTimes: [Double] = []
        for _ in 0..<60 {
            let start = clock.now
            let cpuStart = processCPUNanoseconds()
            snapshot = try await session.readSnapshot()
            cpuTimes.append(Double(processCPUNanoseconds() - cpuStart) / 1e6)
            times.append((clock.now - start).inMilliseconds)
        }
        await session.close()
        guard snapshot.vehicles.count == 500, snapshot.incidents.count == 200, snapshot.figures.callsToday == 10_000 else {
            throw BenchError(description: "fixture mismatch: \(snapshot.vehicles.count) vehicles, \(snapshot.incidents.count) incidents, \(snapshot.figures.callsToday) calls")
        }
        times.sort()
        cpuTimes.sort()
        return [
            "vehicles": 500, "active_incidents": 200, "calls_today": 10_000,
            "median_ms": DispatchBench.rounded(DispatchBench.percentile(times, 0.5)),
            "p99_ms": DispatchBench.rounded(DispatchBench.percentile(times, 0.99)),
            "client_cpu_median_ms": DispatchBench.rounded(DispatchBench.percentile(cpuTimes, 0.5)),
        ]
    }

    /// `count` Wallboard instances (processes), one per station, each driving that station's door
    /// board (emulated in one more process) from one primary: what the server and each instance use
    /// while idle, how long a dispatch takes from the commit to the station's board, and how many
    /// bytes each instance reads per commit. `readersBeside` more instances, too many for this
    /// machine to run as processes, are each the source a station's instance runs (its connection,
    /// LISTEN and reads, scoped to a door board at its station) in this process, without boards.
    static func stationInstances(count: Int, readersBeside: Int = 0) async throws -> [String: any Sendable] {
        let server = try largeCentre(maxConnections: count + readersBeside + 50)
        let directory = server.folder
        let fleet = try await EmulatorFleet(count: count, directory: directory)
        let layouts = FileManager.default.currentDirectoryPath + "/Layouts"
        let stationIDs = (1...count).map { "S\(($0 - 1) % 50 + 1)" }
        var instances: [Process] = []
        defer { for instance in instances where instance.isRunning { instance.terminate() } }
        let boards = fleet.doorBoards(stations: stationIDs, layoutsDirectory: layouts).components(separatedBy: "\n  - id: ")
        for index in 0..<count {
            let config = directory.appendingPathComponent("station-\(index).yaml")
            let board = index == 0 ? boards[0] : "  - id: " + boards[index]
            try """
                centre: 测试急救中心
                source:
                  postgres:
                    hosts: [\(server.address)]
                    database: \(database)
                    user: \(LocalPostgresServer.user)
                    sslmode: disable
                    applicationName: wallboard-station-\(index)
                http:
                  port: 0
                boards:
                \(board)
                """.write(to: config, atomically: true, encoding: .utf8)
            let instance = Process()
            instance.executableURL = try EmulatorFleet.productProgram()
            instance.arguments = ["serve", "--config", config.path]
            instance.standardOutput = FileHandle.nullDevice
            instance.standardError = FileHandle.nullDevice
            try instance.run()
            instances.append(instance)
        }
        let doorLayout = try LayoutLoader(fontNames: FontLibrary.locate(explicit: nil).names + FontLibrary.namedChains.map(\.name))
            .load(contentsOf: URL(fileURLWithPath: layouts + "/door-192x32-bicolor.yaml"))
        let readers = (0..<readersBeside).map { index in
            let source = PostgresDispatchSource(configuration: PostgresSourceConfiguration(
                connection: settings([server], applicationName: "wallboard-station-\(count + index)"), dayBoundary: .shanghai,
                scope: ReadScope(boards: [("S\((count + index) % 50 + 1)", doorLayout)])
            ))
            return (source, Task { await source.run() })
        }
        defer { for reader in readers { reader.1.cancel() } }
        // Settled: every instance connected and its board drawn.
        let started = ContinuousClock.now
        while try Int(server.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'wallboard-station-%'")) ?? 0 < count + readersBeside {
            guard ContinuousClock.now - started < .seconds(180) else { throw BenchError(description: "not every instance connected within 180 s") }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await Task.sleep(for: .seconds(10))

        let idleSeconds = 10.0
        let serverProcesses = postgresProcesses(of: server)
        let instanceCPU = instances.map { ProcessResources.cpuSeconds(pid: $0.processIdentifier) }
        let serverCPU = serverProcesses.map { ProcessResources.cpuSeconds(pid: $0) }.reduce(0, +)
        try await Task.sleep(for: .seconds(idleSeconds))
        let idlePercent = zip(instances, instanceCPU).map { (ProcessResources.cpuSeconds(pid: $0.processIdentifier) - $1) / idleSeconds * 100 }.sorted()
        let serverIdlePercent = (postgresProcesses(of: server).map { ProcessResources.cpuSeconds(pid: $0) }.reduce(0, +) - serverCPU) / idleSeconds * 100
        let resident = instances.map { ProcessResources.residentMegabytes(pid: $0.processIdentifier) }.sorted()
        let connections = Int(try server.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'wallboard-station-%'")) ?? -1

        // Dispatches, one station at a time: commit to that station's board showing the vehicle.
        var delays: [Double] = []
        let dispatchedCPU = serverProcesses.map { ProcessResources.cpuSeconds(pid: $0) }.reduce(0, +)
        let readBefore = instances.map { bytesRead(pid: $0.processIdentifier) }
        var commits = 0
        let dispatchStarted = Date()
        var committedAt: [(board: Int, callSign: String, at: Double)] = []
        for board in stride(from: 0, to: count, by: max(1, count / 25)) {
            let station = (board % 50) + 1
            let vehicle = 200 + station  // idle vehicles V201…V250 stand at stations S2…S50, S1
            let vehicleStation = vehicle % 50 + 1
            let callSign = "急救\(vehicle)号"
            let sql = """
                BEGIN;
                INSERT INTO incidents (id, received_at, answered_at, dispatched_at, priority, category, complaint, incident_address, pickup_address)
                VALUES ('BENCH-\(board)', extract(epoch FROM now()) - 60, extract(epoch FROM now()) - 55, extract(epoch FROM now()), 1, '疾病', '胸痛', '测试路\(board)号', '测试路\(board)号东门');
                INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at) VALUES ('BENCH-T\(board)', 'BENCH-\(board)', 'V\(vehicle)', extract(epoch FROM now()));
                UPDATE vehicles SET status = 1, status_since = extract(epoch FROM now()), incident_id = 'BENCH-\(board)', task_id = 'BENCH-T\(board)' WHERE id = 'V\(vehicle)';
                COMMIT;
                """
            let at = Date().timeIntervalSince1970
            try server.session(sql, database: database)
            commits += 1
            let boardsOfStation = stationIDs.indices.filter { stationIDs[$0] == "S\(vehicleStation)" }
            for shown in boardsOfStation { committedAt.append((shown, callSign, at)) }
            try await Task.sleep(for: .milliseconds(300))
        }
        try await Task.sleep(for: .seconds(3))
        let dispatchServerPercent = (serverProcesses.map { ProcessResources.cpuSeconds(pid: $0) }.reduce(0, +) - dispatchedCPU)
            / Date().timeIntervalSince(dispatchStarted) * 100
        // Everything an instance read while the dispatches went on (the server's answers most of all), per commit.
        let readPerCommit = zip(instances, readBefore).map { (bytesRead(pid: $0.processIdentifier) - $1) / Double(max(1, commits)) }.sorted()
        let skipped = readers.map(\.0.skippedNotifications).sorted()
        for instance in instances { instance.terminate() }
        let arrivals = try await fleet.stop()
        var missing = 0
        for commit in committedAt {
            if let shown = arrivals.firstShown(prefix: commit.callSign, on: [commit.board], after: commit.at) {
                delays.append((shown - commit.at) * 1000)
            } else {
                missing += 1
            }
        }
        var result: [String: any Sendable] = [
            "instances": count,
            "connections": connections,
            "server_idle_cpu_percent_of_core": DispatchBench.rounded(serverIdlePercent),
            "server_cpu_percent_of_core_while_dispatching": DispatchBench.rounded(dispatchServerPercent),
            "instance_idle_cpu_percent_median": DispatchBench.rounded(DispatchBench.percentile(idlePercent, 0.5)),
            "instance_idle_cpu_percent_max": DispatchBench.rounded(idlePercent.last ?? 0),
            "instance_rss_mb_median": DispatchBench.rounded(DispatchBench.percentile(resident, 0.5)),
            "instance_rss_mb_max": DispatchBench.rounded(resident.last ?? 0),
            "dispatches_not_shown": missing,
            "commits": commits,
            "bytes_read_per_commit_per_instance_median": DispatchBench.rounded(DispatchBench.percentile(readPerCommit, 0.5)),
            "bytes_read_per_commit_per_instance_max": DispatchBench.rounded(readPerCommit.last ?? 0),
        ]
        if readersBeside > 0 {
            result["sources_beside_the_instances"] = readersBeside
            result["notifications_skipped_per_source_median"] = DispatchBench.percentile(skipped.map(Double.init), 0.5)
        }
        for (key, value) in percentiles(delays) { result["commit_to_board_\(key)"] = value }
        return result
    }

    /// What process `pid` has read through system calls (sockets included): `rchar` of /proc/PID/io.
    static func bytesRead(pid: Int32) -> Double {
        guard let io = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8),
              let line = io.split(separator: "\n").first(where: { $0.hasPrefix("rchar:") })
        else { return .nan }
        return Double(line.split(separator: " ").last ?? "") ?? .nan
    }

    /// The server's processes: the postmaster (whose pid heads postmaster.pid) and its children.
    static func postgresProcesses(of server: LocalPostgresServer) -> [Int32] {
        guard let pidFile = try? String(contentsOf: server.folder.appendingPathComponent("data/postmaster.pid"), encoding: .utf8),
              let postmaster = pidFile.split(separator: "\n").first.flatMap({ Int32($0) })
        else { return [] }
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let afterName = stat.range(of: ") ", options: .backwards)
            else { return false }
            return stat[afterName.upperBound...].split(separator: " ").dropFirst().first.flatMap { Int32($0) } == postmaster
        }
        return [postmaster] + children
    }
}
