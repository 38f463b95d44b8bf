import Foundation
import GRDB
import WallboardDrivers
import WallboardEmulator
import WallboardFonts
import WallboardProtocols
import WallboardRender
import WallboardSQLite
import WallboardService
import WallboardTransport

extension BenchCatalog {
    /// The whole service: a commit reaching a door board's emulator over a pseudo-terminal, 200
    /// boards keeping their clocks on time, and what the browser wall costs on the WebSocket.
    static let service: [BenchCase] = [
        BenchCase(name: "service-commit-to-door-board") { try await measureCommitToDoorBoard() },
        BenchCase(name: "service-200-boards-tick-lateness") { try await measureManyBoards(count: 200, seconds: 10) },
        BenchCase(name: "service-wall-browser-bytes") { try await measureWallBrowserBytes(seconds: 10, withTicker: false) },
        BenchCase(name: "service-wall-browser-bytes-ticker") { try await measureWallBrowserBytes(seconds: 10, withTicker: true) },
    ]
}

/// A simulated city whose history ended an hour ago, in a fresh directory, with the simulator's
/// clock removed so the service reads it at wall-clock time.
private struct BenchDatabase {
    let directory: URL
    let path: String

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("dispatch.db").path
        let now = Date()
        let simulator = try DispatchSimulator(path: path, settings: SimulationSettings(
            seed: 3, stationCount: 20, vehicleCount: 60, start: now.addingTimeInterval(-9000), end: now.addingTimeInterval(-3600),
            followsClock: false, journalMode: .wal
        ))
        try await simulator.run()
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DELETE FROM wallboard_interface WHERE key LIKE 'simulated_%'")
        }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func configuration(boards: String) throws -> ServiceConfiguration {
        let layouts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Layouts").standardized.path
        let text = """
            centre: 基准测试中心
            source:
              sqlite: \(path)
              poll: 10ms
              timeZone: Asia/Shanghai
            http:
              port: 0
            boards:
            \(boards.replacingOccurrences(of: "LAYOUTS", with: layouts))
            """
        return try ConfigLoader.load(text, file: directory.appendingPathComponent("bench.yaml").path)
    }

    /// A station with no vehicle between dispatch and arrival, and one of its vehicles on standby.
    func idleStation() async throws -> (station: String, vehicle: String, callSign: String, name: String) {
        try await DatabaseQueue(path: path).read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.id, v.id, v.call_sign, s.name FROM stations s JOIN vehicles v ON v.station_id = s.id
                WHERE v.status = 7 AND NOT EXISTS (
                    SELECT 1 FROM vehicles w JOIN vehicle_tasks t ON t.vehicle_id = w.id
                    WHERE w.station_id = s.id AND t.completed_at IS NULL AND t.at_scene_at IS NULL)
                ORDER BY s.id LIMIT 1
                """) else { throw BenchError("the simulated city has no idle station") }
            return (row[0], row[1], row[2], row[3])
        }
    }

    func stationIDs() async throws -> [String] {
        try await DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT id FROM stations ORDER BY id") }
    }
}

private struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

private func percentiles(_ values: [Double]) -> [String: any Sendable] {
    let sorted = values.sorted()
    func at(_ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return (sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))] * 10).rounded() / 10
    }
    return ["p50_ms": at(0.5), "p99_ms": at(0.99), "max_ms": at(1), "samples": sorted.count]
}

private func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// Runs the boards' services for the length of `body`.
private func withBoards<T: Sendable>(_ service: WallboardService, extra: [@Sendable () async throws -> Void] = [], _ body: @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for member in service.boardServices { group.addTask { try await member.run() } }
        for task in extra { group.addTask { try await task() } }
        defer { group.cancelAll() }
        return try await body()
    }
}

/// Commit → the emulated font card showing the alert (and, undone, the idle picture again).
private func measureCommitToDoorBoard() async throws -> [String: any Sendable] {
    let database = try await BenchDatabase()
    defer { database.remove() }
    let target = try await database.idleStation()
    let fonts = try FontLibrary.locate()
    let painter = FontChainPainter(chains: [16: try fonts.chain("cjk-16"), 24: try fonts.chain("cjk-24"), 32: try fonts.chain("cjk-32")])
    guard let emulated = EmulatedBoard(protocol: .bx5k, width: 192, height: 32, painter: painter) else { throw BenchError("no bx5k emulator") }
    let server = try PseudoTerminalBoardServer(board: emulated)
    defer { server.close() }
    let service = try WallboardService(configuration: try database.configuration(boards: """
          - id: door
            station: \(target.station)
            layout: LAYOUTS/door-192x32-bicolor.yaml
            protocol: bx5k
            transport:
              serial: \(server.devicePath)
              baud: 57600
        """))
    @Sendable func firstText() async -> String? {
        guard let card = await emulated.state as? OnbonFontCardEmulator else { return nil }
        return card.areas.keys.sorted().first.flatMap { card.areas[$0]?.text.plainText }
    }
    @Sendable func wait(for condition: @Sendable (String?) -> Bool) async throws -> Duration {
        let start = ContinuousClock.now
        while !condition(await firstText()) {
            if ContinuousClock.now - start > .seconds(10) { throw BenchError("the board did not change within 10 s") }
            try await Task.sleep(for: .microseconds(200))
        }
        return ContinuousClock.now - start
    }
    let queue = try DatabaseQueue(path: database.path)
    return try await withBoards(service, extra: [{ try await server.run() }]) {
        _ = try await wait { $0 == target.name }
        var delays: [Double] = []
        for round in 0..<30 {
            let now = Date().timeIntervalSince1970
            let incident = "BENCH-\(round)"
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO incidents (id, received_at, dispatched_at, priority, complaint, pickup_address) VALUES (?, ?, ?, 2, '腹痛', '基准路1号')", arguments: [incident, now - 30, now])
                try db.execute(sql: "INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at) VALUES (?, ?, ?, ?)", arguments: [incident, incident, target.vehicle, now])
                try db.execute(sql: "UPDATE vehicles SET status = 1, status_since = ?, incident_id = ?, task_id = ? WHERE id = ?", arguments: [now, incident, incident, target.vehicle])
            }
            delays.append(milliseconds(try await wait { $0?.hasPrefix(target.callSign) == true }))
            try await Task.sleep(for: .milliseconds(150))
            try await queue.write { db in
                try db.execute(sql: "UPDATE vehicle_tasks SET completed_at = ? WHERE id = ?", arguments: [Date().timeIntervalSince1970, incident])
                try db.execute(sql: "UPDATE vehicles SET status = 7, incident_id = NULL, task_id = NULL WHERE id = ?", arguments: [target.vehicle])
            }
            delays.append(milliseconds(try await wait { $0 == target.name }))
            try await Task.sleep(for: .milliseconds(150))
        }
        var result = percentiles(delays)
        result["what"] = "commit to the whole update decoded by the bx5k emulator over a pty"
        return result
    }
}

/// `count` door boards in the browser; how late each clock second reaches its board.
private func measureManyBoards(count: Int, seconds: Double) async throws -> [String: any Sendable] {
    let database = try await BenchDatabase()
    defer { database.remove() }
    let stations = try await database.stationIDs()
    let boards = (0..<count).map { index in
        """
          - id: door-\(index)
            station: \(stations[index % stations.count])
            layout: LAYOUTS/door-192x32-bicolor.yaml
            transport: browser
        """
    }.joined(separator: "\n")
    let service = try WallboardService(configuration: try database.configuration(boards: boards))
    let lateness = LatenessLog()
    let cpuStart = processCPUNanoseconds()
    let wallStart = ContinuousClock.now
    try await withBoards(service) {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for monitor in service.monitors {
                group.addTask {
                    var seen = 0
                    var texts: [String] = []
                    for await frame in monitor.frames() {
                        let now = Date().timeIntervalSince1970
                        // Only the clock's turns (its text changes), not the scrolling between them;
                        // the first frames carry the start-up (no data, then the first snapshot).
                        let current = frame.textAreas.map(\.text)
                        defer { texts = current }
                        seen += 1
                        guard seen > 2, current != texts else { continue }
                        lateness.add((now - now.rounded(.down)) * 1000)
                    }
                }
            }
            try await Task.sleep(for: .seconds(seconds))
            group.cancelAll()
        }
    }
    let wall = milliseconds(ContinuousClock.now - wallStart) / 1000
    var result = percentiles(lateness.values)
    result["boards"] = count
    result["cpu_percent_of_one_core"] = ((Double(processCPUNanoseconds() - cpuStart) / 1e9 / wall * 100) * 10).rounded() / 10
    result["rss_mb"] = residentMegabytes()
    result["what"] = "lateness after the second boundary of each clock update seen by a frame subscriber"
    return result
}

/// The 1920×1080 wall's WebSocket bytes per second against raw RGB at one frame a second.
/// `withTicker`: a call has waited two minutes, so the wall's alert ticker scrolls at 10 frames a second.
private func measureWallBrowserBytes(seconds: Double, withTicker: Bool) async throws -> [String: any Sendable] {
    let database = try await BenchDatabase()
    defer { database.remove() }
    if withTicker {
        try await DatabaseQueue(path: database.path).write { db in
            try db.execute(sql: "INSERT INTO calls (id, received_at) VALUES ('BENCH-WAITING', ?)", arguments: [Date().timeIntervalSince1970 - 120])
        }
    }
    let service = try WallboardService(configuration: try database.configuration(boards: """
          - id: wall
            layout: LAYOUTS/wall-1920x1080.yaml
            transport: browser
        """))
    guard let monitor = service.monitor(id: "wall") else { throw BenchError("no wall") }
    let bytes = LatenessLog()
    try await withBoards(service) {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var previous: Bitmap?
                var frames = 0
                for await frame in monitor.frames() {
                    frames += 1
                    let regions = FrameUpdates.changedRegions(frame.bitmap, since: previous)
                    previous = frame.bitmap
                    // Steady state: after the first whole frame and the first snapshot.
                    if frames > 2 { bytes.add(Double(FrameUpdates.message(frame.bitmap, regions: regions)?.count ?? 0)) }
                }
            }
            try await Task.sleep(for: .seconds(seconds))
            group.cancelAll()
        }
    }
    let perSecond = bytes.values.reduce(0, +) / seconds
    let raw = Double(1920 * 1080 * 3)
    return [
        "bytes_per_s": perSecond.rounded(), "raw_bytes_per_s": raw, "percent_of_raw": (perSecond / raw * 100_000).rounded() / 1000,
        "frames": bytes.values.count,
    ]
}

private final class LatenessLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Double] = []
    func add(_ value: Double) { lock.withLock { stored.append(value) } }
    var values: [Double] { lock.withLock { stored } }
}

private func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return .nan }
    return (kilobytes / 1024 * 10).rounded() / 10
}
