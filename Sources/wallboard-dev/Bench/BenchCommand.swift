import ArgumentParser
import Foundation
import WallboardSupport

/// `wallboard-dev bench`: every benchmark case, one JSON object per line. Judge only release builds.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the benchmarks and print one JSON line per case (build with -c release)."
    )

    @Option(name: .customLong("case"), help: "Run only the cases whose name starts with this prefix.")
    var prefix: String?

    @Flag(help: "List the case names and exit.")
    var list = false

    @OptionGroup var fleetLog: FleetLogOption

    func run() async throws {
        let cases = BenchCatalog.all.filter { prefix.map($0.name.hasPrefix) ?? true }
        if list {
            for benchCase in cases { print(benchCase.name) }
            return
        }
        if cases.isEmpty { throw ValidationError("no benchmark case starts with '\(prefix ?? "")'; see --list") }
        try await fleetLog.keepingLogs {
            for benchCase in cases {
                var result = try await benchCase.run()
                result["case"] = benchCase.name
                let line = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
                FileHandle.standardOutput.write(line + Data("\n".utf8))
            }
        }
    }
}

/// One benchmark: a name and a body that returns the figures to print (numbers and strings).
struct BenchCase: Sendable {
    let name: String
    let run: @Sendable () async throws -> [String: any Sendable]
}

/// The cases `wallboard-dev bench` runs, gathered from each module's bench file.
enum BenchCatalog {
    static var all: [BenchCase] {
        render + text + layouts + dispatch + postgres + protocols + transport + service + alerts
    }
}

/// Times `body` over enough repetitions to fill about `seconds`, after a warm-up, and returns
/// `ns_per_op` and `ops_per_s` (wall clock) and `cpu_ns_per_op` (the process CPU clock, all
/// threads, which other work on a shared machine inflates far less than wall time).
func measureThroughput(seconds: Double = 1, _ body: () throws -> Void) rethrows -> [String: any Sendable] {
    let clock = ContinuousClock()
    for _ in 0..<3 { try body() }
    var iterations = 1
    while true {
        let start = clock.now
        for _ in 0..<iterations { try body() }
        let elapsed = clock.now - start
        let elapsedSeconds = elapsed.inSeconds
        if elapsedSeconds >= seconds / 4 || iterations >= 1 << 28 {
            let repeatCount = max(iterations, Int(Double(iterations) * seconds / max(elapsedSeconds, 1e-9)))
            let measuredStart = clock.now
            let cpuStart = processCPUNanoseconds()
            for _ in 0..<repeatCount { try body() }
            let cpu = Double(processCPUNanoseconds() - cpuStart) / Double(repeatCount)
            let measured = clock.now - measuredStart
            let ns = measured.inSeconds * 1e9 / Double(repeatCount)
            return [
                "ns_per_op": (ns * 10).rounded() / 10, "ops_per_s": (1e9 / ns).rounded(),
                "cpu_ns_per_op": (cpu * 10).rounded() / 10, "iterations": repeatCount,
            ]
        }
        iterations *= 2
    }
}

func processCPUNanoseconds() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
}
