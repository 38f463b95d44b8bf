import Foundation
import Testing
import WallboardEmulator
import WallboardProtocols
import WallboardTestKit
import WallboardTransport
@testable import WallboardService

/// A Huidu door board on TCP (`protocol: huidu`): the service opens the SDK session, sends the
/// program once and a dispatch reaches the emulated card's text items, every request addressed
/// to the session's GUID.
@Suite(.serialized) struct HuiduServiceTests {
    static func texts(_ board: EmulatedBoard) async -> [String] {
        guard let card = await board.state as? HuiduEmulator else { return [] }
        return card.program?.areas.map(\.text) ?? []
    }

    @Test func aDispatchReachesAHuiduBoardOverTCP() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let library = try EmulatedBoardTests.fonts.get()
        let painter = FontChainPainter(chains: [16: try library.chain("cjk-16"), 24: try library.chain("cjk-24")])
        let model = try #require(BoardProtocols.model(named: "huidu"))
        let board = try #require(EmulatedBoard(model, width: 192, height: 32, painter: painter))
        let server = try TCPBoardServer(board: board)
        defer { server.close() }
        let config = try configuration(database: database.path, directory: directory, boards: """
              - id: door
                station: \(station.station)
                layout: \(TemporaryDirectory.layoutsDirectory.path)/door-192x32-bicolor.yaml
                protocol: huidu
                transport:
                  tcp: 127.0.0.1:\(server.port)
            """)
        let service = try WallboardService(configuration: config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            try await withRunningBoards(service) {
                _ = try await eventually("the idle board shows the station", within: .seconds(10)) {
                    await Self.texts(board).first == station.name ? true : nil
                }
                try await database.dispatch(vehicle: station.vehicle)
                _ = try await eventually("the board shows the dispatched vehicle", within: .seconds(10)) {
                    await Self.texts(board).first?.hasPrefix(station.callSign) == true ? true : nil
                }
                let monitor = try #require(service.monitor(id: "door"))
                #expect(monitor.report.status == .ok)
                #expect(monitor.report.sendErrors == 0, "\(monitor.report.lastError ?? "")")
                let journal = await board.journal
                #expect(!journal.isEmpty && journal.allSatisfy { if case .accepted = $0 { true } else { false } }, "every request was taken: \(journal)")
                #expect(journal.filter { if case .accepted(let what) = $0 { what.hasPrefix("GetIFVersion") } else { false } }.count == 1, "one session")
            }
        }
    }
}
