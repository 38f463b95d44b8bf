import Foundation
import Testing
import WallboardDispatch
import WallboardDrivers
import WallboardEmulator
import WallboardFonts
import WallboardLayout
import WallboardProtocols
import WallboardRender
import WallboardTestKit
import WallboardTransport

/// Frames go through each driver into the board's emulator, which must end up showing them.
@Suite struct DriverTests {
    static let library = Result { try FontLibrary.locate() }

    static func painter() throws -> FontChainPainter {
        let fonts = try library.get()
        return FontChainPainter(chains: [16: try fonts.chain("cjk-16"), 24: try fonts.chain("cjk-24"), 32: try fonts.chain("cjk-32")])
    }

    static func model(_ name: String) throws -> BoardModel {
        try #require(BoardProtocols.model(named: name))
    }

    static func frame(_ areas: [TextArea], width: Int = 192, height: Int = 32) -> Frame {
        Frame(bitmap: Bitmap(width: width, height: height, format: .bicolor), textAreas: areas)
    }

    static let idle = [
        TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 128, height: 16), runs: [.init("越秀急救站", colour: .green)]),
        TextArea(id: 2, rect: Rect(x: 128, y: 0, width: 64, height: 16), runs: [.init("14:30:00", colour: .red)], alignment: .right),
        TextArea(id: 3, rect: Rect(x: 0, y: 16, width: 192, height: 16), runs: [.init("待命 急救5号 急救8号", colour: .amber)], motion: .scrollLeft),
    ]

    @Test func fontCardSendsOnlyTheAreasThatChanged() throws {
        let driver = try BoardDrivers.make(protocol: "bx5k", width: 192, height: 32, format: .bicolor)
        var emulator = try #require(makeEmulator(for: Self.model("bx5k"), width: 192, height: 32, painter: Self.painter()))
        let first = try driver.messages(for: Self.frame(Self.idle), previous: nil)
        #expect(first.count == 1)
        for message in first {
            let reply = emulator.receive(message)
            #expect(driver.replies?.interpret(reply) == .acknowledged)
        }
        var ticked = Self.idle
        ticked[1].runs = [.init("14:30:01", colour: .red)]
        let update = try driver.messages(for: Self.frame(ticked), previous: Self.frame(Self.idle))
        #expect(update.count == 1)
        #expect(update[0].count < 80, "a clock tick is tens of bytes, not \(update[0].count)")
        for message in update { _ = emulator.receive(message) }
        #expect(try driver.messages(for: Self.frame(ticked), previous: Self.frame(ticked)).isEmpty, "nothing changed, nothing sent")
        let board = try #require(emulator as? OnbonFontCardEmulator)
        let texts = board.areas.keys.sorted().compactMap { board.areas[$0]?.text.pieces.compactMap { piece -> String? in
            if case .text(let text) = piece { return text }
            return nil
        }.joined() }
        #expect(texts == ["越秀急救站", "14:30:01", "待命 急救5号 急救8号"])
        #expect(emulator.render().pixels.contains(PixelFormat.bicolorGreen), "the emulator draws the station name in green")
    }

    /// A line that does not fit, on a controller that draws its own text: pages shown still from
    /// the left, each for the hold plus an area's width of scrolling, never a word of ASCII cut.
    @Test func fontCardPagesALineThatDoesNotFit() throws {
        let driver = try BoardDrivers.make(protocol: "bx5k", width: 192, height: 16, format: .bicolor)
        let address = "朝阳区建国路八十八号大SOHO现代城东门外公交站旁边"
        let area = TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 192, height: 16), runs: [.init(address, colour: .amber)], motion: .toRead)
        let now = Locked(ContinuousClock.now)
        let clock: @Sendable () -> ContinuousClock.Instant = { now.withLock { $0 } }
        var card = OnbonFontCardEmulator(configuration: .init(width: 192, height: 16, model: .bx5k, clock: clock), painter: try Self.painter())
        for message in try driver.messages(for: Self.frame([area], height: 16), previous: nil) { _ = card.receive(message) }
        let sent = try #require(card.areas[0])
        #expect(sent.effect == .staticText && !sent.singleLine && !sent.wrapsAutomatically)
        #expect(sent.stayHalfSeconds == 16, "2 s at the left and 6 s for 192 px at 32 px/s")
        let pages = sent.text.plainText.split(separator: "\n").map(String.init)
        #expect(pages == ["朝阳区建国路八十八号大", "SOHO现代城东门外公交站旁", "边"])

        var single = OnbonFontCardEmulator(configuration: .init(width: 192, height: 16, model: .bx5k, clock: clock), painter: try Self.painter())
        var shown: [Bitmap] = []
        for page in pages {
            let still = TextArea(id: 1, rect: area.rect, runs: [.init(page, colour: .amber)])
            for message in try driver.messages(for: Self.frame([still], height: 16), previous: nil) { _ = single.receive(message) }
            shown.append(card.render())
            #expect(card.render() == single.render(), "page \(page) is shown from the left")
            #expect(card.render().pixels.contains { $0 != 0 }, "no page is blank")
            now.withLock { $0 += .seconds(8) }
        }
        #expect(card.render() == shown[0], "after the last page the first comes back")
        #expect(Set(shown.map(\.pixels)).count == 3)
    }

    @Test func fontCardRefusesMoreAreasThanTheControllerHas() throws {
        let driver = try BoardDrivers.make(protocol: "bx5k", width: 192, height: 32, format: .bicolor)
        let many = (1...9).map { TextArea(id: $0, rect: Rect(x: 0, y: 0, width: 16, height: 16), runs: [.init("x", colour: .red)]) }
        #expect(throws: DriverError.self) { try driver.messages(for: Self.frame(many), previous: nil) }
    }

    @Test(arguments: ["bx5e", "bx6e", "tpm2"])
    func pixelBoardsShowTheFrameExactly(name: String) throws {
        let format: PixelFormat = name == "tpm2" ? .rgb : .bicolor
        let driver = try BoardDrivers.make(protocol: name, width: 64, height: 16, format: format)
        var canvas = Canvas(width: 64, height: 16, format: format)
        canvas.fill(Rect(x: 3, y: 2, width: 20, height: 5), .red)
        canvas.fill(Rect(x: 30, y: 8, width: 9, height: 7), .green)
        canvas.fill(Rect(x: 50, y: 0, width: 14, height: 16), .amber)
        let frame = Frame(bitmap: canvas.bitmap)
        var emulator = try #require(makeEmulator(for: Self.model(name), width: 64, height: 16, painter: Self.painter()))
        for message in try driver.messages(for: frame, previous: nil) {
            let reply = emulator.receive(message)
            if let replies = driver.replies { #expect(replies.interpret(reply) == .acknowledged) }
        }
        #expect(emulator.render() == frame.bitmap.converted(to: emulator.render().format))
        #expect(try driver.messages(for: frame, previous: frame).isEmpty)
    }

    @Test func alphaSetsUpFilesOnceThenUpdatesStrings() throws {
        let driver = try BoardDrivers.make(protocol: "alpha", width: 80, height: 16, format: .bicolor)
        let areas = [
            TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 40, height: 16), runs: [.init("WAIT 2", colour: .amber)]),
            TextArea(id: 2, rect: Rect(x: 40, y: 0, width: 40, height: 16), runs: [.init("0:12", colour: .red)]),
        ]
        var emulator = try #require(makeEmulator(for: Self.model("alpha"), width: 80, height: 16, painter: Self.painter()))
        let setup = try driver.messages(for: Self.frame(areas, width: 80, height: 16), previous: nil)
        #expect(setup.count == 4, "memory, TEXT, two STRINGs")
        for message in setup { _ = emulator.receive(message) }
        var later = areas
        later[1].runs = [.init("0:13", colour: .red)]
        let update = try driver.messages(for: Self.frame(later, width: 80, height: 16), previous: Self.frame(areas, width: 80, height: 16))
        #expect(update.count == 1)
        for message in update { _ = emulator.receive(message) }
        let sign = try #require(emulator as? AlphaEmulator)
        #expect(sign.strings.values.sorted() == ["0:13", "WAIT 2"])
        #expect(driver.pauseBetweenMessages == .milliseconds(100))
    }

    @Test func alphaShowsAQuestionMarkForWhatTheSignCannotShow() throws {
        let driver = try BoardDrivers.make(protocol: "alpha", width: 80, height: 16, format: .bicolor)
        let frame = Self.frame([TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 80, height: 16), runs: [.init("急救3号 ¥¦", colour: .red)])], width: 80, height: 16)
        var emulator = try #require(makeEmulator(for: Self.model("alpha"), width: 80, height: 16, painter: Self.painter()))
        for message in try driver.messages(for: frame, previous: nil) { _ = emulator.receive(message) }
        let sign = try #require(emulator as? AlphaEmulator)
        #expect(sign.strings.values.sorted() == ["??3? ??"])
        #expect(driver.substitutions(in: frame) == ["急", "救", "号", "¥", "¦"])
    }

    @Test func fontCardShowsAWhiteSquareForWhatItsFontsLack() throws {
        let area = TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 192, height: 16), runs: [.init("喆园小区\u{FFFD}", colour: .amber)])
        for (charset, shown, substituted) in [(ControllerCharset.gb2312, "□园小区□", ["喆", "\u{FFFD}"] as [Character]), (.gbk, "喆园小区□", ["\u{FFFD}"])] {
            let driver = BoardDrivers.make(try Self.model("bx5k"), width: 192, height: 16, format: .bicolor, charset: charset)
            var emulator = try #require(makeEmulator(for: try Self.model("bx5k"), width: 192, height: 16, painter: Self.painter(), charset: charset) as? OnbonFontCardEmulator)
            for message in try driver.messages(for: Self.frame([area], height: 16), previous: nil) {
                #expect(driver.replies?.interpret(emulator.receive(message)) == .acknowledged)
            }
            #expect(emulator.areas[0]?.text.plainText == shown)
            #expect(driver.substitutions(in: Self.frame([area], height: 16)) == substituted)
        }
    }

    /// 256 characters of pickup address: more than the 512 bytes a BX-5K area holds, and on a
    /// BX-6K more than one update's receive buffer beside other areas.
    @Test(arguments: ["bx5k", "bx6k"])
    func fontCardCutsTextLongerThanAnAreaHolds(name: String) throws {
        let driver = try BoardDrivers.make(protocol: name, width: 192, height: 32, format: .bicolor)
        var emulator = try #require(makeEmulator(for: Self.model(name), width: 192, height: 32, painter: Self.painter()))
        let address = String(repeating: "东风路十二号", count: 43).prefix(256)
        let long = String(repeating: "急", count: 600)
        let areas = [
            TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 192, height: 16), runs: [.init(String(address), colour: .amber)], motion: .toRead),
            TextArea(id: 2, rect: Rect(x: 0, y: 16, width: 96, height: 16), runs: [.init(long, colour: .red)], motion: .scrollLeft),
            TextArea(id: 3, rect: Rect(x: 96, y: 16, width: 96, height: 16), runs: [.init(long, colour: .green)]),
        ]
        let messages = try driver.messages(for: Self.frame(areas), previous: nil)
        for message in messages {
            #expect(driver.replies?.interpret(emulator.receive(message)) == .acknowledged)
        }
        let board = try #require(emulator as? OnbonFontCardEmulator)
        #expect(board.areas.count == 3)
        #expect(messages.count > 1, "more text than one update carries goes in several")
        for (id, area) in board.areas {
            // The address, 256 characters in 22 pages, is some 560 bytes: cut on a BX-5K, whole on a BX-6K.
            #expect(area.text.plainText.hasSuffix("…") == (id > 0 || name == "bx5k"))
            #expect(try OnbonTextCodec.encode(area.text, charset: .gb2312, context: "area").count <= (name == "bx5k" ? OnbonFontCardModel.bx5k : .bx6k).largestAreaText)
        }
        #expect(board.areas[0]?.text.plainText.hasPrefix("东风路十二号东风路十二号\n东风路十二号东风路十二号\n") == true, "the address is paged, then cut")
    }

    @Test func dreamCheekyRefreshesContinuously() throws {
        let driver = try BoardDrivers.make(protocol: "dreamcheeky", width: 21, height: 7, format: .mono)
        var canvas = Canvas(width: 21, height: 7, format: .mono)
        canvas.line(from: (0, 0), to: (20, 6), .on)
        let reports = try driver.messages(for: Frame(bitmap: canvas.bitmap), previous: nil)
        #expect(reports.count == 4 && reports.allSatisfy { $0.count == 8 })
        #expect(DreamCheeky.decode(reports)?.bitmap == canvas.bitmap)
        #expect(driver.refreshInterval == .milliseconds(100))
        #expect(driver.replies == nil)
    }

    @Test func unknownProtocolNamesTheKnownOnes() {
        let error = #expect(throws: DriverError.self) { try BoardDrivers.make(protocol: "bx7", width: 1, height: 1, format: .mono) }
        #expect(error?.description.contains("bx5k, bx6k, bx5e, bx6e, bx6q, alpha, tpm2, dreamcheeky") == true)
    }

    @Test func clockAndBrightnessReachTheFontCard() throws {
        let driver = try BoardDrivers.make(protocol: "bx5k", width: 192, height: 32, format: .bicolor)
        var emulator = try #require(makeEmulator(for: Self.model("bx5k"), width: 192, height: 32, painter: Self.painter()))
        // 2026-11-21 14:30:00 Beijing time, a Saturday.
        let moment = Date(timeIntervalSince1970: 1_795_242_600)
        let zone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        for message in try driver.clock(moment, timeZone: zone) + driver.brightness(0.5) { _ = emulator.receive(message) }
        let board = try #require(emulator as? OnbonFontCardEmulator)
        #expect(board.clock == OnbonDateTime(year: 2026, month: 11, day: 21, hour: 14, minute: 30, second: 0, weekday: 6))
        #expect(board.brightness == 8)
    }
}
