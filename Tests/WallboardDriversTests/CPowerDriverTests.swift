import Foundation
import Testing
import WallboardDrivers
import WallboardEmulator
import WallboardFonts
import WallboardProtocols
import WallboardRender
import WallboardTestKit

/// Frames through the C-Power driver into its emulator: windows split once, then only the text
/// that changed, every shipped door layout shown as drawn, critical text flickering.
@Suite struct CPowerDriverTests {
    static func painter() throws -> FontChainPainter {
        let fonts = try DriverTests.library.get()
        return FontChainPainter(chains: [12: try fonts.chain("cjk-12"), 16: try fonts.chain("cjk-16"), 24: try fonts.chain("cjk-24"), 32: try fonts.chain("cjk-32")])
    }

    static func emulator(width: Int = 192, height: Int = 32, format: PixelFormat = .bicolor, clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) throws -> CPowerEmulator {
        CPowerEmulator(configuration: .init(width: width, height: height, pixelFormat: format, clock: clock), painter: try painter())
    }

    static func send(_ messages: [[UInt8]], to board: inout CPowerEmulator, driver: any BoardDriver) {
        for message in messages { #expect(driver.replies?.interpret(board.receive(message)) == .acknowledged) }
    }

    /// A turnout timer's tick is one pure-text packet of its window: at most 40 bytes on the wire
    /// in either framing.
    @Test(arguments: [false, true])
    func windowsAreSplitOnceThenATimerTickIsOneShortPacket(overNetwork: Bool) throws {
        let model = try DriverTests.model("cpower")
        let driver = BoardDrivers.make(model, width: 192, height: 32, format: .bicolor, overNetwork: overNetwork)
        var board = try Self.emulator()
        let first = try driver.messages(for: DriverTests.frame(DriverTests.idle), previous: nil)
        #expect(first.count == 1 + DriverTests.idle.count, "the split, then each window's text")
        Self.send(first, to: &board, driver: driver)
        #expect(board.windows == DriverTests.idle.map(\.rect))
        var ticked = DriverTests.idle
        ticked[1].runs = [.init("14:30:01", colour: .red)]
        let tick = try driver.messages(for: DriverTests.frame(ticked), previous: DriverTests.frame(DriverTests.idle))
        #expect(tick.count == 1)
        #expect(tick[0].count <= 40, "a tick costs \(tick[0].count) bytes")
        #expect(tick[0].count == (overNetwork ? 39 : 33), "the figures the README gives")
        Self.send(tick, to: &board, driver: driver)
        #expect(board.texts.keys.sorted().compactMap { board.texts[$0]?.text } == ["越秀急救站", "14:30:01", "待命 急救5号 急救8号"])
        #expect(board.texts[0]?.colour == RGB(0, 255, 0) && board.texts[2]?.effect == .continuousScrollLeft)
        #expect(try driver.messages(for: DriverTests.frame(ticked), previous: DriverTests.frame(ticked)).isEmpty)
        var moved = ticked
        moved[0].rect.width = 100
        #expect(try driver.messages(for: DriverTests.frame(moved), previous: DriverTests.frame(ticked)).count == 4, "windows that moved are split again")
    }

    /// Every shipped door layout in alert: each window holds its area's text and shows it, and
    /// what the emulator draws with the project's fonts at the size code's height lights as many
    /// pixels as the drawn board in every still area of a height the controller has (moving and
    /// flickering text is where the controller's own fonts and effects differ).
    @Test(arguments: ["door-192x32-bicolor.yaml", "door-128x32-mono.yaml", "door-64x32-mono.yaml", "door-256x64-bicolor.yaml"])
    func shippedDoorLayoutsShowAsDrawn(layoutFile: String) throws {
        let frame = try EndToEndTests.frame(layoutFile: layoutFile)
        let bitmap = frame.bitmap
        let model = try DriverTests.model("cpower")
        let driver = BoardDrivers.make(model, width: bitmap.width, height: bitmap.height, format: bitmap.format)
        var board = try Self.emulator(width: bitmap.width, height: bitmap.height, format: bitmap.format)
        Self.send(try driver.messages(for: frame, previous: nil), to: &board, driver: driver)
        let areas = frame.textAreas.sorted { $0.id < $1.id }
        #expect(board.windows == areas.map(\.rect))
        #expect(board.texts.keys.sorted().compactMap { board.texts[$0]?.text } == areas.map(\.text))
        let shown = board.render()
        for area in areas where !area.text.isEmpty {
            #expect(shown.cropped(to: area.rect).pixels.contains { $0 != 0 }, "\(layoutFile) area \(area.id) \"\(area.text)\" is dark on the board")
        }
        for area in areas where area.motion == .still && !area.blinks && CPower.fontHeights.contains(area.fontHeight) {
            let lit = shown.cropped(to: area.rect).pixels.filter { $0 != 0 }.count
            let drawn = bitmap.cropped(to: area.rect).pixels.filter { $0 != 0 }.count
            #expect(lit == drawn, "\(layoutFile) area \(area.id) \"\(area.text)\": \(lit) pixels lit on the board, \(drawn) drawn")
        }
    }

    @Test func criticalTextFlickersAndWhatGBKLacksIsASquare() throws {
        let model = try DriverTests.model("cpower")
        let driver = BoardDrivers.make(model, width: 192, height: 32, format: .bicolor)
        #expect(driver.blinking == .byController)
        let start = ContinuousClock.now
        let now = Locked(start)
        var board = try Self.emulator { now.withLock { $0 } }
        var areas = BlinkTests.critical
        areas[1].runs = [.init("东风路12号 😀", colour: .amber)]
        Self.send(try driver.messages(for: DriverTests.frame(areas), previous: nil), to: &board, driver: driver)
        #expect(board.texts[0]?.effect == .flicker && board.texts[1]?.effect == .draw)
        #expect(board.texts[1]?.text == "东风路12号 \u{25A1}")
        #expect(driver.substitutions(in: DriverTests.frame(areas)) == ["😀"])
        let top = Rect(x: 0, y: 0, width: 192, height: 16)
        #expect(board.render().cropped(to: top).pixels.contains { $0 != 0 })
        now.withLock { $0 = start + .milliseconds(700) }
        #expect(board.render().cropped(to: top).pixels.allSatisfy { $0 == 0 })
    }

    @Test func moreAreasThanWindowsAreRefused() throws {
        let driver = BoardDrivers.make(try DriverTests.model("cpower"), width: 192, height: 32, format: .bicolor)
        let areas = (0..<9).map { TextArea(id: $0, rect: Rect(x: $0 * 16, y: 0, width: 16, height: 16), runs: [.init("\($0)", colour: .red)]) }
        #expect(throws: DriverError.self) { try driver.messages(for: DriverTests.frame(areas), previous: nil) }
        #expect(try DriverTests.model("cpower").textLimits?.maximumAreas == 8)
    }

    @Test func clockAndBrightnessReachTheCard() throws {
        let driver = BoardDrivers.make(try DriverTests.model("cpower"), width: 192, height: 32, format: .bicolor)
        var board = try Self.emulator()
        let zone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        Self.send(try driver.clock(Date(timeIntervalSince1970: 1_795_242_600), timeZone: zone), to: &board, driver: driver)
        #expect(board.time == CPowerTime(year: 2026, month: 11, day: 21, hour: 14, minute: 30, second: 0, weekday: 6))
        Self.send(try driver.brightness(0.5), to: &board, driver: driver)
        #expect(board.brightness == Array(repeating: 16, count: 24))
    }
}
