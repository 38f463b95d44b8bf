import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WallboardEmulator
import WallboardExport
import WallboardFonts
import WallboardRender
import WallboardTestKit
import WallboardText
import WallboardTransport
@testable import WallboardService

/// The console at `/` in headless Chromium, driven through WebDriver, against the service with a
/// font-card door board played by its emulator on a pseudo-terminal (through a link, so that the
/// board can go away and come back).
@Suite(.serialized) struct ConsoleBrowserTests {
    struct Console {
        let browser: WebDriver
        let url: String
        let service: WallboardService
        let link: String
        let station: String
        let board: EmulatedBoard
        let server: PseudoTerminalBoardServer
    }

    static func withConsole(_ body: @Sendable (Console) async throws -> Void) async throws {
        #expect(FileManager.default.isExecutableFile(atPath: WebDriver.chromium), "make test installs Debian's chromium")
        #expect(FileManager.default.isExecutableFile(atPath: WebDriver.chromedriver), "make test installs Debian's chromium-driver")
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let (board, server) = try EmulatedBoardTests.fontCard()
        defer { server.close() }
        let link = directory.path("ttyDOOR")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: server.devicePath)
        let config = try configuration(
            database: database.path, directory: directory,
            // A clock that shows seconds: an idle board finds its line gone only when it next sends.
            boards: EmulatedBoardTests.serialDoorBoard("door", station: station.station, device: link, layout: try directory.doorLayoutWithSeconds()).replacingOccurrences(
                of: "- id: door", with: "- id: door\n    name: 1号站门头屏"
            )
        )
        let service = try WallboardService(configuration: config)
        let serving = Task { try? await server.run() }
        defer { serving.cancel() }
        try await withRunningBoards(service) {
            _ = try await EmulatedBoardTests.waitFor(board) { $0.first == station.name }
            let http = HTTPInterface(service: service)
            let app = Application(router: http.router(), server: .http1WebSocketUpgrade(webSocketRouter: http.router()), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let browser = try await WebDriver(width: 1200, height: 900)
                do {
                    try await browser.open("http://127.0.0.1:\(port)/")
                    let loaded = try await browser.waitUntil("return document.fonts.status === 'loaded' && document.querySelector('.board.ok') !== null", within: .seconds(20))
                    #expect(loaded != nil, "the console loads its font and shows the board as ok")
                    try await body(Console(browser: browser, url: "http://127.0.0.1:\(port)/", service: service, link: link, station: station.name, board: board, server: server))
                } catch {
                    await browser.quit()
                    throw error
                }
                await browser.quit()
            }
        }
    }

    /// `text` drawn by `chain` and magnified `scale` times, one line high.
    static func expected(_ text: String, chain: FontChain, scale: Int) -> Bitmap {
        var canvas = Canvas(width: chain.measure(text), height: chain.lineHeight, format: .mono)
        chain.draw(text, on: &canvas, x: 0, baseline: chain.ascent, colour: .on)
        var magnified = Canvas(width: canvas.width * scale, height: canvas.height * scale, format: .mono)
        for y in 0..<magnified.height {
            for x in 0..<magnified.width where canvas.bitmap.isLit(x: x / scale, y: y / scale) { magnified.setPixel(x: x, y: y, .on) }
        }
        return magnified.bitmap
    }

    /// The pixels where the screenshot at `origin` differs from `expected` (lit: brighter than mid-grey).
    static func differences(_ expected: Bitmap, _ shot: PNG.Image, at origin: (x: Int, y: Int)) -> Int {
        var differing = 0
        for y in 0..<expected.height {
            for x in 0..<expected.width {
                let sx = origin.x + x, sy = origin.y + y
                guard sx < shot.width, sy < shot.height else {
                    differing += 1
                    continue
                }
                let colour = shot.colour(x: sx, y: sy)
                let lit = Int(colour.r) + Int(colour.g) + Int(colour.b) > 3 * 0x80
                if lit != expected.isLit(x: x, y: y) { differing += 1 }
            }
        }
        return differing
    }

    /// The box of the element's text on the page: left, top, width, height in CSS pixels.
    static func box(_ browser: WebDriver, _ css: String) async throws -> (x: Int, y: Int, width: Int, height: Int) {
        let values = try #require(try await browser.execute("""
            const text = document.createRange();
            text.selectNodeContents(document.querySelector(arguments[0]));
            const r = text.getBoundingClientRect();
            return [r.left, r.top, r.width, r.height];
            """, [css]) as? [Any])
        let numbers = values.compactMap { ($0 as? NSNumber)?.doubleValue }
        try #require(numbers.count == 4)
        return (Int(numbers[0].rounded()), Int(numbers[1].rounded()), Int(numbers[2].rounded()), Int(numbers[3].rounded()))
    }

    @Test func headingsAreDrawnInThePagesOwnFont() async throws {
        let chain = try FontLibrary.locate().chain(PageFont.chainName)
        try await Self.withConsole { console in
            for (css, text, scale) in [("h1", "测试急救中心", 2), (".board[data-board=door] h2 a", "1号站门头屏", 1)] {
                // The text's box is exactly its advances: the page's font laid it out.
                let box = try await Self.box(console.browser, css)
                #expect(box.width == chain.measure(text) * scale, "\(css) is \(box.width) px wide")
                let expected = Self.expected(text, chain: chain, scale: scale)
                let differing = Self.differences(expected, try await console.browser.screenshot(), at: (box.x, box.y))
                #expect(differing == 0, "\(css) differs from \(chain.name)'s glyphs in \(differing) of \(expected.width * expected.height) pixels")
            }
        }
    }

    @Test func testMessageNeedsTheRightTokenAndReachesTheBoard() async throws {
        try await Self.withConsole { console in
            let browser = console.browser
            let card = ".board[data-board=door]"
            try await browser.execute("sessionStorage.clear();")
            try await browser.type("演练 A1", into: "\(card) input[name=text]")
            try await browser.type("20", into: "\(card) input[name=seconds]")
            try await browser.click("\(card) .send")
            #expect(try await browser.waitUntil("return document.getElementById('token').open", within: .seconds(5)) != nil, "the page asks for the token")
            try await browser.type("wrong-token", into: "#token input")
            try await browser.click("#token button[value=ok]")
            #expect(try await browser.waitUntil("return document.querySelector('\(card) .reply.refused') !== null", within: .seconds(5)) != nil)
            let refusal = try await browser.text("\(card) .reply")
            #expect(refusal == "send the configured token as 'Authorization: Bearer TOKEN'", "the service's own words: \(refusal)")
            #expect(!(await EmulatedBoardTests.texts(console.board)).contains("演练 A1"))

            // Refused, the token was forgotten: the page asks again.
            try await browser.click("\(card) .send")
            #expect(try await browser.waitUntil("return document.getElementById('token').open", within: .seconds(5)) != nil, "the page asks again")
            try await browser.type("test-token-1234", into: "#token input")
            try await browser.click("#token button[value=ok]")
            _ = try await EmulatedBoardTests.waitFor(console.board) { $0.contains("演练 A1") }
            #expect(try await browser.waitUntil("return document.querySelector('\(card) .reply.accepted') !== null", within: .seconds(5)) != nil)

            // Kept for the session: clearing asks nothing.
            try await browser.click("\(card) .clear")
            _ = try await EmulatedBoardTests.waitFor(console.board) { $0.first == console.station }
            #expect(try await browser.execute("return document.getElementById('token').open") as? Bool == false)
        }
    }

    @Test func boardThatStopsTurnsRedLiveAndRecovers() async throws {
        try await Self.withConsole { console in
            let card = ".board[data-board=door]"
            console.server.close()
            let failing = try await console.browser.waitUntil("return document.querySelector('\(card)').classList.contains('failing')", within: .seconds(10))
            let shown = try #require(failing, "the page never showed the board failing")
            // A font card is written at most once a second: the next write finds the line gone.
            #expect(shown < .seconds(3), "the page showed the board failing \(shown) after it stopped")
            #expect(try await console.browser.text("\(card) .events li.failing").contains(console.link), "the fault names the device")

            let (board, server) = try EmulatedBoardTests.fontCard()
            defer { server.close() }
            let serving = Task { try? await server.run() }
            defer { serving.cancel() }
            try EmulatedBoardTests.repoint(console.link, to: server.devicePath)
            _ = try await EmulatedBoardTests.waitFor(board) { $0.first == console.station }
            let back = try await console.browser.waitUntil("return document.querySelector('\(card)').classList.contains('ok')", within: .seconds(5))
            #expect(back != nil, "the page shows the board ok again once it is back")
        }
    }
}
