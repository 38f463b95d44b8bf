import Foundation
import GRDB
import Synchronization
import WallboardConfig
import WallboardDrivers
import WallboardEmulator
import WallboardFonts
import WallboardProtocols
import WallboardRender
import WallboardSQLite
import WallboardService
import WallboardSimulator
import WallboardSources
import WallboardSupport
import WallboardTransport

extension BenchCatalog {
    /// The whole service: a commit reaching a door board's emulator over a pseudo-terminal, 200, 500
    /// and 1000 emulated boards keeping their clocks on time while vehicles are dispatched, and what
    /// the browser wall costs on the WebSocket.
    static let service: [BenchCase] = [
        BenchCase(name: "service-commit-to-door-board") { try await measureCommitToDoorBoard(.onbonFontCardOverPTY) },
        BenchCase(name: "service-commit-to-cpower-door-board") { try await measureCommitToDoorBoard(.cPowerOverTCP) },
        BenchCase(name: "service-commit-to-huidu-door-board") { try await measureCommitToDoorBoard(.huiduOverTCP) },
        BenchCase(name: "service-200-emulated-boards") { try await measureEmulatedFleet(count: 200, seconds: 30) },
        BenchCase(name: "service-500-emulated-boards") { try await measureEmulatedFleet(count: 500, seconds: 30) },
        BenchCase(name: "service-1000-emulated-boards") { try await measureEmulatedFleet(count: 1000, seconds: 30, models: [.bx5k, .cpower]) },
        BenchCase(name: "service-wall-browser-bytes") { try await measureWallBrowserBytes(seconds: 10, withTicker: false) },
        BenchCase(name: "service-wall-browser-bytes-ticker") { try await measureWallBrowserBytes(seconds: 10, withTicker: true) },
        BenchCase(name: "service-wall-3840x2160-browser-bytes") { try await measureWallBrowserBytes(seconds: 10, withTicker: false, wall: (3840, 2160)) },
    ]
}

/// A simulated city whose history ended an hour ago, in a fresh directory, with the simulator's
/// clock removed so the service reads it at wall-clock time.
struct BenchDatabase {
    let directory: URL
    let path: String

    init(stations: Int = 20, vehicles: Int = 60) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("dispatch.db").path
        let now = Date()
        let simulator = try await DispatchSimulator(store: SQLiteSimulationStore(path: path, journalMode: .wal), settings: SimulationSettings(
            seed: 3, stationCount: stations, vehicleCount: vehicles, start: now.addingTimeInterval(-9000), end: now.addingTimeInterval(-3600),
            followsClock: false
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

    /// Stations with no vehicle between dispatch and arrival, each with one of its vehicles on standby.
    func idleStations() async throws -> [(station: String, vehicle: String, callSign: String, name: String)] {
        let rows = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.id, v.id, v.call_sign, s.name FROM stations s JOIN vehicles v ON v.station_id = s.id
                WHERE v.status = 7 AND NOT EXISTS (
                    SELECT 1 FROM vehicles w JOIN vehicle_tasks t ON t.vehicle_id = w.id
                    WHERE w.station_id = s.id AND t.completed_at IS NULL AND t.at_scene_at IS NULL)
                ORDER BY s.id, v.id
                """)
        }
        var seen = Set<String>()
        let stations: [(station: String, vehicle: String, callSign: String, name: String)] = rows.compactMap { row in
            let station: String = row[0]
            guard seen.insert(station).inserted else { return nil }
            return (station, row[1], row[2], row[3])
        }
        guard !stations.isEmpty else { throw BenchError("the simulated city has no idle station") }
        return stations
    }

    /// Dispatches `vehicle` to a new incident `incident`, as the dispatch system would, and returns the commit time.
    func dispatch(_ vehicle: String, incident: String, queue: DatabaseQueue) async throws -> Double {
        let now = Date().timeIntervalSince1970
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO incidents (id, received_at, dispatched_at, priority, complaint, pickup_address) VALUES (?, ?, ?, 2, '腹痛', '基准路1号')", arguments: [incident, now - 30, now])
            try db.execute(sql: "INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at) VALUES (?, ?, ?, ?)", arguments: [incident, incident, vehicle, now])
            try db.execute(sql: "UPDATE vehicles SET status = 1, status_since = ?, incident_id = ?, task_id = ? WHERE id = ?", arguments: [now, incident, incident, vehicle])
        }
        return Date().timeIntervalSince1970
    }

    /// Ends the task of `incident` and puts `vehicle` back on standby.
    func standDown(_ vehicle: String, incident: String, queue: DatabaseQueue) async throws {
        try await queue.write { db in
            try db.execute(sql: "UPDATE vehicle_tasks SET completed_at = ? WHERE id = ?", arguments: [Date().timeIntervalSince1970, incident])
            try db.execute(sql: "UPDATE vehicles SET status = 7, incident_id = NULL, task_id = NULL WHERE id = ?", arguments: [vehicle])
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

/// Runs the boards' services for the length of `body`.
func withBoards<T: Sendable>(_ service: WallboardService, extra: [@Sendable () async throws -> Void] = [], _ body: @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for member in service.boardServices { group.addTask { try await member.run() } }
        for task in extra { group.addTask { try await task() } }
        defer { group.cancelAll() }
        return try await body()
    }
}

/// A door board the commit-to-board case measures: its controller, played by its emulator, and
/// the link the service reaches it over.
private enum MeasuredDoorBoard {
    case onbonFontCardOverPTY
    case cPowerOverTCP
    case huiduOverTCP

    var model: String {
        switch self {
        case .onbonFontCardOverPTY: "bx5k"
        case .cPowerOverTCP: "cpower"
        case .huiduOverTCP: "huidu"
        }
    }

    /// The emulator served where the service reaches it, and the board's `transport:` lines.
    func serve(_ emulated: EmulatedBoard) throws -> (run: @Sendable () async throws -> Void, close: @Sendable () -> Void, transport: String) {
        switch self {
        case .onbonFontCardOverPTY:
            let server = try PseudoTerminalBoardServer(board: emulated)
            return ({ try await server.run() }, { server.close() }, "serial: \(server.devicePath)\n      baud: 57600")
        case .cPowerOverTCP, .huiduOverTCP:
            let server = try TCPBoardServer(board: emulated)
            return ({ try await server.run() }, { server.close() }, "tcp: 127.0.0.1:\(server.port)")
        }
    }

    /// The text of the board's first area (window) as the emulator decoded it.
    func firstText(_ state: any BoardEmulator) -> String? {
        switch self {
        case .onbonFontCardOverPTY:
            guard let card = state as? OnbonFontCardEmulator else { return nil }
            return card.areas.keys.sorted().first.flatMap { card.areas[$0]?.text.plainText }
        case .cPowerOverTCP:
            guard let card = state as? CPowerEmulator else { return nil }
            return card.texts.keys.sorted().first.flatMap { card.texts[$0]?.text }
        case .huiduOverTCP:
            guard let card = state as? HuiduEmulator else { return nil }
            return card.program?.areas.first?.text
        }
    }
}

/// Commit → the emulated door board showing the alert (and, undone, the idle picture again).
private func measureCommitToDoorBoard(_ board: MeasuredDoorBoard) async throws -> [String: any Sendable] {
    let database = try await BenchDatabase()
    defer { database.remove() }
    guard let target = try await database.idleStations().first else { throw BenchError("no idle station") }
    let fonts = try FontLibrary.locate()
    let painter = FontChainPainter(chains: [16: try fonts.chain("cjk-16"), 24: try fonts.chain("cjk-24"), 32: try fonts.chain("cjk-32")])
    guard let model = BoardProtocols.model(named: board.model), let emulated = EmulatedBoard(model, width: 192, height: 32, painter: painter) else {
        throw BenchError("no \(board.model) emulator")
    }
    let server = try board.serve(emulated)
    defer { server.close() }
    let service = try WallboardService(configuration: try database.configuration(boards: """
          - id: door
            station: \(target.station)
            layout: LAYOUTS/door-192x32-bicolor.yaml
            protocol: \(board.model)
            transport:
              \(server.transport)
        """))
    @Sendable func firstText() async -> String? {
        board.firstText(await emulated.state)
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
    return try await withBoards(service, extra: [server.run]) {
        _ = try await wait { $0 == target.name }
        var delays: [Double] = []
        for round in 0..<30 {
            let incident = "BENCH-\(round)"
            _ = try await database.dispatch(target.vehicle, incident: incident, queue: queue)
            delays.append(try await wait { $0?.hasPrefix(target.callSign) == true }.inMilliseconds)
            try await Task.sleep(for: .milliseconds(150))
            try await database.standDown(target.vehicle, incident: incident, queue: queue)
            delays.append(try await wait { $0 == target.name }.inMilliseconds)
            try await Task.sleep(for: .milliseconds(150))
        }
        var result = percentiles(delays)
        result["what"] = "commit to the whole update decoded by the \(board.model) emulator"
        return result
    }
}

/// The 1920×1080 wall's WebSocket bytes per second against raw RGB at one frame a second.
/// `withTicker`: a call has waited two minutes, so the wall's alert ticker scrolls at 10 frames a second.
private func measureWallBrowserBytes(seconds: Double, withTicker: Bool, wall: (width: Int, height: Int) = (1920, 1080)) async throws -> [String: any Sendable] {
    let database = try await BenchDatabase()
    defer { database.remove() }
    if withTicker {
        try await DatabaseQueue(path: database.path).write { db in
            try db.execute(sql: "INSERT INTO calls (id, received_at) VALUES ('BENCH-WAITING', ?)", arguments: [Date().timeIntervalSince1970 - 120])
        }
    }
    let service = try WallboardService(configuration: try database.configuration(boards: """
          - id: wall
            layout: LAYOUTS/wall-\(wall.width)x\(wall.height).yaml
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
    let raw = Double(wall.width * wall.height * 3)
    return [
        "bytes_per_s": perSecond.rounded(), "raw_bytes_per_s": raw, "percent_of_raw": (perSecond / raw * 100_000).rounded() / 1000,
        "frames": bytes.values.count,
    ]
}

private final class LatenessLog: Sendable {
    private let stored = Mutex<[Double]>([])
    func add(_ value: Double) { stored.withLock { $0.append(value) } }
    var values: [Double] { stored.withLock { $0 } }
}

/// `count` door boards on pseudo-terminals, BX-5K font cards or `models` in turn (one of each per
/// station), played by `wallboard-dev emulate-fleet` in another process, spread over 50 stations. After a warm-up, a vehicle is dispatched every 2 s at an idle
/// station and stood down 3 s later. Reports the service's CPU and memory, how late each turn of
/// the idle clock reached each board, and how long each dispatch took from commit to its station's
/// boards. The door layout's clock shows HH:mm, so the run lasts until a minute has turned on
/// every board (`seconds` or up to a minute longer): that turn, all boards at once, is the sample.
/// With more than one model, each one's figures are reported apart too: a font card's minimum
/// interval may hold a dispatch behind the minute's turn, which a C-Power card never does.
private func measureEmulatedFleet(count: Int, seconds: Double, models: [FleetModel] = [.bx5k]) async throws -> [String: any Sendable] {
    let database = try await BenchDatabase(stations: 50, vehicles: 150)
    defer { database.remove() }
    let idle = try await database.idleStations()
    let stations = try await database.stationIDs()
    let fleet = try await EmulatorFleet(count: count, models: models, directory: database.directory)
    let boards = fleet.doorBoards(stations: stations, layoutsDirectory: "LAYOUTS")
    let configuration = try database.configuration(boards: boards)
    let service = try WallboardService(configuration: configuration)
    let boardsOfStation = fleet.boardsOfStation(stations)
    let queue = try DatabaseQueue(path: database.path)
    let fleetProcess = fleet.processIdentifier
    let measured = try await withBoards(service) {
        try await Task.sleep(for: .seconds(3))
        let start = (wall: Date().timeIntervalSince1970, clock: ContinuousClock.now, cpu: processCPUNanoseconds(), fleetCPU: ProcessResources.cpuSeconds(pid: fleetProcess))
        var dispatches: [(at: Double, station: String, callSign: String)] = []
        var pending: [(vehicle: String, incident: String, standDownAt: ContinuousClock.Instant)] = []
        var peakRSS = 0.0
        var round = 0
        let minuteTurn = ((start.wall + 1) / 60).rounded(.up) * 60
        let end = start.clock + .seconds(max(seconds, minuteTurn + 2 - start.wall))
        while ContinuousClock.now < end {
            let target = idle[round % idle.count]
            let incident = "SCALE-\(round)"
            let committed = try await database.dispatch(target.vehicle, incident: incident, queue: queue)
            dispatches.append((committed, target.station, target.callSign))
            pending.append((target.vehicle, incident, .now + .seconds(3)))
            round += 1
            let next = ContinuousClock.now + .seconds(2)
            while let first = pending.first, first.standDownAt <= next {
                try await Task.sleep(until: first.standDownAt)
                try await database.standDown(first.vehicle, incident: first.incident, queue: queue)
                pending.removeFirst()
            }
            peakRSS = max(peakRSS, ProcessResources.residentMegabytes())
            try await Task.sleep(until: next)
        }
        let elapsed = (ContinuousClock.now - start.clock).inSeconds
        return (
            start: start.wall, elapsed: elapsed, dispatches: dispatches, peakRSS: peakRSS, descriptors: ProcessResources.openDescriptors(),
            cpuPercent: Double(processCPUNanoseconds() - start.cpu) / 1e9 / elapsed * 100,
            fleetCPUPercent: (ProcessResources.cpuSeconds(pid: fleetProcess) - start.fleetCPU) / elapsed * 100
        )
    }
    let arrivals = try await fleet.stop()
    var delays: [FleetModel: [Double]] = [:]
    var missed = 0
    for dispatch in measured.dispatches {
        for model in models {
            let boardsOfKind = (boardsOfStation[dispatch.station] ?? []).filter { fleet.model(of: $0) == model }
            if let shown = arrivals.firstShown(prefix: dispatch.callSign, on: boardsOfKind, after: dispatch.at - 0.001) {
                delays[model, default: []].append((shown - dispatch.at) * 1000)
            } else {
                missed += 1
            }
        }
    }
    let timeZone = configuration.source.timeZone
    let turns = arrivals.clockTurns(from: measured.start, timeZone: timeZone)
    var byController: [String: any Sendable] = [:]
    if models.count > 1 {
        for model in models {
            let turnsOfKind = turns.filter { fleet.model(of: $0.board) == model }
            byController[model.described] = [
                "clock_lateness": percentiles(turnsOfKind.map(\.lateness)),
                "clock_turn_spread_ms": spreads(of: turnsOfKind),
                "commit_to_board": percentiles(delays[model] ?? []),
            ] as [String: any Sendable]
        }
    }
    return [
        "boards": count, "seconds": (measured.elapsed * 10).rounded() / 10,
        "cpu_percent_of_one_core": (measured.cpuPercent * 10).rounded() / 10,
        "emulators_cpu_percent_of_one_core": (measured.fleetCPUPercent * 10).rounded() / 10,
        "peak_rss_mb": measured.peakRSS, "open_descriptors": measured.descriptors,
        "clock_lateness": percentiles(turns.map(\.lateness)), "clock_turn_spread_ms": spreads(of: turns),
        "commit_to_board": percentiles(delays.values.flatMap { $0 }), "dispatches": measured.dispatches.count, "dispatches_not_shown": missed,
        "by_controller": byController,
        "what": "service in this process; boards in wallboard-dev emulate-fleet; clock lateness: arrival at the emulator after the minute the idle clock (HH:mm) shows began; clock turn spread: first to last board's arrival at each turn",
    ]
}

/// For each turn of the clocks (the minute they began), how long from the first board's
/// arrival to the last one's, in milliseconds.
private func spreads(of turns: [FleetArrivals.ClockTurn]) -> [Double] {
    Dictionary(grouping: turns, by: \.began).sorted { $0.key < $1.key }.compactMap { _, turnsThen in
        let lateness = turnsThen.map(\.lateness)
        guard let first = lateness.min(), let last = lateness.max() else { return nil }
        return ((last - first) * 10).rounded() / 10
    }
}
