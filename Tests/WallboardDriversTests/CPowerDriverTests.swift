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
        var turned = ticked
        turned[2].id = 9
        turned[2].runs = [.init("12月6日 星期日", colour: .amber)]
        let turn = try driver.messages(for: DriverTests.frame(turned), previous: DriverTests.frame(ticked))
        #expect(turn.count == 1, "another slot's page in the same place is its window's text, not a new split: \(turn.count) messages")
        Self.send(turn, to: &board, driver: driver)
        #expect(board.windows == DriverTests.idle.map(\.rect))
        #expect(board.texts[2]?.text == "12月6日 星期日")
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
        // Text that does not fit goes as pages, one a line (a space where a line breaks is left out).
        #expect(board.texts.keys.sorted().compactMap { board.texts[$0]?.text.filter { $0 != "\n" && $0 != " " } } == areas.map { $0.text.filter { $0 != " " } })
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

    /// Command 76 through the driver: the card goes dark and keeps its windows' text; the other
    /// families have no such command and say so.
    @Test func theScreenGoesDarkAndLightsAgainWithItsTextKept() throws {
        let driver = BoardDrivers.make(try DriverTests.model("cpower"), width: 192, height: 32, format: .bicolor)
        #expect(driver.switchesScreen)
        var board = try Self.emulator()
        Self.send(try driver.messages(for: DriverTests.frame(DriverTests.idle), previous: nil), to: &board, driver: driver)
        let lit = board.render()
        #expect(lit.pixels.contains { $0 != 0 })
        Self.send(try driver.screenPower(on: false), to: &board, driver: driver)
        #expect(!board.screenOn && board.render().pixels.allSatisfy { $0 == 0 }, "a dark board")
        #expect(board.texts.count == DriverTests.idle.count)
        Self.send(try driver.screenPower(on: true), to: &board, driver: driver)
        #expect(board.render() == lit)
        for name in ["bx5k", "bx6e", "alpha", "tpm2"] {
            let other = BoardDrivers.make(try DriverTests.model(name), width: 192, height: 32, format: .bicolor)
            #expect(!other.switchesScreen, "\(name)")
            #expect(try other.screenPower(on: false).isEmpty, "\(name)")
        }
    }

    /// A driver set to a card's ID (and, over TCP, its ID code) reaches that card; a card with
    /// another ID or ID code ignores the packets and does not answer.
    @Test(arguments: [false, true])
    func packetsGoToTheConfiguredCardAndNoOther(overNetwork: Bool) throws {
        let address = CPowerCardAddress(cardID: 7, idCode: 0x0A0B_0C0D)
        let driver = BoardDrivers.make(try DriverTests.model("cpower"), width: 192, height: 32, format: .bicolor, overNetwork: overNetwork, card: address)
        let messages = try driver.messages(for: DriverTests.frame(DriverTests.idle), previous: nil)
        var card = CPowerEmulator(configuration: .init(pixelFormat: .bicolor, cardID: 7, idCode: 0x0A0B_0C0D), painter: try Self.painter())
        Self.send(messages, to: &card, driver: driver)
        #expect(card.texts.count == DriverTests.idle.count)
        var others = [CPowerEmulator(configuration: .init(pixelFormat: .bicolor, cardID: 1, idCode: 0x0A0B_0C0D), painter: try Self.painter())]
        if overNetwork {
            others.append(CPowerEmulator(configuration: .init(pixelFormat: .bicolor, cardID: 7), painter: try Self.painter()))
        }
        for var other in others {
            #expect(messages.allSatisfy { other.receive($0).isEmpty }, "no answer from card \(other.configuration.cardID)")
            #expect(other.windows.isEmpty && other.texts.isEmpty)
        }
    }

    /// A pickup address too long for its window goes as pages, as to the font cards: lines that
    /// each fit the window in the card's font, still and from the left, turned by the card after
    /// the hold plus the time a window's width takes to move; past what one packet carries, whole
    /// pages are left out and the last one kept ends in '…', never part of a character.
    @Test func longTextIsPagedNotCut() throws {
        let driver = BoardDrivers.make(try DriverTests.model("cpower"), width: 192, height: 32, format: .bicolor)
        let start = ContinuousClock.now
        let now = Locked(start)
        var board = try Self.emulator { now.withLock { $0 } }
        let address = "广州市越秀区中山二路58号中山大学附属第一医院急诊楼东侧停车场入口"
        func width(_ line: String) -> Int {
            line.reduce(0) { $0 + CPower.advance(of: $1, fontSize: 2) }
        }
        func area(_ text: String) -> TextArea {
            TextArea(id: 1, rect: Rect(x: 0, y: 16, width: 192, height: 16), runs: [.init(text, colour: .red)], motion: .toRead, fontHeight: 16)
        }
        Self.send(try driver.messages(for: DriverTests.frame([area(address)]), previous: nil), to: &board, driver: driver)
        let paged = try #require(board.texts[0])
        let pages = paged.text.split(separator: "\n").map(String.init)
        #expect(pages.joined() == address)
        #expect(pages.count == 3 && pages.allSatisfy { width($0) <= 192 }, "\(pages)")
        #expect(paged.effect == .draw && paged.horizontal == .left)
        #expect(paged.staySeconds == 8, "2 s to read, then 6 s for 192 px at 32 px/s")
        var shown: [Bitmap] = []
        for page in 0..<4 {
            now.withLock { $0 = start + .seconds(8 * page) + .milliseconds(100) }
            shown.append(board.render())
        }
        #expect(shown[0] != shown[1] && shown[1] != shown[2] && shown[3] == shown[0], "the card turns the pages and starts again")
        #expect(shown.allSatisfy { $0.pixels.contains { $0 != 0 } })

        let long = String(repeating: address, count: 20)
        #expect(try CPower.textBytes(long).count > CPower.maximumWindowTextBytes)
        let messages = try driver.messages(for: DriverTests.frame([area(long)]), previous: DriverTests.frame([area(address)]))
        #expect(messages.count == 1)
        Self.send(messages, to: &board, driver: driver)
        let kept = try #require(board.texts[0]?.text)
        #expect(try CPower.textBytes(kept).count <= CPower.maximumWindowTextBytes)
        #expect(kept.hasSuffix("…"))
        let lines = kept.split(separator: "\n").map(String.init)
        #expect(lines.dropLast().allSatisfy { (177...192).contains(width($0)) }, "whole pages: \(lines)")
        #expect(lines.last.map(width) ?? 0 <= 192, "the '…' fits the window too")
        #expect(long.hasPrefix(String(lines.joined().dropLast())), "what is shown is the start of the text, character for character")
    }
}

