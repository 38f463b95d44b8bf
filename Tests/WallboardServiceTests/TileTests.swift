import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Logging
import NIOCore
import Testing
import WallboardExport
import WallboardRender
import WallboardTestKit
@testable import WallboardService

/// Each screen of a splicing wall shows its own tile of the one frame (`?tile=COLUMN,ROW`).
@Suite(.serialized) struct TileTests {
    /// A 2×2 wall of 80×32 screens: text on each screen, a bar across the middle bezel.
    static let layout = """
        board: {kind: wall, width: 160, height: 64, format: rgb, privacy: internal, bezels: {columns: [80], rows: [32]}}
        stale: {rect: [0, 48, 80, 16], font: cjk-16}
        states:
          main:
            - text: "左上{{figures.callsToday}}"
              rect: [0, 0, 80, 16]
              font: cjk-16
              colour: green
            - text: "右上"
              rect: [80, 0, 80, 16]
              font: cjk-16
              colour: amber
            - box: "#2080FF"
              rect: [40, 24, 80, 16]
            - text: "左下"
              rect: [0, 40, 80, 16]
              font: cjk-16
              colour: red
            - text: "右下"
              rect: [80, 40, 80, 24]
              font: cjk-16
              colour: white
        """

    static func withWall(_ body: @Sendable (WallboardService, HTTPInterface) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        try layout.write(toFile: directory.path("tiled.yaml"), atomically: true, encoding: .utf8)
        let database = try await DemoDatabase(directory: directory)
        let config = try configuration(database: database.path, directory: directory, boards: """
              - id: wall
                layout: \(directory.path("tiled.yaml"))
                transport: browser
            """)
        let service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test")) { _, _ in nil }
        try await withRunningBoards(service) {
            try await eventually("the data is current", within: .seconds(10)) { service.health(now: Date()).status == .ok }
            for monitor in service.monitors {
                _ = try await frame(of: monitor) { !$0.texts.contains { $0.hasPrefix("数据中断") } }
            }
            try await body(service, HTTPInterface(service: service))
        }
    }

    /// Row-major RGB triples, as a PNG holds them.
    static func rgb(_ bitmap: Bitmap) -> [UInt8] {
        (0..<bitmap.height).flatMap { y in
            (0..<bitmap.width).flatMap { x in
                let colour = bitmap.colour(x: x, y: y)
                return [colour.r, colour.g, colour.b]
            }
        }
    }

    static func png(_ client: some TestClientProtocol, _ uri: String) async throws -> PNG.Image {
        try await client.execute(uri: uri, method: .get) { response in
            #expect(response.status == .ok, "\(uri)")
            return try PNG.decode(Array(buffer: response.body))
        }
    }

    @Test func eachTileIsItsCropOfTheFrame() async throws {
        try await Self.withWall { service, http in
            let app = Application(router: http.router())
            let wall = try #require(service.monitor(id: "wall"))
            try await app.test(.router) { client in
                // The wall draws nothing that moves: every read is of the same frame.
                let frame = try #require(wall.frame).bitmap
                let whole = try await Self.png(client, "/boards/wall/frame.png")
                #expect(whole.width == 160 && whole.height == 64)
                #expect(whole.rgb == Self.rgb(frame))
                for (column, row) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let tile = try await Self.png(client, "/boards/wall/frame.png?tile=\(column),\(row)")
                    #expect(tile.width == 80 && tile.height == 32)
                    #expect(tile.rgb == Self.rgb(frame.cropped(to: Rect(x: column * 80, y: row * 32, width: 80, height: 32))), "tile \(column),\(row)")
                    #expect(tile.rgb.contains { $0 != 0 }, "tile \(column),\(row) is blank")
                }
                try await client.execute(uri: "/boards/wall?tile=1,1", method: .get) { response in
                    #expect(response.status == .ok)
                    let page = String(buffer: response.body)
                    #expect(page.contains(#"<canvas id="board" width="80" height="32" data-board="wall" data-query="?tile=1,1">"#))
                }
            }
        }
    }

    /// In a real browser (as BrowserTests opens boards), each screen's page draws its own tile of
    /// the frame pixel for pixel, the bar across the bezel cut where the screens meet.
    @Test func aBrowserOnEachScreenShowsItsTile() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: BrowserTests.chromium), "make test installs Debian's chromium")
        let directory = try TemporaryDirectory()
        try await Self.withWall { service, http in
            let wall = try #require(service.monitor(id: "wall"))
            let app = Application(router: http.router(), server: .http1WebSocketUpgrade(webSocketRouter: http.router()), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let frame = try #require(wall.frame).bitmap
                for (column, row) in [(1, 0), (0, 1)] {
                    let tile = frame.cropped(to: Rect(x: column * 80, y: row * 32, width: 80, height: 32))
                    var differing = Int.max
                    for attempt in 1...4 where differing > 0 {
                        let shot = try BrowserTests.screenshot(
                            "http://127.0.0.1:\(port)/boards/wall?tile=\(column),\(row)", width: 80, height: 32, scale: 3,
                            waitMilliseconds: 2000 * attempt, directory: directory
                        )
                        #expect(shot.width == 240 && shot.height == 96)
                        differing = BrowserTests.differences(tile, shot, scale: 3)
                    }
                    #expect(differing == 0, "the page of tile \(column),\(row) differs from its crop of the frame in \(differing) pixels")
                }
            }
        }
    }

    @Test func badTilesAreRefusedWithTheWallsShape() async throws {
        try await Self.withWall { _, http in
            let app = Application(router: http.router())
            try await app.test(.router) { client in
                for (query, says) in [
                    ("2,0", "there is no tile 2,0: board 'wall' is 2×2 screens: COLUMN 0–1, ROW 0–1"),
                    ("0,-1", "there is no tile 0,-1"),
                    ("1", "'tile' is COLUMN,ROW counted from 0"),
                    ("a,b", "not 'a,b'"),
                    ("1,0,0", "not '1,0,0'"),
                ] {
                    for path in ["/boards/wall?tile=", "/boards/wall/frame.png?tile="] {
                        try await client.execute(uri: path + query, method: .get) { response in
                            #expect(response.status == .badRequest, "\(path)\(query)")
                            #expect(String(buffer: response.body).contains(says), "\(path)\(query): \(String(buffer: response.body))")
                        }
                    }
                }
            }
        }
    }

    @Test func theTilesWebSocketSendsOnlyItsScreen() async throws {
        try await Self.withWall { service, http in
            let wall = try #require(service.monitor(id: "wall"))
            try await frameMessages(from: http, path: "/boards/wall/ws?tile=1,0") { next in
                let bytes = try #require(try await next(), "an inflated binary frame message")
                func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
                #expect([0, 2, 4, 6, 8, 10, 12].map(u16) == [80, 32, 1, 0, 0, 80, 32], "the tile's size, one region, the whole tile")
                let crop = try #require(wall.frame).bitmap.cropped(to: Rect(x: 80, y: 0, width: 80, height: 32))
                #expect(Array(bytes[14...]) == Self.rgb(crop))
            }
        }
    }
}
