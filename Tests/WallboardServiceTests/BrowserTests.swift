import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WallboardExport
import WallboardRender
@testable import WallboardService

/// A real browser (Debian's headless Chromium, installed by the Makefile) opens a wall page and
/// a door-board page; their screenshots must show the boards' frames pixel for pixel. The boards
/// use layouts without clocks or scrolling, so that the frame cannot change between the moment
/// the page paints and the moment the test reads the frame.
@Suite(.serialized) struct BrowserTests {
    static let chromium = "/usr/bin/chromium"

    static func layouts(in directory: TemporaryDirectory) throws -> (wall: String, door: String) {
        let wall = directory.path("wall-static.yaml"), door = directory.path("door-static.yaml")
        try """
            board:
              kind: wall
              width: 320
              height: 96
              format: rgb
              privacy: internal
            states:
              main:
                - text: "{{centre.name}}"
                  rect: [0, 0, 320, 16]
                  font: cjk-16
                  colour: white
                - kpi:
                    label: "今日派车"
                    value: figures.dispatchesToday
                    font: cjk-16
                  rect: [0, 16, 100, 40]
                - grid:
                    font: cjk-12
                    cell: [54, 16]
                    colours:
                      7: green
                      1: red
                      2: red
                      3: red
                    other: amber
                  rect: [100, 16, 220, 80]
            """.write(toFile: wall, atomically: true, encoding: .utf8)
        try """
            board:
              kind: door
              width: 192
              height: 32
              format: bicolor
              privacy: public
            states:
              idle:
                - text: "{{station.name}}"
                  rect: [0, 0, 192, 16]
                  font: cjk-16
                  colour: green
                - text: "待命 {{station.standbyCount}} 辆"
                  rect: [0, 16, 192, 16]
                  font: cjk-16
                  colour: amber
              alert:
                - text: "{{alert.vehicle.callSign}}"
                  rect: [0, 0, 192, 32]
                  font: cjk-16
                  colour: red
            """.write(toFile: door, atomically: true, encoding: .utf8)
        return (wall, door)
    }

    /// Chromium's screenshot of `url` in a window `scale` times the board's size.
    static func screenshot(_ url: String, width: Int, height: Int, scale: Int, waitMilliseconds: Int, directory: TemporaryDirectory) throws -> PNG.Image {
        let file = directory.path("screenshot-\(UUID().uuidString).png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
            "--window-size=\(width * scale),\(height * scale)", "--timeout=\(waitMilliseconds)", "--screenshot=\(file)", url,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return try PNG.decode(Array(Data(contentsOf: URL(fileURLWithPath: file))))
    }

    /// The board pixels that differ from the screenshot (each pixel sampled at its block's centre).
    static func differences(_ frame: Bitmap, _ screenshot: PNG.Image, scale: Int) -> Int {
        var differing = 0
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                let sx = x * scale + scale / 2, sy = y * scale + scale / 2
                guard sx < screenshot.width, sy < screenshot.height else {
                    differing += 1
                    continue
                }
                if screenshot.colour(x: sx, y: sy) != frame.colour(x: x, y: y) { differing += 1 }
            }
        }
        return differing
    }

    @Test func boardPagesDrawTheFramesPixelForPixel() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.chromium), "make test installs Debian's chromium")
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let (wall, door) = try Self.layouts(in: directory)
        let config = try configuration(database: database.path, directory: directory, boards: """
              - id: wall
                name: 大屏
                layout: \(wall)
                transport: browser
              - id: door
                name: 门头屏
                station: \(station.station)
                layout: \(door)
                transport: browser
            """)
        let service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test")) { _, _ in nil }
        try await withRunningBoards(service) {
            let http = HTTPInterface(service: service)
            let app = Application(router: http.router(), server: .http1WebSocketUpgrade(webSocketRouter: http.router()), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                let port = try #require(client.port)
                for (id, scale) in [("wall", 2), ("door", 3)] {
                    let monitor = try #require(service.monitor(id: id))
                    // The first frames come before the data (with the "no data" banner); wait for
                    // the data, which then stays still: the database has no writer.
                    _ = try await frame(of: monitor) { _ in service.health(now: Date()).status == .ok }
                    // A loaded machine may take a while to open the page and its WebSocket: wait
                    // longer on each attempt before the screenshot.
                    var differing = Int.max
                    for attempt in 1...4 where differing > 0 {
                        let shot = try Self.screenshot(
                            "http://127.0.0.1:\(port)/boards/\(id)", width: monitor.width, height: monitor.height, scale: scale,
                            waitMilliseconds: 2000 * attempt, directory: directory
                        )
                        let expected = try #require(monitor.frame)
                        #expect(shot.width == expected.bitmap.width * scale && shot.height == expected.bitmap.height * scale)
                        differing = Self.differences(expected.bitmap, shot, scale: scale)
                    }
                    #expect(differing == 0, "the \(id) page differs from its frame in \(differing) pixels")
                }
            }
        }
    }
}
