import ArgumentParser
import Foundation
import ServiceLifecycle
import WallboardConfig
import WallboardDispatch
import WallboardDrivers
import WallboardEmulator
import WallboardExport
import WallboardFonts
import WallboardLayout
import WallboardProtocols
import WallboardRender
import WallboardSQLite
import WallboardService
import WallboardSimulator
import WallboardSourceKit
import WallboardSources
import WallboardText
import WallboardTransport

/// `wallboard demo`: the whole system on one machine, with a simulated centre.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Simulate a 120 centre into a fresh database and serve the demo boards from it.",
        discussion: """
            Creates a new SQLite database beside the one the configuration names (/tmp/wallboard-demo), runs \
            the dispatch simulator on it from three hours ago and then in step with the clock, and serves the \
            boards of the demo configuration: the command-room wall and a door board in the browser, and the \
            serial boards through emulators on pseudo-terminals (each configured serial path is linked to its \
            emulator; what each emulator decodes is written to a PNG beside it), and each video-wall processor \
            of the configuration through an emulator on a loopback UDP port. Prints the URL; Ctrl-C stops \
            everything.
            """
    )

    @Option(help: "The demo configuration (default: config/demo.yaml of the source tree or the working directory).")
    var config: String?

    @Option(name: .customLong("work-dir"), help: "Where to create the demo database and pictures (default: the directory of the configured database).")
    var workDirectory: String?

    @Option(help: "The HTTP port (0 picks a free one).")
    var port: Int?

    @Option(help: "Simulated seconds per real second once caught up with the clock.")
    var speed: Double = 1

    @Option(help: "Seed for the simulation; the same seed gives the same day.")
    var seed: UInt64 = 1

    /// Where to simulate the centre instead of the configured source (its dispatch rows are replaced),
    /// and serve the boards from: `--postgres URL` for a PostgreSQL primary.
    @OptionGroup var source: SourceOptions

    func run() async throws {
        let configURL = try locateConfig()
        var configuration = try ConfigLoader.load(contentsOf: configURL)
        // The demo simulates its centre where the command line says, or in the configured source.
        let target = try source.address() ?? configuration.source.address
        guard let simulated = target as? any SimulatedSourceAddress else {
            throw ValidationError("source kind \(target.kind.name) cannot be simulated; the demo needs a source it can write, such as --db FILE")
        }
        if let port { configuration.http.port = port }
        let settings = SimulationSettings(
            seed: seed, start: Date().addingTimeInterval(-3 * 3600), speed: speed, dayBoundary: configuration.source.dayBoundary,
            replacesExistingData: true
        )
        // Prepared before the service starts, so the first read already finds the city.
        let simulation = try await simulated.simulation(settings, workDirectory: workDirectory)
        let simulator = simulation.simulator
        let database = simulation.address.description
        configuration.source = SourceSettings(
            address: simulation.address, pollInterval: configuration.source.pollInterval, timeZone: configuration.source.timeZone,
            staleAfter: configuration.source.staleAfter
        )
        let directory = workDirectory ?? simulation.folder ?? "/tmp/wallboard-demo"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // One admin with a new token each run, in a file only this user reads; the actions go in an audit trail beside it.
        let tokenFile = URL(fileURLWithPath: directory).appendingPathComponent("demo.token").path
        let token = try AccessTokens.writeNew(file: tokenFile)
        configuration.http.users = [HTTPUser(name: "demo", role: .admin, tokenFile: tokenFile, location: .init(file: configURL.path, line: 1, column: 1))]
        configuration.http.audit = configuration.http.audit ?? URL(fileURLWithPath: directory).appendingPathComponent("audit.jsonl").path
        // Each video-wall processor is an emulator on a loopback UDP port of its own.
        var processorServers: [(id: String, emulator: NovaStarProcessorEmulator, server: UDPDeviceServer)] = []
        for index in configuration.processors.indices {
            let emulator = NovaStarProcessorEmulator(screens: configuration.processors[index].screen.shown,
                                                     presets: configuration.processors[index].presets.map(\.number.shown).max() ?? 1)
            let server = try UDPDeviceServer(device: emulator)
            configuration.processors[index].host = "127.0.0.1"
            configuration.processors[index].port = server.port
            processorServers.append((configuration.processors[index].id, emulator, server))
        }
        let service = try WallboardService(configuration: configuration)
        let emulators = try emulatedBoards(configuration, service: service, pictures: directory)
        let chain = try FontLibrary.locate(explicit: configuration.fontsDirectory).chain("cjk-16")
        let processors = try processorServers.map { id, emulator, server in
            EmulatedProcessorService(
                id: id, emulator: emulator, server: server, chain: chain,
                preview: try service.addPreview(id: "\(id)-emulator", name: "\(id)：仿真处理器", output: "仿真器 \(NovaStarProcessorEmulator.protocolName)",
                                                width: EmulatedProcessorService.width, height: EmulatedProcessorService.height, format: .rgb)
            )
        }
        try await service.run(companions: [SimulatorService(simulator: simulator)] + emulators + processors) { url in
            var lines = [
                "Wallboard demo: simulated dispatch database \(database)",
                "Open \(url) for every board; \(url)boards/wall is the command-room wall.",
                "The browser asks for a user name and token: demo, \(token) (also \(tokenFile); a new one each run).",
            ]
            for emulator in emulators {
                lines.append("Emulated \(emulator.model.name) board '\(emulator.id)' on \(emulator.place); it shows \(emulator.picture)")
            }
            for processor in processors {
                lines.append("Emulated NovaStar H processor '\(processor.id)' on udp 127.0.0.1:\(processor.server.port); the console shows its state")
            }
            lines.append("Test message: curl -H 'Authorization: Bearer \(token)' -d '{\"text\":\"测试\"}' \(url)api/v1/boards/door-s01/message")
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

    /// An emulator on a pseudo-terminal for every serial board, linked from its configured path,
    /// and on its port for every TCP board on 127.0.0.1.
    private func emulatedBoards(_ configuration: ServiceConfiguration, service: WallboardService, pictures: String) throws -> [EmulatedBoardService] {
        let fonts = try FontLibrary.locate(explicit: configuration.fontsDirectory)
        let painter = FontChainPainter(chains: [12: try fonts.chain("cjk-12"), 16: try fonts.chain("cjk-16"), 24: try fonts.chain("cjk-24"), 32: try fonts.chain("cjk-32")])
        var emulators: [EmulatedBoardService] = []
        for board in configuration.boards {
            guard case .device(let model, let transport) = board.output, let monitor = service.monitor(id: board.id),
                  let emulated = EmulatedBoard(model, width: monitor.width, height: monitor.height, painter: painter)
            else { continue }
            let server: any DemoBoardServer
            var link: String?
            if let path = (transport as? SerialTransportSetting)?.path {
                let terminal = try PseudoTerminalBoardServer(board: emulated)
                try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
                if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil {
                    try FileManager.default.removeItem(atPath: path)
                }
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: terminal.devicePath)
                server = terminal
                link = path
            } else if let tcp = transport as? TCPTransportSetting, tcp.host == "127.0.0.1" {
                server = try TCPBoardServer(board: emulated, host: tcp.host, port: tcp.port)
            } else {
                continue
            }
            let picture = URL(fileURLWithPath: pictures).appendingPathComponent("\(board.id).png").path
            let preview = try service.addPreview(
                id: "\(board.id)-emulator", name: "\(board.name)：仿真器解码画面", output: "仿真器 \(model.name)",
                width: monitor.width, height: monitor.height, format: monitor.format
            )
            emulators.append(EmulatedBoardService(id: board.id, model: model, board: emulated, server: server, link: link, picture: picture, preview: preview))
        }
        return emulators
    }
}

/// Where the demo serves an emulated board: a pseudo-terminal or a loopback TCP port.
protocol DemoBoardServer: Sendable {
    /// The device or address a sender opens.
    var place: String { get }
    func run() async throws
    func close()
}

extension PseudoTerminalBoardServer: DemoBoardServer {
    var place: String { devicePath }
}

extension TCPBoardServer: DemoBoardServer {
    var place: String { "127.0.0.1:\(port)" }
}

/// An emulated board on its pseudo-terminal or port; shows what it decoded on its preview and
/// in a PNG after each change.
final class EmulatedBoardService: Service, Sendable {
    let id: String
    let model: BoardModel
    let board: EmulatedBoard
    let server: any DemoBoardServer
    /// The configured serial path linked to the pseudo-terminal; nil for a TCP board.
    let link: String?
    let picture: String
    let preview: BoardMonitor

    /// The pseudo-terminal and its link, or the address.
    var place: String { link.map { "\(server.place) (\($0))" } ?? server.place }

    init(id: String, model: BoardModel, board: EmulatedBoard, server: any DemoBoardServer, link: String?, picture: String, preview: BoardMonitor) {
        self.id = id
        self.model = model
        self.board = board
        self.server = server
        self.link = link
        self.picture = picture
        self.preview = preview
    }

    func run() async throws {
        defer {
            server.close()
            if let link { try? FileManager.default.removeItem(atPath: link) }
        }
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await self.server.run() }
                    group.addTask { try await self.drawPictures() }
                }
            }
        } catch is CancellationError {
            // Stopping is what was asked for.
        }
    }

    private func drawPictures() async throws {
        var shown = -1
        while !Task.isCancelled {
            let generation = await board.generation
            if generation != shown {
                shown = generation
                let bitmap = await board.render()
                preview.show(Frame(bitmap: bitmap))
                let partial = picture + ".partial"
                try Data(PNG.encode(bitmap, scale: 4, ledDots: true)).write(to: URL(fileURLWithPath: partial))
                _ = rename(partial, picture)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}

/// An emulated video-wall processor on its UDP port; its screen's preset, brightness and black
/// screen, as the emulator took them from the wire, drawn on its preview.
final class EmulatedProcessorService: Service, Sendable {
    static let width = 192
    static let height = 32
    let id: String
    let emulator: NovaStarProcessorEmulator
    let server: UDPDeviceServer
    let chain: FontChain
    let preview: BoardMonitor

    init(id: String, emulator: NovaStarProcessorEmulator, server: UDPDeviceServer, chain: FontChain, preview: BoardMonitor) {
        self.id = id
        self.emulator = emulator
        self.server = server
        self.chain = chain
        self.preview = preview
    }

    func run() async throws {
        defer { server.close() }
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await self.server.run() }
                    group.addTask { try await self.drawState() }
                }
            }
        } catch is CancellationError {
            // Stopping is what was asked for.
        }
    }

    private func drawState() async throws {
        var shown: String?
        while !Task.isCancelled {
            let screens = await emulator.screens
            let text = screens.keys.sorted().compactMap { number in
                screens[number].map { screen in
                    screen.black ? "屏\(number) 黑屏" : "屏\(number) 预案\(screen.preset.map(String.init) ?? "-") 亮度\(screen.brightness)%"
                }
            }.joined(separator: "\n")
            if text != shown {
                shown = text
                var canvas = Canvas(width: Self.width, height: Self.height, format: .rgb)
                let area = canvas.bitmap.bounds
                TextLayout.largestFitting(text, chains: [chain], width: area.width, height: area.height)?
                    .draw(on: &canvas, in: area, horizontal: .centre, vertical: .middle, colour: .rgb(.green))
                preview.show(Frame(bitmap: canvas.bitmap))
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}

/// The simulator as a member of the service group: it stops when the group does.
final class SimulatorService: Service, Sendable {
    private let simulator: DispatchSimulator

    init(simulator: DispatchSimulator) {
        self.simulator = simulator
    }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await self.simulator.run()
            }
        } catch is CancellationError {
            // Stopping is what was asked for.
        }
    }
}
