import Testing
import WallboardEmulator
import WallboardProtocols
import WallboardRender
import WallboardTestKit

/// The C-Power emulator: both framings, the windows and their text as drawn, and the refusals a
/// card answers with (a bad checksum 01, a window it does not have 12).
@Suite struct CPowerEmulatorTests {
    static let windows = CPowerCommand.splitWindows([Rect(x: 0, y: 0, width: 12, height: 8), Rect(x: 0, y: 8, width: 12, height: 8)])

    static func board(clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) -> CPowerEmulator {
        CPowerEmulator(configuration: .init(width: 12, height: 16, pixelFormat: .bicolor, clock: clock), painter: BlockPainter())
    }

    static func text(_ window: UInt8, _ text: String, _ colour: RGB, _ horizontal: CPowerWindowText.Horizontal = .left, effect: CPowerEffect = .draw) -> CPowerCommand {
        .windowText(CPowerWindowText(window: window, effect: effect, horizontal: horizontal, vertical: .top, fontSize: 0, colour: colour, text: text))
    }

    /// The fake font's 8-dot blocks fill the last row of each window.
    @Test(arguments: [CPowerFraming.serial, .network(idCode: CPower.defaultIDCode)])
    func drawsEachWindowsTextInEitherFraming(framing: CPowerFraming) throws {
        var board = Self.board()
        var wire = try CPower.encode(Self.windows, framing: framing)
        wire += try CPower.encode(Self.text(0, "AB", RGB(255, 0, 0)), framing: framing)
        wire += try CPower.encode(Self.text(1, "急", RGB(0, 255, 0), .right), framing: framing)
        var replies: [UInt8] = []
        for start in stride(from: 0, to: wire.count, by: 5) { replies += board.receive(Array(wire[start..<min(wire.count, start + 5)])) }
        var parser = CPowerReplyParser()
        #expect(parser.feed(replies) == [.ack, .ack, .ack])
        expectPicture(board.render(), """
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            r.r.........
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            .........gg.
            """)
    }

    @Test func refusesABadChecksumAndAWindowItDoesNotHave() throws {
        var board = Self.board()
        _ = board.receive(try CPower.encode(Self.windows, framing: .serial))
        var damaged = try CPower.packet(Self.text(0, "AB", RGB(255, 0, 0))).bytes
        damaged[damaged.count - 1] &+= 1
        var parser = CPowerReplyParser()
        #expect(parser.feed(board.receive(CPowerFraming.serial.frame(damaged))) == [.nack(code: 1, explanation: "checksum error")])
        #expect(board.texts.isEmpty)
        #expect(board.journal.last == .refused(code: 1, reason: "checksum BA 03 where the bytes sum to BA 02"))
        #expect(parser.feed(board.receive(try CPower.encode(Self.text(5, "AB", RGB(255, 0, 0)), framing: .serial))) == [.nack(code: 0x12, explanation: "window out of range")])
        #expect(parser.feed(board.receive(try CPower.encode(Self.text(0, "AB", RGB(255, 0, 0)), cardID: 9, framing: .serial))) == [])
        #expect(parser.feed(board.receive(try CPower.encode(Self.text(0, "AB", RGB(255, 0, 0)), framing: .network(idCode: 0x0A0B_0C0D)))) == [])
        #expect(parser.feed(board.receive(try CPower.encode(Self.text(0, "AB", RGB(255, 0, 0)), cardID: CPower.broadcastCardID, framing: .serial))) == [.ack])
        #expect(board.texts[0]?.text == "AB")
    }

    @Test func keepsBrightnessClockAndPowerAndGoesBackToItsPrograms() throws {
        var board = Self.board()
        let time = CPowerTime(year: 2026, month: 12, day: 5, hour: 16, minute: 30, second: 0, weekday: 6)
        let commands: [CPowerCommand] = [Self.windows, Self.text(0, "AB", RGB(255, 0, 0)), .brightness(Array(repeating: 9, count: 24)), .setTime(time), .screenPower(on: false)]
        var parser = CPowerReplyParser()
        for command in commands { #expect(parser.feed(board.receive(try CPower.encode(command, framing: .serial))) == [.ack]) }
        #expect(board.brightness == Array(repeating: 9, count: 24) && board.time == time && !board.screenOn)
        #expect(board.render() == Bitmap(width: 12, height: 16, format: .bicolor))
        _ = board.receive(try CPower.encode(.screenPower(on: true), framing: .serial))
        #expect(board.render() != Bitmap(width: 12, height: 16, format: .bicolor))
        _ = board.receive(try CPower.encode(.resumePrograms, framing: .serial))
        #expect(board.windows.isEmpty && board.texts.isEmpty)
        #expect(board.render() == Bitmap(width: 12, height: 16, format: .bicolor))
    }

    @Test func flickeringTextIsLitThenDark() throws {
        let start = ContinuousClock.now
        let now = Locked(start)
        var board = Self.board { now.withLock { $0 } }
        _ = board.receive(try CPower.encode(Self.windows, framing: .serial))
        _ = board.receive(try CPower.encode(Self.text(0, "AB", RGB(255, 0, 0), effect: .flicker), framing: .serial))
        let lit = board.render()
        #expect(lit != Bitmap(width: 12, height: 16, format: .bicolor))
        now.withLock { $0 = start + .milliseconds(600) }
        #expect(board.render() == Bitmap(width: 12, height: 16, format: .bicolor))
        now.withLock { $0 = start + .milliseconds(1100) }
        #expect(board.render() == lit)
    }

    /// Rich text (external call 02): each character in its own colour, and lines that do not all
    /// fit the window shown a page at a time for the stay, from the first again after the last
    /// (the emulator's assumption: no source says how a card pages).
    @Test func richTextShowsEachCharactersColourAndTurnsItsLines() throws {
        let start = ContinuousClock.now
        let now = Locked(start)
        var board = Self.board { now.withLock { $0 } }
        let text = CPowerRichText(window: 1, staySeconds: 2, runs: [
            .init(colour: .red, fontSize: 0, text: "A"), .init(colour: .green, fontSize: 0, text: "B\n"), .init(colour: .yellow, fontSize: 0, text: "C"),
        ])
        var parser = CPowerReplyParser()
        for command in [Self.windows, .richText(text)] { #expect(parser.feed(board.receive(try CPower.encode(command, framing: .serial))) == [.ack]) }
        #expect(board.texts[1]?.text == "AB\nC" && board.texts[1]?.colour == RGB(255, 0, 0))
        let bottom = Rect(x: 0, y: 8, width: 12, height: 8)
        now.withLock { $0 = start + .milliseconds(100) }
        expectPicture(board.render().cropped(to: bottom), """
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            r.g.........
            """)
        now.withLock { $0 = start + .milliseconds(2100) }
        expectPicture(board.render().cropped(to: bottom), """
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            a...........
            """)
        now.withLock { $0 = start + .milliseconds(4100) }
        #expect(board.render().cropped(to: bottom).pixels.filter { $0 != 0 }.count == 2, "the first line again")
    }
}
