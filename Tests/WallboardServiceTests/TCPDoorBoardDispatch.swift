import Foundation
import Testing
import WallboardEmulator
import WallboardProtocols
import WallboardTestKit
import WallboardTransport
@testable import WallboardService

/// A station's door board of the controller `model` on TCP, its emulator on a loopback port and
/// the service over a fresh demo database: the idle board shows the station, then a dispatch of
/// the station's vehicle shows its call sign (`texts` reads what the card holds, first area
/// first). `check` runs while the service still drives the board; the board is returned after
/// the service stopped.
func dispatchToTCPDoorBoard(
    model name: String, texts: @escaping @Sendable (EmulatedBoard) async -> [String],
    check: @escaping @Sendable (WallboardService, EmulatedBoard) async throws -> Void
) async throws -> EmulatedBoard {
    let directory = try TemporaryDirectory()
    let database = try await DemoDatabase(directory: directory)
    let station = try #require(try await database.idleStations().first)
    let library = try EmulatedBoardTests.fonts.get()
    let painter = FontChainPainter(chains: [16: try library.chain("cjk-16"), 24: try library.chain("cjk-24")])
    let model = try #require(BoardProtocols.model(named: name))
    let board = try #require(EmulatedBoard(model, width: 192, height: 32, painter: painter))
    let server = try TCPBoardServer(board: board)
    defer { server.close() }
    let config = try configuration(database: database.path, directory: directory, boards: """
          - id: door
            station: \(station.station)
            layout: \(TemporaryDirectory.layoutsDirectory.path)/door-192x32-bicolor.yaml
            protocol: \(name)
            transport:
              tcp: 127.0.0.1:\(server.port)
        """)
    let service = try WallboardService(configuration: config)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        defer { group.cancelAll() }
        try await withRunningBoards(service) {
            _ = try await eventually("the idle board shows the station", within: .seconds(10)) {
                await texts(board).first == station.name ? true : nil
            }
            try await database.dispatch(vehicle: station.vehicle)
            _ = try await eventually("the board shows the dispatched vehicle", within: .seconds(10)) {
                await texts(board).first?.hasPrefix(station.callSign) == true ? true : nil
            }
            let monitor = try #require(service.monitor(id: "door"))
            #expect(monitor.report.status == .ok)
            #expect(monitor.report.sendErrors == 0, "\(monitor.report.lastError ?? "")")
            try await check(service, board)
        }
    }
    return board
}
