import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WallboardEmulator
import WallboardProtocols
import WallboardTestKit
import WallboardTransport
@testable import WallboardService

/// Nothing in the data can stop a door board: the dispatch system writes a character the
/// controller lacks, damaged text or a very long address, and the board on TCP keeps taking
/// every frame, its turnout timer keeps time, it shows a visible placeholder, and the service
/// reports the characters once as a data warning, never as a board fault.
@Suite(.serialized) struct UnshowableTextTests {
    /// What the dispatch system writes into the dispatched incident, and what the board shows of it.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let assignment: String
        let shown: @Sendable (String) -> Bool
        let substituted: [String]
        var testDescription: String { name }

        static let all = [
            Case(name: "a landmark outside GB2312", assignment: "landmark = '喆园小区'", shown: { $0.contains("□园小区") }, substituted: ["'喆' (U+5586)"]),
            // Bytes that are not UTF-8 reach the reader as U+FFFD.
            Case(name: "a landmark of invalid UTF-8", assignment: "landmark = CAST(X'FF41FE' AS TEXT)", shown: { $0.contains("□A") }, substituted: ["'\u{FFFD}' (U+FFFD)"]),
            Case(
                name: "a pickup address of 256 characters", assignment: "pickup_address = '\(String(repeating: "东风路十二号", count: 43).prefix(256))'",
                shown: { $0.hasPrefix("东风路十二号东风路十二号\n") && $0.hasSuffix("…") }, substituted: []
            ),
        ]
    }

    static func fontCard(charset: ControllerCharset = .gb2312) throws -> EmulatedBoard {
        let library = try EmulatedBoardTests.fonts.get()
        let painter = FontChainPainter(chains: [16: try library.chain("cjk-16"), 24: try library.chain("cjk-24"), 32: try library.chain("cjk-32")])
        let model = try #require(BoardProtocols.model(named: "bx5k"))
        return try #require(EmulatedBoard(model, width: 192, height: 32, painter: painter, charset: charset))
    }

    static func tcpDoorBoard(_ id: String, station: String, port: UInt16) -> String {
        """
              - id: \(id)
                station: \(station)
                layout: \(TemporaryDirectory.layoutsDirectory.path)/door-192x32-bicolor.yaml
                protocol: bx5k
                transport:
                  tcp: 127.0.0.1:\(port)
            """
    }

    /// A service over a fresh simulated centre with one BX-5K door board served on TCP.
    static func withDoorBoard(_ body: @Sendable (WallboardService, DemoDatabase, EmulatedBoard, (station: String, name: String, vehicle: String, callSign: String)) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let board = try fontCard()
        let server = try TCPBoardServer(board: board)
        defer { server.close() }
        let config = try configuration(database: database.path, directory: directory, boards: tcpDoorBoard("door", station: station.station, port: server.port))
        let service = try WallboardService(configuration: config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            try await withRunningBoards(service) {
                _ = try await EmulatedBoardTests.waitFor(board) { $0.first == station.name }
                try await body(service, database, board, station)
            }
        }
    }

    @Test(arguments: Case.all)
    func theDoorBoardKeepsDelivering(_ example: Case) async throws {
        try await Self.withDoorBoard { service, database, board, station in
            let monitor = try #require(service.monitor(id: "door"))
            try await database.dispatch(vehicle: station.vehicle)
            _ = try await EmulatedBoardTests.waitFor(board) { $0.first?.hasPrefix(station.callSign) == true }
            let queue = try DatabaseQueue(path: database.path)
            try await queue.write { db in try db.execute(sql: "UPDATE incidents SET \(example.assignment) WHERE id = 'TEST-1'") }
            try queue.close()
            let shown = try await EmulatedBoardTests.waitFor(board) { $0.contains(where: example.shown) }

            // The turnout timer (area 1, counted by the card from its pages) keeps time: three
            // different readings in 3.5 seconds.
            var readings: Set<String> = []
            for _ in 0..<8 {
                readings.insert(await EmulatedBoardTests.shownTexts(board).dropFirst().first ?? "")
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(readings.count >= 3, "the timer read \(readings.sorted()) while the board showed \(shown)")
            let report = monitor.report
            #expect(report.status == .ok)
            #expect(report.sendErrors == 0, "the board never failed: \(report.lastError ?? "")")

            let warnings = service.sourceReport(now: Date()).textSubstitutions
            if example.substituted.isEmpty {
                #expect(warnings.isEmpty)
            } else {
                let warning = try #require(warnings.first)
                #expect(warning.board == "door")
                #expect(warning.characters == example.substituted, "reported once, however many frames held it")
                let metrics = service.metrics.exposition(snapshotAge: nil)
                #expect(metrics.contains("wallboard_text_substitutions_total{board=\"door\"} \(example.substituted.count)"), "\(metrics)")
            }
        }
    }

    /// The card shows the white square where the station's name has a character it lacks:
    /// lit on its picture, as wide as a character of its 16-dot font.
    @Test func thePlaceholderIsOnTheBoardsPicture() async throws {
        try await Self.withDoorBoard { service, database, board, station in
            let queue = try DatabaseQueue(path: database.path)
            try await queue.write { db in try db.execute(sql: "UPDATE stations SET name = '喆' WHERE id = ?", arguments: [station.station]) }
            try queue.close()
            _ = try await EmulatedBoardTests.waitFor(board) { $0.first == "□" }
            let picture = await board.render()
            let card = try #require(await board.state as? OnbonFontCardEmulator)
            let rect = try #require(card.areas[0]).frame
            let litColumns = (rect.x..<rect.maxX).filter { x in (rect.y..<rect.maxY).contains { picture[x, $0] != 0 } }
            #expect(litColumns.count >= 8 && (litColumns.last ?? 0) - (litColumns.first ?? 0) < 16, "the square is drawn: columns \(litColumns)")
            #expect(service.monitor(id: "door")?.report.status == .ok)
        }
    }

    @Test func anOperatorMessageTheBoardCannotShowIsRefusedBeforeItIsAccepted() async throws {
        try await Self.withDoorBoard { service, _, board, _ in
            let app = Application(router: HTTPInterface(service: service).router())
            let token: HTTPFields = [.authorization: "Bearer test-token-1234"]
            try await app.test(.router) { client in
                for (text, named) in [("测试 ¥¦", ["'¥' (U+A5)", "'¦' (U+A6)"]), ("测试 😀", ["'😀' (U+1F600)"])] {
                    let body = ByteBuffer(string: #"{"text": "\#(text)", "seconds": 30}"#)
                    try await client.execute(uri: "/api/v1/boards/door/message", method: .post, headers: token, body: body) { response in
                        #expect(response.status == .badRequest)
                        let message = String(buffer: response.body)
                        #expect(message.contains("board 'door'"), "\(message)")
                        #expect(message.contains(named.joined(separator: ", ")), "each character once, in order: \(message)")
                    }
                }
                #expect(service.monitor(id: "door")?.report.message == nil, "nothing was accepted")
                let body = ByteBuffer(string: #"{"text": "测试消息", "seconds": 30}"#)
                try await client.execute(uri: "/api/v1/boards/door/message", method: .post, headers: token, body: body) { response in
                    #expect(response.status == .accepted)
                }
            }
            _ = try await EmulatedBoardTests.waitFor(board) { $0.contains("测试消息") }
        }
    }

    /// A board whose pixels are drawn here shows a box where its fonts have no glyph, and the
    /// character is reported the same way.
    @Test func aGlyphNoFontHasIsReportedForABrowserBoard() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let queue = try DatabaseQueue(path: database.path)
        try await queue.write { db in try db.execute(sql: "UPDATE stations SET name = '分站\u{F0000}' WHERE id = ?", arguments: [station.station]) }
        try queue.close()
        let config = try configuration(database: database.path, directory: directory, boards: """
              - id: preview
                station: \(station.station)
                layout: \(TemporaryDirectory.layoutsDirectory.path)/door-192x32-bicolor.yaml
                transport: browser
            """)
        let service = try WallboardService(configuration: config)
        try await withRunningBoards(service) {
            let monitor = try #require(service.monitor(id: "preview"))
            let shown = try await frame(of: monitor) { $0.texts.first == "分站\u{F0000}" }
            #expect(shown.missingCharacters == ["\u{F0000}"])
            let warning = try await eventually("the character is reported") { service.sourceReport(now: Date()).textSubstitutions.first }
            #expect(warning.board == "preview" && warning.characters == ["'\u{F0000}' (U+F0000)"])
        }
    }

    @Test func aCardWithAGBKLibraryIsSentTheCharacterItself() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let board = try Self.fontCard(charset: .gbk)
        let server = try TCPBoardServer(board: board)
        defer { server.close() }
        let config = try configuration(database: database.path, directory: directory, boards: Self.tcpDoorBoard("door", station: station.station, port: server.port) + "\n    charset: gbk")
        #expect(config.boards.first?.charset == .gbk)
        let queue = try DatabaseQueue(path: database.path)
        try await queue.write { db in try db.execute(sql: "UPDATE stations SET name = '喆园' WHERE id = ?", arguments: [station.station]) }
        try queue.close()
        let service = try WallboardService(configuration: config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            try await withRunningBoards(service) {
                _ = try await EmulatedBoardTests.waitFor(board) { $0.first == "喆园" }
                #expect(service.sourceReport(now: Date()).textSubstitutions.isEmpty)
            }
        }
    }
}
