import ArgumentParser
import Foundation
import ServiceLifecycle
import WallboardDispatch
import WallboardSQLite
import WallboardService

/// `wallboard demo`: the whole system on one machine, with a simulated centre.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Simulate a 120 centre into a fresh database and serve the demo boards from it.",
        discussion: """
            Creates a new SQLite database in --work-dir (a fresh temporary directory by default), runs the \
            dispatch simulator on it from three hours ago and then in step with the clock, and serves the boards \
            of the demo configuration (the command-room wall and station door boards) in the browser. Prints \
            the URL; Ctrl-C stops everything.
            """
    )

    @Option(help: "The demo configuration (default: config/demo.yaml of the source tree or the working directory).")
    var config: String?

    @Option(name: .customLong("work-dir"), help: "Where to create the demo database (default: a new temporary directory).")
    var workDirectory: String?

    @Option(help: "The HTTP port (0 picks a free one).")
    var port: Int?

    @Option(help: "Simulated seconds per real second once caught up with the clock.")
    var speed: Double = 1

    @Option(help: "Seed for the simulation; the same seed gives the same day.")
    var seed: UInt64 = 1

    func run() async throws {
        let configURL = try locateConfig()
        var configuration = try ConfigLoader.load(contentsOf: configURL)
        let directory = try workDirectory ?? makeTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = URL(fileURLWithPath: directory).appendingPathComponent("dispatch.db").path
        configuration.source.sqlitePath = database
        if let port { configuration.http.port = port }
        guard let boundary = DayBoundary(timeZoneIdentifier: configuration.source.timeZone.identifier) else {
            throw ValidationError("\(configURL.path): the time zone \(configuration.source.timeZone.identifier) has no day boundary")
        }
        let settings = SimulationSettings(
            seed: seed, start: Date().addingTimeInterval(-3 * 3600), speed: speed, dayBoundary: boundary,
            journalMode: .wal, replacesExistingData: true
        )
        // Prepared before the service starts, so the first poll already finds the city.
        let simulator = try DispatchSimulator(path: database, settings: settings)
        let service = try WallboardService(configuration: configuration)
        let token = configuration.http.token
        try await service.run(companions: [SimulatorService(simulator: simulator)]) { url in
            var lines = [
                "Wallboard demo: simulated dispatch database \(database)",
                "Open \(url) for every board; \(url)boards/wall is the command-room wall.",
            ]
            if let token {
                lines.append("Test message: curl -H 'Authorization: Bearer \(token)' -d '{\"text\":\"测试\"}' \(url)api/v1/boards/door-s01/message")
            }
            lines.append("Ctrl-C stops.")
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }

    private func locateConfig() throws -> URL {
        if let config { return URL(fileURLWithPath: config) }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("config/demo.yaml")]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var directory = executable.deletingLastPathComponent()
            candidates.append(directory.appendingPathComponent("../share/wallboard/config/demo.yaml").standardized)
            for _ in 0..<8 {
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                    candidates.append(directory.appendingPathComponent("config/demo.yaml"))
                    break
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw ValidationError("no demo configuration found; looked at \(candidates.map(\.path).joined(separator: ", ")); pass --config")
        }
        return found
    }

    private func makeTemporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}

/// The simulator as a member of the service group: it stops when the group does.
final class SimulatorService: Service, @unchecked Sendable {
    // Used only from `run()`, which the group calls once.
    private let simulator: DispatchSimulator

    init(simulator: DispatchSimulator) {
        self.simulator = simulator
    }

    func run() async throws {
        // Only the one task below ever touches the simulator.
        nonisolated(unsafe) let simulator = self.simulator
        try await cancelWhenGracefulShutdown {
            try await simulator.run()
        }
    }
}
