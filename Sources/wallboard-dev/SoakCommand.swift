import ArgumentParser
import Foundation
import GRDB
import WallboardConfig
import WallboardService
import WallboardSources

/// `wallboard-dev soak`: a simulated dispatch day at high speed through the whole service, with the
/// simulator writing from one process and the door boards played by another. Fails unless memory
/// and descriptors stay flat and every dispatch reached its station's boards.
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Run a simulated dispatch day at high speed through the service and emulated door boards; check nothing leaks or gets lost.",
        discussion: """
            Prints one JSON line with the figures (each kind's slowest dispatches named, with their boards' indices \
            in the arrival log that --keep-fleet-log keeps) and exits non-zero if resident memory grew by more than \
            --memory-growth MB from the first quarter of the run to the last, if open descriptors grew by more than two, or \
            if any dispatch never showed on a board of its station.
            """
    )

    @Option(help: "How many door boards (two per station: a BX-5K font card and a C-Power card).")
    var boards = 50

    @Option(help: "Simulated hours.")
    var hours = 24.0

    @Option(help: "Simulated seconds per real second.")
    var speed = 20.0

    /// Once warm, the service stays within about 1.5 MB over a simulated day; a door board that
    /// kept every alert it ever drew grew by about 4 MB between the quarters of a 3-hour run.
    @Option(name: .customLong("memory-growth"), help: "The most resident memory may grow, in MB, between the first and the last quarter.")
    var memoryGrowth = 3.0

    @Option(help: "Seconds between samples of memory and descriptors.")
    var sample = 5.0

    @OptionGroup var fleetLog: FleetLogOption

    /// How many of each kind's slowest dispatches the figures name.
    static let slowestListed = 5

    func run() async throws {
        try await fleetLog.keepingLogs { try await soak() }
    }

    private func soak() async throws {
        guard boards >= 2, hours > 0, speed >= 1 else { throw ValidationError("--boards must be at least 2, --hours above 0, --speed at least 1") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-soak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("dispatch.db").path
        let stationCount = (boards + 1) / 2

        let simulator = Process()
        simulator.executableURL = try EmulatorFleet.productProgram()
        simulator.arguments = [
            "simulate", "--db", database, "--start", "now", "--duration", "\(Int(hours * 3600))s", "--speed", "\(speed)",
            "--stations", "\(stationCount)", "--vehicles", "\(stationCount * 3)", "--journal", "wal", "--seed", "11",
        ]
        simulator.standardOutput = FileHandle.nullDevice
        try simulator.run()
        defer { if simulator.isRunning { simulator.terminate() } }
        let stations = try await Self.stations(database: database, simulator: simulator)

        // The boards' clocks and pages run on the simulation's clock, as the service shows a
        // simulated centre's time: at --speed 20 an idle door board changes twenty times as
        // often as at a centre, and a dispatch finds a font card's one-second interval taken by
        // a tick that often more. Boards whose controller has such an interval (BX-5K) and boards
        // without one (C-Power), one of each per station, are therefore reported apart: the second
        // figure is the service's own delay at any speed; the first is an upper bound of what a
        // centre sees. Bench case alerts-door-boards-real-time measures a centre's pace.
        let fleet = try await EmulatorFleet(count: boards, models: [.bx5k, .cpower], directory: directory)
        let boardList = fleet.doorBoards(stations: stations, layoutsDirectory: Self.layouts)
        let configuration = try ConfigLoader.load("""
            centre: 浸泡测试中心
            source:
              sqlite: \(database)
              timeZone: Asia/Shanghai
            http:
              port: 0
            boards:
            \(boardList)
            """, file: directory.appendingPathComponent("soak.yaml").path)
        let service = try WallboardService(configuration: configuration)
        let started = Date()
        var samples: [(seconds: Double, residentMB: Double, descriptors: Int)] = []
        let cpuStart = processCPUNanoseconds()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for member in service.boardServices { group.addTask { try await member.run() } }
            defer { group.cancelAll() }
            while simulator.isRunning {
                try await Task.sleep(for: .seconds(sample))
                samples.append((Date().timeIntervalSince(started), ProcessResources.residentMegabytes(), ProcessResources.openDescriptors()))
            }
            // The last dispatches reach their boards.
            try await Task.sleep(for: .seconds(5))
        }
        let elapsed = Date().timeIntervalSince(started)
        let cpuPercent = Double(processCPUNanoseconds() - cpuStart) / 1e9 / elapsed * 100
        guard simulator.terminationStatus == 0 else { throw FleetError("the simulator ended with status \(simulator.terminationStatus)") }
        let arrivals = try await fleet.stop()

        let dispatches = try await Self.dispatches(database: database)
        let boardsOfStation = fleet.boardsOfStation(stations)
        var lost: [String] = []
        var delays: [FleetModel: [(milliseconds: Double, dispatch: String)]] = [:]
        var checked = 0
        for dispatch in dispatches where dispatch.wallTime > started.timeIntervalSince1970 + 5 {
            checked += 1
            for model in fleet.models {
                let boardsOfKind = (boardsOfStation[dispatch.station] ?? []).filter { fleet.model(of: $0) == model }
                let shown = arrivals.firstShown(prefix: dispatch.callSign, on: boardsOfKind, after: dispatch.wallTime - 1)
                if let shown, shown - dispatch.wallTime < 15 {
                    let named = "\(dispatch.task) \(dispatch.callSign) at \(dispatch.station), committed \(String(format: "%.3f", dispatch.wallTime)), boards \(boardsOfKind.map(String.init).joined(separator: ","))"
                    delays[model, default: []].append(((shown - dispatch.wallTime) * 1000, named))
                } else {
                    lost.append("\(dispatch.task) (\(dispatch.callSign) at \(dispatch.station) on \(model.rawValue))")
                }
            }
        }
        let quarter = max(1, samples.count / 4)
        let early = samples.prefix(quarter).map(\.residentMB).max() ?? -1
        let late = samples.suffix(quarter).map(\.residentMB).max() ?? -1
        // A few descriptors come and go (the reader's journal files, this very count); a leak
        // shows as the late maximum above the early one.
        let earlyDescriptors = samples.prefix(quarter).map(\.descriptors).max() ?? -1
        let lateDescriptors = samples.suffix(quarter).map(\.descriptors).max() ?? -1
        let figures: [String: any Sendable] = [
            "boards": boards, "simulated_hours": hours, "speed": speed, "wall_seconds": elapsed.rounded(),
            "cpu_percent_of_one_core": (cpuPercent * 10).rounded() / 10,
            "rss_first_quarter_max_mb": early, "rss_last_quarter_max_mb": late, "samples": samples.count,
            "descriptors_first_quarter_max": earlyDescriptors, "descriptors_last_quarter_max": lateDescriptors,
            "rss_mb_and_descriptors_over_time": Self.overTime(samples),
            "dispatches_checked": checked, "dispatches_lost": lost.count,
            "dispatch_to_board": Dictionary(uniqueKeysWithValues: fleet.models.map { model in
                (model.described, percentiles((delays[model] ?? []).map(\.milliseconds)))
            }),
            "slowest_dispatches": Dictionary(uniqueKeysWithValues: fleet.models.map { model in
                let slowest = (delays[model] ?? []).sorted { $0.milliseconds > $1.milliseconds }.prefix(Self.slowestListed)
                return (model.described, slowest.map { "\(($0.milliseconds * 10).rounded() / 10) ms: \($0.dispatch)" })
            }),
        ]
        FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys]) + Data("\n".utf8))
        var failures: [String] = []
        if !(late - early <= memoryGrowth) { failures.append("resident memory grew from \(early) MB to \(late) MB") }
        if lateDescriptors > earlyDescriptors + 2 { failures.append("open descriptors grew from \(earlyDescriptors) to \(lateDescriptors)") }
        if !lost.isEmpty { failures.append("\(lost.count) dispatches never showed on their station's boards: \(lost.prefix(10).joined(separator: ", "))") }
        if checked == 0 { failures.append("no dispatch happened during the run; run longer") }
        guard failures.isEmpty else { throw FleetError("soak failed: " + failures.joined(separator: "; ")) }
    }

    /// At most 24 samples spread over the run: [seconds, resident MB, open descriptors].
    static func overTime(_ samples: [(seconds: Double, residentMB: Double, descriptors: Int)]) -> [[Double]] {
        let step = max(1, (samples.count + 23) / 24)
        return stride(from: 0, to: samples.count, by: step).map { index in
            let sample = samples[index]
            return [sample.seconds.rounded(), sample.residentMB, Double(sample.descriptors)]
        }
    }

    static var layouts: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Layouts").standardized.path
    }

    /// The simulated city's stations, once the simulator has created them.
    static func stations(database: String, simulator: Process) async throws -> [String] {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(60) {
            guard simulator.isRunning else { throw FleetError("the simulator ended with status \(simulator.terminationStatus) before it had stations") }
            if FileManager.default.fileExists(atPath: database) {
                var readOnly = Configuration()
                readOnly.readonly = true
                if let stations = try? await DatabaseQueue(path: database, configuration: readOnly).read({ db in
                    try String.fetchAll(db, sql: "SELECT id FROM stations ORDER BY id")
                }), !stations.isEmpty {
                    return stations
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FleetError("the simulator created no stations within 60 s")
    }

    /// Every dispatch of the day with its station, call sign and the wall-clock moment it was
    /// made (the simulator's clock mapped back to the wall clock).
    static func dispatches(database: String) async throws -> [(task: String, station: String, callSign: String, wallTime: Double)] {
        var readOnly = Configuration()
        readOnly.readonly = true
        return try await DatabaseQueue(path: database, configuration: readOnly).read { db in
            let clock = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM wallboard_interface").map { row -> (String, String) in
                (row[0], row[1])
            })
            guard let simulated = clock["simulated_time"].flatMap(Double.init), let wall = clock["simulated_wall_time"].flatMap(Double.init),
                  let speed = clock["simulated_speed"].flatMap(Double.init), speed > 0
            else { throw FleetError("the simulator left no clock in wallboard_interface") }
            return try Row.fetchAll(db, sql: """
                SELECT t.id, v.station_id, v.call_sign, t.dispatched_at FROM vehicle_tasks t JOIN vehicles v ON v.id = t.vehicle_id
                WHERE t.dispatched_at IS NOT NULL ORDER BY t.dispatched_at
                """).map { row in
                let dispatched: Double = row[3]
                return (row[0], row[1], row[2], wall + (dispatched - simulated) / speed)
            }
        }
    }
}
