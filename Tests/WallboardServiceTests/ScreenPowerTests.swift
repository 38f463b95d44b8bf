import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
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
    static func service(
        directory: TemporaryDirectory, database: String, station: String, port: UInt16, doorSchedule: String? = nil,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) throws -> WallboardService {
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
            \(doorSchedule.map { "    brightness: \($0)" } ?? "")
              - id: strip
                layout: \(layouts)/strip-160x16-calls.yaml
                transport: browser
            """
        var configuration = try ConfigLoader.load(text, file: directory.path("wallboard.yaml"))
        // The strip scrolls: one frame a second is enough here (see `configuration(database:…)`).
        for index in configuration.boards.indices { configuration.boards[index].frameInterval = .seconds(1) }
        return try WallboardService(configuration: configuration, logger: Logger(label: "test"), wallClock: wallClock)
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
            _ = try await eventually("the card that came back has its windows and is switched off", within: .seconds(20)) {
                let emulator = await Self.emulator(second)
                return emulator?.texts[0]?.text == station.name && emulator?.screenOn == false ? true : nil
            }
            // Found between deliveries, the reconnect sends the screen's state first; when a
            // delivery's own retry reached the new card, that delivery's picture went first and
            // the screen's state follows at once, before anything else.
            let journal = await second.journal
            let accepted = journal.compactMap { event -> String? in if case .accepted(let what) = event { what } else { nil } }
            let switchedOff = try #require(accepted.firstIndex { $0.hasPrefix("screen off") }, "\(accepted)")
            #expect(accepted[..<switchedOff].filter { $0.hasPrefix("windows") }.count <= 1, "at most the one delivery before it: \(accepted)")
            #expect(await second.render().pixels.allSatisfy { $0 == 0 })

            door.switchScreen(on: true)
            _ = try await eventually("the card lights again", within: .seconds(10)) {
                await Self.emulator(second)?.screenOn == true ? true : nil
            }
            #expect(await second.render().pixels.contains { $0 != 0 })
            try await eventually("the status says so", within: .seconds(5)) { door.report.screenOn == true }
        }
    }

    /// `level: off` in a board's brightness schedule switches its screen off for those hours, at
    /// the scheduled minutes of the service's clock; an operator's choice holds over the schedule
    /// until `{"on": null}` hands it back.
    @Test func theScheduleSwitchesTheScreenOffForTheNightAndAnOperatorsChoiceHoldsUntilHandedBack() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let card = try Self.card()
        let server = try TCPBoardServer(board: card)
        // 00:59:30 in Shanghai; the schedule's night starts at 01:00 and ends at 05:00.
        let start = try #require(ISO8601DateFormatter().date(from: "2026-12-05T00:59:30+08:00"))
        let clock = Mutex(start)
        let service = try Self.service(
            directory: directory, database: database.path, station: station.station, port: server.port,
            doorSchedule: #"[{from: "05:00", level: 1}, {from: "01:00", level: off}]"#, wallClock: { clock.withLock { $0 } }
        )
        let door = try #require(service.monitor(id: "door"))
        try await withRunningBoards(service) {
            let serving = Task { try await server.run() }
            defer {
                serving.cancel()
                server.close()
            }
            _ = try await eventually("the board lit, showing the station", within: .seconds(10)) {
                let emulator = await Self.emulator(card)
                return emulator?.texts[0]?.text == station.name && emulator?.screenOn == true ? true : nil
            }
            clock.withLock { $0 = start.addingTimeInterval(31) }
            door.deliveryBell.ring()
            _ = try await eventually("dark at 01:00", within: .seconds(5)) { await Self.emulator(card)?.screenOn == false ? true : nil }
            #expect(door.report.screenOnWanted == nil, "the schedule's doing, not an operator's")

            door.switchScreen(on: true)
            _ = try await eventually("an operator lights it at night", within: .seconds(5)) { await Self.emulator(card)?.screenOn == true ? true : nil }
            door.deliveryBell.ring()
            try await Task.sleep(for: .milliseconds(300))
            #expect(await Self.emulator(card)?.screenOn == true, "the operator's choice holds over the schedule")

            door.switchScreen(on: nil)
            _ = try await eventually("handed back: dark again", within: .seconds(5)) { await Self.emulator(card)?.screenOn == false ? true : nil }
            clock.withLock { $0 = start.addingTimeInterval(4 * 3600 + 31) }
            door.deliveryBell.ring()
            _ = try await eventually("lit at 05:00", within: .seconds(5)) { await Self.emulator(card)?.screenOn == true ? true : nil }
        }
    }

    /// A schedule that wants a board's screen off where its controller cannot switch it is refused
    /// when the service starts (and so by `serve --check`), naming the board.
    @Test func aScheduledScreenOffIsRefusedOnABoardWithoutTheCommand() throws {
        let directory = try TemporaryDirectory()
        let layouts = TemporaryDirectory.layoutsDirectory.path
        let text = """
            centre: 测试急救中心
            source:
              sqlite: \(directory.path("dispatch.db"))
            boards:
              - id: strip
                layout: \(layouts)/strip-160x16-calls.yaml
                protocol: bx5k
                transport:
                  serial: /dev/null
                brightness: [{from: "01:00", level: off}, {from: "05:00", level: 1}]
            """
        let configuration = try ConfigLoader.load(text, file: directory.path("wallboard.yaml"))
        let error = #expect(throws: ServiceSetupError.self) { try WallboardService(configuration: configuration, logger: Logger(label: "test")) }
        #expect(error?.description == "\(directory.path("wallboard.yaml")):5:5: board 'strip' (bx5k) has 'level: off' in its brightness schedule but no command to switch its screen off")
    }
}
