import Foundation
import Testing
import WallboardDrivers
import WallboardEmulator
import WallboardFonts
import WallboardProtocols
import WallboardTransport
@testable import WallboardService

/// The simulator's database → the service → a serial line (a pseudo-terminal) → the board's
/// emulator, which decodes the same bytes a real Onbon font card would get.
@Suite(.serialized) struct EmulatedBoardTests {
    static let fonts = Result { try FontLibrary.locate() }

    static func fontCard() throws -> (EmulatedBoard, PseudoTerminalBoardServer) {
        let library = try fonts.get()
        let painter = FontChainPainter(chains: [16: try library.chain("cjk-16"), 24: try library.chain("cjk-24"), 32: try library.chain("cjk-32")])
        let board = try #require(EmulatedBoard(protocol: .bx5k, width: 192, height: 32, painter: painter))
        return (board, try PseudoTerminalBoardServer(board: board))
    }

    /// The texts of the emulated font card's areas, by area id.
    static func texts(_ board: EmulatedBoard) async -> [String] {
        guard let card = await board.state as? OnbonFontCardEmulator else { return [] }
        return card.areas.keys.sorted().compactMap { card.areas[$0]?.text.plainText }
    }

    static func waitFor(_ board: EmulatedBoard, within timeout: Duration = .seconds(10), _ condition: ([String]) -> Bool) async throws -> [String] {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            let texts = await texts(board)
            if condition(texts) { return texts }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("the emulated board never showed what was expected; it shows \(await texts(board))")
    }

    @Test func fontCardDoorBoardAlertsOverItsSerialLine() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let stations = try await database.idleStations()
        try #require(stations.count >= 2)
        let (own, other) = (stations[0], stations[1])
        let (ownBoard, ownServer) = try Self.fontCard()
        let (otherBoard, otherServer) = try Self.fontCard()
        defer {
            ownServer.close()
            otherServer.close()
        }
        func board(_ id: String, _ station: String, _ device: String) -> String {
            """
              - id: \(id)
                station: \(station)
                layout: \(TemporaryDirectory.layoutsDirectory.path)/door-192x32-bicolor.yaml
                protocol: bx5k
                transport:
                  serial: \(device)
                  baud: 57600
                clockSync: "03:00"
            """
        }
        let config = try configuration(database: database.path, directory: directory, boards: [
            board("own", own.station, ownServer.devicePath), board("other", other.station, otherServer.devicePath),
        ].joined(separator: "\n"))
        let service = try WallboardService(configuration: config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await ownServer.run() }
            group.addTask { try await otherServer.run() }
            defer { group.cancelAll() }
            try await withRunningBoards(service) {
                _ = try await Self.waitFor(ownBoard) { $0.first == own.name }
                _ = try await Self.waitFor(otherBoard) { $0.first == other.name }
                let clockSet = (await ownBoard.state as? OnbonFontCardEmulator)?.clock
                #expect(clockSet != nil, "the board's clock is set when it connects")

                let dispatched = ContinuousClock.now
                try await database.dispatch(vehicle: own.vehicle)
                _ = try await Self.waitFor(ownBoard) { $0.first?.hasPrefix(own.callSign) == true }
                let delay = ContinuousClock.now - dispatched
                #expect(delay < .seconds(2), "commit to the board took \(delay)")
                _ = try await Self.waitFor(ownBoard) { texts in texts.contains { $0.contains("测试路1号东门") } }

                try await Task.sleep(for: .milliseconds(300))
                let otherTexts = await Self.texts(otherBoard)
                #expect(otherTexts.first == other.name)
                #expect(!otherTexts.contains { $0.contains(own.callSign) })
                let report = try #require(service.monitor(id: "own")?.report)
                #expect(report.status == "ok")
                #expect(report.bytesSent > 0)
                #expect(report.device == ownServer.devicePath)
            }
        }
    }

    @Test func boardThatIsAwayReportsItsErrorAndComesBack() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let (emulated, server) = try Self.fontCard()
        defer { server.close() }
        // The configured device is a link that appears only after the service has started.
        let link = directory.path("ttyDOOR")
        let boards = """
              - id: door
                station: \(station.station)
                layout: \(TemporaryDirectory.layoutsDirectory.path)/door-192x32-bicolor.yaml
                protocol: bx5k
                transport:
                  serial: \(link)
            """
        let config = try configuration(database: database.path, directory: directory, boards: boards)
        let service = try WallboardService(configuration: config)
        let monitor = try #require(service.monitor(id: "door"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            try await withRunningBoards(service) {
                let start = ContinuousClock.now
                while monitor.report.status != "failing", ContinuousClock.now - start < .seconds(5) {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let failing = monitor.report
                #expect(failing.status == "failing")
                #expect(failing.lastError?.contains(link) == true, "the error names the device: \(failing.lastError ?? "none")")
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: server.devicePath)
                _ = try await Self.waitFor(emulated) { $0.first == station.name }
                // The board has the bytes; its acknowledgement completes the delivery.
                let shown = ContinuousClock.now
                while monitor.report.status != "ok", ContinuousClock.now - shown < .seconds(3) {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(monitor.report.status == "ok")
            }
        }
    }
}
