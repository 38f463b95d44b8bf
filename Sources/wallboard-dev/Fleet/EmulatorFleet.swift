import ArgumentParser
import Foundation
import Glibc

/// Door boards played by `wallboard-dev emulate-fleet` in a child process, for the scale benchmark
/// and the soak run: the service under test sees real pseudo-terminals and real protocol bytes,
/// and its own CPU, memory and descriptors are measured without the boards'.
final class EmulatorFleet {
    let devices: [String]
    /// Board `i` plays `models[i % models.count]`.
    let models: [FleetModel]
    private let process: Process
    private let input: Pipe
    private let logPath: String

    /// Starts `count` boards, playing `models` in turn, and waits until every one is serving.
    init(count: Int, models: [FleetModel] = [.bx5k], directory: URL) async throws {
        self.models = models
        let devicesPath = directory.appendingPathComponent("fleet-devices.txt").path
        logPath = directory.appendingPathComponent("fleet-arrivals.tsv").path
        process = Process()
        process.executableURL = try EmulatorFleet.thisProgram()
        process.arguments = [
            "emulate-fleet", "--count", "\(count)", "--models", models.map(\.rawValue).joined(separator: ","), "--devices", devicesPath, "--log", logPath,
        ]
        input = Pipe()
        process.standardInput = input
        try process.run()
        let started = ContinuousClock.now
        while !FileManager.default.fileExists(atPath: devicesPath) {
            guard process.isRunning else { throw FleetError("wallboard-dev emulate-fleet ended with status \(process.terminationStatus) before its boards were ready") }
            guard ContinuousClock.now - started < .seconds(60) else { throw FleetError("wallboard-dev emulate-fleet did not open \(count) boards within 60 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
        devices = try String(contentsOfFile: devicesPath, encoding: .utf8).split(separator: "\n").map(String.init)
        guard devices.count == count else { throw FleetError("emulate-fleet listed \(devices.count) devices, not \(count)") }
    }

    /// This program, to run its own subcommands (`emulate-fleet`) in other processes.
    static func thisProgram() throws -> URL {
        URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    }

    /// The `wallboard` built beside this program, for what the product runs (`simulate`, `serve`).
    static func productProgram() throws -> URL {
        let product = try thisProgram().deletingLastPathComponent().appendingPathComponent("wallboard")
        guard FileManager.default.isExecutableFile(atPath: product.path) else {
            throw FleetError("\(product.path) is missing: build both programs (swift build -c release builds wallboard and wallboard-dev)")
        }
        return product
    }

    /// The controller board `index` plays.
    func model(of index: Int) -> FleetModel {
        models[index % models.count]
    }

    /// The station of board `index`: the boards of one turn of `models` share one, so a station
    /// has one board of each controller.
    func station(of index: Int, in stations: [String]) -> String {
        stations[(index / models.count) % stations.count]
    }

    /// The boards of each station, by index.
    func boardsOfStation(_ stations: [String]) -> [String: [Int]] {
        Dictionary(grouping: devices.indices) { station(of: $0, in: stations) }
    }

    /// The boards as configuration list items: door board `i` at `station(of: i)`, 9600 baud.
    func doorBoards(stations: [String], layoutsDirectory: String) -> String {
        devices.enumerated().map { index, device in
            """
              - id: door-\(index)
                station: \(station(of: index, in: stations))
                layout: \(layoutsDirectory)/door-192x32-bicolor.yaml
                protocol: \(model(of: index).rawValue)
                transport:
                  serial: \(device)
                  baud: 9600
            """
        }.joined(separator: "\n")
    }

    /// The boards' process, for measuring what it uses.
    var processIdentifier: Int32 { process.processIdentifier }

    /// Where `stop` copies the boards' arrival log (`--keep-fleet-log`), to trace a slow figure
    /// afterwards; nil: it goes with the run's directory.
    @TaskLocal static var logsKeptIn: URL?

    /// Stops the boards and returns what reached each of them, and when.
    func stop() async throws -> FleetArrivals {
        try input.fileHandleForWriting.close()
        let stopping = ContinuousClock.now
        while process.isRunning {
            guard ContinuousClock.now - stopping < .seconds(60) else {
                process.terminate()
                throw FleetError("wallboard-dev emulate-fleet did not stop within 60 s")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard process.terminationStatus == 0 else { throw FleetError("wallboard-dev emulate-fleet ended with status \(process.terminationStatus)") }
        if let directory = Self.logsKeptIn {
            // The fleet's process id tells apart two fleets stopping in the same second.
            let kept = directory.appendingPathComponent("fleet-arrivals-\(Int(Date().timeIntervalSince1970))-\(process.processIdentifier).tsv")
            try FileManager.default.copyItem(atPath: logPath, toPath: kept.path)
            FileHandle.standardError.write(Data("the boards' arrival log: \(kept.path)\n".utf8))
        }
        return try FleetArrivals(log: String(contentsOfFile: logPath, encoding: .utf8))
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

/// Every text change every board showed, by board, in arrival order.
struct FleetArrivals {
    struct Arrival {
        let time: Double
        let area: Int
        let text: String
    }

    private(set) var byBoard: [Int: [Arrival]] = [:]

    init(log: String) throws {
        for line in log.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4, let board = Int(fields[0]), let time = Double(fields[1]), let area = Int(fields[2]) else {
                throw FleetError("bad line in the fleet's log: \(line)")
            }
            byBoard[board, default: []].append(Arrival(time: time, area: area, text: String(fields[3])))
        }
    }

    /// A clock's turn as board `board` saw it: the second of the day the new time began, and how
    /// late its text arrived, in milliseconds.
    struct ClockTurn {
        let board: Int
        let began: Int
        let lateness: Double
    }

    /// Each turn of a clock on each board after that second (a text "HH:mm:ss") or minute
    /// ("HH:mm") began, for arrivals after `from` (Unix time). Only a turn counts: the text that
    /// follows the one a unit earlier in the same area. A clock that comes back mid-minute (an
    /// alert ended) shows a time that began long before, which is not lateness. An HH:mm board
    /// gives one turn a minute, all boards at the same moment.
    func clockTurns(from: Double, timeZone: TimeZone) -> [ClockTurn] {
        var turns: [ClockTurn] = []
        for (board, arrivals) in byBoard {
            var shownBefore: [Int: (start: Int, unit: Int)] = [:]
            for arrival in arrivals {
                let shown = Self.clockTime(arrival.text)
                defer { shownBefore[arrival.area] = shown }
                guard arrival.time >= from, let shown, let before = shownBefore[arrival.area], before.unit == shown.unit,
                      (shown.start - before.start + 86_400) % 86_400 == shown.unit
                else { continue }
                let local = arrival.time + Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: arrival.time)))
                var late = local.truncatingRemainder(dividingBy: 86_400) - Double(shown.start)
                if late < -43_200 { late += 86_400 }
                turns.append(ClockTurn(board: board, began: shown.start, lateness: late * 1000))
            }
        }
        return turns
    }

    /// The first moment at or after `time` that one of `boards` showed a text starting with `prefix`.
    func firstShown(prefix: String, on boards: [Int], after time: Double) -> Double? {
        boards.compactMap { board in
            byBoard[board]?.first { $0.time >= time && $0.text.hasPrefix(prefix) }?.time
        }.min()
    }

    /// The second of the day a clock text "HH:mm:ss" or "HH:mm" began at, and how long it
    /// shows (1 or 60 s); nil for any other text.
    private static func clockTime(_ text: String) -> (start: Int, unit: Int)? {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.allSatisfy({ $0.count == 2 }), fields.count == 2 || fields.count == 3 else { return nil }
        let numbers = fields.compactMap { Int($0) }
        guard numbers.count == fields.count else { return nil }
        return (numbers[0] * 3600 + numbers[1] * 60 + (numbers.count == 3 ? numbers[2] : 0), numbers.count == 3 ? 1 : 60)
    }
}

/// What a process holds: CPU time, resident memory, open descriptors.
enum ProcessResources {
    /// A process's resident memory in MB (this process's by default).
    static func residentMegabytes(pid: Int32? = nil) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid.map(String.init) ?? "self")/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return .nan }
        return (kilobytes / 1024 * 10).rounded() / 10
    }

    /// How many descriptors this process has open.
    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    /// User and system CPU time of process `pid`, in seconds.
    static func cpuSeconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let afterName = stat.range(of: ") ", options: .backwards)
        else { return .nan }
        // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
        let fields = stat[afterName.upperBound...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// `--keep-fleet-log DIR` of the commands that drive a fleet (bench, soak).
struct FleetLogOption: ParsableArguments {
    @Option(name: .customLong("keep-fleet-log"), help: "Copy each emulated fleet's arrival log (board, Unix time of arrival, area, text) into this directory, to trace a slow figure.")
    var directory: String?

    func validate() throws {
        var isDirectory: ObjCBool = false
        if let directory, !(FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw ValidationError("--keep-fleet-log: \(directory) is not a directory")
        }
    }

    /// Runs `body` with the fleets it starts keeping their logs in `directory`, if given.
    func keepingLogs(_ body: () async throws -> Void) async throws {
        guard let directory else { return try await body() }
        try await EmulatorFleet.$logsKeptIn.withValue(URL(fileURLWithPath: directory)) { try await body() }
    }
}

struct FleetError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// p50, p95, p99 and max of `values` (milliseconds), rounded to 0.1, with the sample count; only
/// the count when there are none (JSON has no NaN).
func percentiles(_ values: [Double]) -> [String: any Sendable] {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return ["samples": 0] }
    func at(_ fraction: Double) -> Double {
        (sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))] * 10).rounded() / 10
    }
    return ["p50_ms": at(0.5), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": at(1), "samples": sorted.count]
}
