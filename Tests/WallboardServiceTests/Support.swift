import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WallboardConfig
import WallboardDispatch
import WallboardExport
import WallboardRender
import WallboardSQLite
import WallboardSimulator
import WallboardSources
import WallboardTestKit
@testable import WallboardService

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-service-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }

    static var layoutsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Layouts")
    }

    /// The shipped 192×32 door layout with its idle clock showing seconds (it shows HH:mm), for
    /// tests that watch a board tick every second; its path in this directory.
    func doorLayoutWithSeconds() throws -> String {
        let shipped = try String(contentsOf: Self.layoutsDirectory.appendingPathComponent("door-192x32-bicolor.yaml"), encoding: .utf8)
        let withSeconds = shipped.replacingOccurrences(of: #"clock: "HH:mm""#, with: #"clock: "HH:mm:ss""#)
        guard withSeconds != shipped else { throw TestFailure("door-192x32-bicolor.yaml has no clock \"HH:mm\" to show seconds in") }
        let path = path("door-with-seconds.yaml")
        try withSeconds.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A simulated centre in a SQLite file, with the simulator's clock removed so the reader uses
/// the wall clock, and with a way to dispatch one vehicle as a dispatch system would.
struct DemoDatabase {
    let path: String

    /// Ninety simulated minutes of history ending an hour ago: a copy of one simulation per
    /// journal mode, made once per test run (simulating is the slow part).
    init(directory: TemporaryDirectory, name: String = "dispatch.db", journalMode: SQLiteJournalMode = .wal) async throws {
        path = directory.path(name)
        let template = try await DemoDatabase.template(journalMode).value
        try FileManager.default.copyItem(atPath: template, toPath: path)
    }

    private static let templates = Locked<[SQLiteJournalMode: Task<String, any Error>]>([:])

    private static func template(_ journalMode: SQLiteJournalMode) -> Task<String, any Error> {
        templates.withLock { templates in
            if let task = templates[journalMode] { return task }
            let task = Task {
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-service-template-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let path = directory.appendingPathComponent("template-\(journalMode.rawValue).db").path
                let now = Date()
                let settings = SimulationSettings(
                    seed: 7, stationCount: 6, vehicleCount: 12, start: now.addingTimeInterval(-9000), end: now.addingTimeInterval(-3600),
                    followsClock: false
                )
                try await DispatchSimulator(store: SQLiteSimulationStore(path: path, journalMode: journalMode), settings: settings).run()
                let queue = try DatabaseQueue(path: path)
                try await queue.write { db in
                    try db.execute(sql: "DELETE FROM wallboard_interface WHERE key LIKE 'simulated_%'")
                }
                // Everything in the main file, so one copy is the whole database.
                try await queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
                try queue.close()
                return path
            }
            templates[journalMode] = task
            return task
        }
    }

    /// Stations none of whose vehicles is between dispatch and departure (so their door boards
    /// are idle), each with a vehicle on standby.
    func idleStations() async throws -> [(station: String, name: String, vehicle: String, callSign: String)] {
        let queue = try DatabaseQueue(path: path)
        return try await queue.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.id, s.name, v.id, v.call_sign FROM stations s JOIN vehicles v ON v.station_id = s.id
                WHERE v.status = 7 AND NOT EXISTS (
                    SELECT 1 FROM vehicles w JOIN vehicle_tasks t ON t.vehicle_id = w.id
                    WHERE w.station_id = s.id AND t.completed_at IS NULL AND t.at_scene_at IS NULL)
                GROUP BY s.id ORDER BY s.id
                """)
            return rows.map { ($0[0], $0[1], $0[2], $0[3]) }
        }
    }

    /// Dispatches `vehicle` to a new incident (`incident`, with its task `incident`-T; priority 1
    /// is 危重, critical) at `moment`, now by default; with `departedAt`, it left the station then.
    func dispatch(vehicle: String, incident: String = "TEST-1", priority: Int = 1, at moment: Date = Date(), departedAt: Date? = nil) async throws {
        let queue = try DatabaseQueue(path: path)
        let now = moment.timeIntervalSince1970
        let departed = departedAt?.timeIntervalSince1970
        let status = departed == nil ? VehicleStatus.orderReceived : .enRoute
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO incidents (id, received_at, answered_at, dispatched_at, priority, category, complaint, incident_address, pickup_address)
                VALUES (?, ?, ?, ?, ?, '疾病', '胸痛', '测试路1号', '测试路1号东门')
                """, arguments: [incident, now - 60, now - 55, now, priority])
            let task = incident + "-T"
            try db.execute(sql: "INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at, departed_at) VALUES (?, ?, ?, ?, ?)", arguments: [task, incident, vehicle, now, departed])
            try db.execute(sql: "UPDATE vehicles SET status = ?, status_since = ?, incident_id = ?, task_id = ? WHERE id = ?", arguments: [status.rawValue, departed ?? now, incident, task, vehicle])
            try db.execute(sql: "INSERT INTO vehicle_status_log (vehicle_id, status, at, incident_id, task_id) VALUES (?, 1, ?, ?, ?)", arguments: [vehicle, now, incident, task])
            if let departed {
                try db.execute(sql: "INSERT INTO vehicle_status_log (vehicle_id, status, at, incident_id, task_id) VALUES (?, 2, ?, ?, ?)", arguments: [vehicle, departed, incident, task])
            }
        }
    }

    /// Gives `vehicle` another call sign (a long one makes its station's standby list scroll).
    func setCallSign(of vehicle: String, to callSign: String) async throws {
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE vehicles SET call_sign = ? WHERE id = ?", arguments: [callSign, vehicle])
        }
    }

    /// Sets `vehicle`'s status now: `.unavailable` takes it off its station's standby list,
    /// `.standby` puts it back.
    func setStatus(of vehicle: String, to status: VehicleStatus) async throws {
        let queue = try DatabaseQueue(path: path)
        let now = Date().timeIntervalSince1970
        try await queue.write { db in
            try db.execute(sql: "UPDATE vehicles SET status = ?, status_since = ? WHERE id = ?", arguments: [status.rawValue, now, vehicle])
        }
    }
}

/// A service configuration over `database` with the given boards (YAML list items).
func configuration(database: String, directory: TemporaryDirectory, boards: String, staleAfter: String = "10s", token: String? = "test-token-1234") throws -> ServiceConfiguration {
    let text = """
        centre: 测试急救中心
        source:
          sqlite: \(database)
          poll: 50ms
          timeZone: Asia/Shanghai
          staleAfter: \(staleAfter)
        http:
          port: 0
        \(token.map { "  token: \($0)" } ?? "")
        boards:
        \(boards)
        """
    var configuration = try ConfigLoader.load(text, file: directory.path("wallboard.yaml"))
    // One frame a second is all these tests need; ten (for scrolling text) in a debug build
    // would take the cooperative threads from the other test targets running alongside.
    for index in configuration.boards.indices where configuration.boards[index].frameInterval == nil {
        configuration.boards[index].frameInterval = .seconds(1)
    }
    return configuration
}

/// The boards' services running in the background for the length of `body`.
func withRunningBoards<T: Sendable>(_ service: WallboardService, _ body: @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for member in service.boardServices {
            group.addTask { try await member.run() }
        }
        defer { group.cancelAll() }
        return try await body()
    }
}

/// Waits up to `timeout` for a frame of `monitor` that satisfies `condition`; returns it.
func frame(of monitor: BoardMonitor, within timeout: Duration = .seconds(10), where condition: @escaping @Sendable (Frame) -> Bool) async throws -> Frame {
    try await withThrowingTaskGroup(of: Frame?.self) { group in
        group.addTask {
            for await frame in monitor.frames() where condition(frame) { return frame }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let found = try await group.next(), let frame = found else {
            throw TestFailure("board '\(monitor.id)' showed no matching frame within \(timeout); last: \(monitor.frame?.texts ?? [])")
        }
        return frame
    }
}

extension Frame {
    var texts: [String] { textAreas.map(\.text) }
}

/// A sink that records what it is given, for boards whose bytes the test does not care about.
final class RecordingSink: BoardSink {
    private let frames = Mutex<[Frame]>([])
    private let brightnessLevels = Mutex<[Double]>([])
    let deviceName: String
    let takesCommands = true
    let resendInterval: Duration? = nil

    init(deviceName: String) {
        self.deviceName = deviceName
    }

    var delivered: [Frame] { frames.withLock { $0 } }
    var brightness: [Double] { brightnessLevels.withLock { $0 } }

    func deliver(_ frame: Frame, at now: Date, previous: (frame: Frame, at: Date)?) async throws(SinkError) -> Int {
        frames.withLock { $0.append(frame) }
        return 10
    }

    func setBrightness(_ level: Double) async throws(SinkError) -> Int {
        brightnessLevels.withLock { $0.append(level) }
        return 1
    }

    func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int { 1 }
}

/// A board that takes a frame and never finishes taking it.
struct StalledSink: BoardSink {
    let deviceName = "stalled"
    let takesCommands = false
    let resendInterval: Duration? = nil

    func deliver(_ frame: Frame, at now: Date, previous: (frame: Frame, at: Date)?) async throws(SinkError) -> Int {
        try? await Task.sleep(for: .seconds(3600))
        throw SinkError(description: "stalled: cancelled", bytesWritten: 0)
    }

    func setBrightness(_ level: Double) async throws(SinkError) -> Int { 0 }
    func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int { 0 }
}

/// The browser's frame messages from the WebSocket at `path`, on a live test server of `http`:
/// `body` asks for each in turn, inflated (nil when the next is not a binary message or does not inflate).
func frameMessages(
    from http: HTTPInterface, path: String, _ body: @escaping @Sendable (_ next: () async throws -> [UInt8]?) async throws -> Void
) async throws {
    let app = Application(
        router: http.router(), server: .http1WebSocketUpgrade(webSocketRouter: http.router()),
        configuration: .init(address: .hostname("127.0.0.1", port: 0))
    )
    _ = try await app.test(.live) { client in
        try await client.ws(path) { inbound, _, _ in
            var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            try await body {
                guard case .binary(let message)? = try await messages.next() else { return nil }
                return inflate(Array(buffer: message))
            }
        }
    }
}

/// zlib inflate, for reading the browser's frame messages.
func inflate(_ bytes: [UInt8]) -> [UInt8]? {
    try? Zlib.decompress(bytes, expectedSize: max(1024, bytes.count * 1000))
}

/// Every message logged through `logger`, in order: for tests of what the logs say.
final class LogRecord: Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
    }

    private let entries = Locked<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    /// The entries at `level` whose message contains `text`.
    func entries(_ level: Logger.Level, containing text: String) -> [Entry] {
        all.filter { $0.level == level && $0.message.contains(text) }
    }

    var logger: Logger { Logger(label: "test") { _ in Handler(record: self) } }

    struct Handler: LogHandler {
        let record: LogRecord
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            record.entries.withLock { $0.append(Entry(level: event.level, message: event.message.description)) }
        }
    }
}
