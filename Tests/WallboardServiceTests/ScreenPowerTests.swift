import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import WallboardConfig
import WallboardEmulator
import WallboardProtocols
import WallboardTestKit
import WallboardTransport
@testable import WallboardService

/// An operator switches a board's screen off and on (`POST /api/v1/boards/ID/power`): only an
/// operator, only a board whose controller has the command, every switch in the audit trail;
/// the card goes dark, and a card that comes back is switched off again before it shows a frame.
@Suite(.serialized) struct ScreenPowerTests {
    /// A service with a viewer and an operator, an audit trail, a C-Power door board on `port`
    /// and a browser strip, which has no screen to switch.
    static func service(directory: TemporaryDirectory, database: String, station: String, port: UInt16) throws -> WallboardService {
        var users = ""
        for (name, role) in [("viewer", "viewer"), ("ops", "operator")] {
            let file = try AccessTests.tokenFile(name, token: AccessTests.tokens[name] ?? "", in: directory)
            users += "    - {name: \(name), role: \(role), tokenFile: \(file)}\n"
        }
        let layouts = TemporaryDirectory.layoutsDirectory.path
        // A clock that shows seconds: an idle board finds a restarted card only when it next sends.
        let door = try directory.doorLayoutWithSeconds()
        let text = """
            centre: 测试急救中心
            source:
              sqlite: \(database)
              poll: 50ms
              timeZone: Asia/Shanghai
            http:
              port: 0
              audit: \(directory.path("audit.jsonl"))
              users:
            \(users)
            boards:
              - id: door
                station: \(station)
                layout: \(door)
                protocol: cpower
                transport:
                  tcp: 127.0.0.1:\(port)
              - id: strip
                layout: \(layouts)/strip-160x16-calls.yaml
                transport: browser
            """
        var configuration = try ConfigLoader.load(text, file: directory.path("wallboard.yaml"))
        // The strip scrolls: one frame a second is enough here (see `configuration(database:…)`).
        for index in configuration.boards.indices { configuration.boards[index].frameInterval = .seconds(1) }
        return try WallboardService(configuration: configuration, logger: Logger(label: "test"))
    }

    static func card() throws -> EmulatedBoard {
        let library = try EmulatedBoardTests.fonts.get()
        let painter = FontChainPainter(chains: [16: try library.chain("cjk-16"), 24: try library.chain("cjk-24")])
        let model = try #require(BoardProtocols.model(named: "cpower"))
        return try #require(EmulatedBoard(model, width: 192, height: 32, painter: painter))
    }

    static func emulator(_ board: EmulatedBoard) async -> CPowerEmulator? {
        await board.state as? CPowerEmulator
    }

    @Test func onlyOperatorsSwitchAScreenOnlyWhereTheBoardHasOneAndEachSwitchIsAudited() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.service(directory: directory, database: directory.path("dispatch.db"), station: "S01", port: 5200)
        let off = ByteBuffer(string: #"{"on": false}"#)
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            try await client.execute(uri: "/api/v1/boards/door/power", method: .post, body: off) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/boards/door/power", method: .post, headers: AccessTests.bearer("viewer"), body: off) { response in
                #expect(response.status == .forbidden, "a viewer may not switch a screen")
            }
            #expect(service.monitor(id: "door")?.report.screenOnWanted == nil)
            try await client.execute(uri: "/api/v1/boards/door/power", method: .post, headers: AccessTests.bearer("ops"), body: ByteBuffer(string: #"{"on": "no"}"#)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/boards/door/power", method: .post, headers: AccessTests.bearer("ops"), body: off) { response in
                #expect(response.status == .accepted)
                let report = try ConsoleAPITests.decoder().decode(BoardReport.self, from: Data(buffer: response.body))
                #expect(report.switchesScreen && report.screenOnWanted == false)
                #expect(report.screenOn == nil, "not yet on the board")
            }
            try await client.execute(uri: "/api/v1/boards/strip/power", method: .post, headers: AccessTests.bearer("ops"), body: off) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("board 'strip' (browser) has no command to switch its screen on or off"))
            }
            try await client.execute(uri: "/", method: .get, headers: AccessTests.bearer("ops")) { response in
                let page = String(buffer: response.body)
                #expect(page.components(separatedBy: #"class="screen-off""#).count == 2, "the button only beside the door board's brightness")
            }
        }
        #expect(service.monitor(id: "strip")?.report.switchesScreen == false)
        let entries = try #require(service.audit).entries(since: nil, limit: 10)
        #expect(entries.map { "\($0.status) \($0.user ?? "-") \($0.text ?? "-")" } == [
            "401 - screen off", "403 viewer screen off", "400 ops -", "202 ops screen off", "409 ops screen off",
        ])
        #expect(entries.allSatisfy { $0.action.hasSuffix("/power") })
    }

    @Test func aCardSwitchedOffGoesDarkAndIsSwitchedOffAgainBeforeAFrameWhenItComesBack() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let first = try Self.card()
        let server = try TCPBoardServer(board: first)
        let port = server.port
        let service = try Self.service(directory: directory, database: database.path, station: station.station, port: port)
        let door = try #require(service.monitor(id: "door"))
        try await withRunningBoards(service) {
            let serving = Task { try await server.run() }
            _ = try await eventually("the idle board shows the station", within: .seconds(10)) {
                await Self.emulator(first)?.texts[0]?.text == station.name ? true : nil
            }
            door.switchScreen(on: false)
            _ = try await eventually("the card's screen is off", within: .seconds(10)) {
                await Self.emulator(first)?.screenOn == false ? true : nil
            }
            #expect(await first.render().pixels.allSatisfy { $0 == 0 }, "a dark board")
            #expect(await Self.emulator(first)?.texts[0]?.text == station.name, "what it shows is kept")
            try await eventually("the status says so", within: .seconds(5)) { door.report.screenOn == false }

            // The card restarts: a fresh one, screen on, on the same port.
            serving.cancel()
            server.close()
            _ = await serving.result
            let second = try Self.card()
            let again = try TCPBoardServer(board: second, port: port)
            let servingAgain = Task { try await again.run() }
            defer {
                servingAgain.cancel()
                again.close()
            }
            _ = try await eventually("the card that came back has its windows", within: .seconds(20)) {
                await Self.emulator(second)?.texts[0]?.text == station.name ? true : nil
            }
            let journal = await second.journal
            let accepted = journal.compactMap { event -> String? in if case .accepted(let what) = event { what } else { nil } }
            #expect(accepted.first?.hasPrefix("screen off") == true, "switched off before anything else: \(accepted)")
            #expect(await Self.emulator(second)?.screenOn == false)
            #expect(await second.render().pixels.allSatisfy { $0 == 0 })

            door.switchScreen(on: true)
            _ = try await eventually("the card lights again", within: .seconds(10)) {
                await Self.emulator(second)?.screenOn == true ? true : nil
            }
            #expect(await second.render().pixels.contains { $0 != 0 })
            try await eventually("the status says so", within: .seconds(5)) { door.report.screenOn == true }
        }
    }
}
