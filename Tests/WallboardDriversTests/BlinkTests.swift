import Foundation
import Testing
import WallboardDrivers
import WallboardEmulator
import WallboardProtocols
import WallboardRender
import WallboardTestKit

/// A blinking text area (a 危重 alert) blinks on every kind of board: font cards from pages they
/// loop, Huidu cards in phases the driver sends, Alpha signs by their own flash mode.
@Suite struct BlinkTests {
    static let critical = [
        TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 192, height: 16), runs: [.init("急救6号 危重", colour: .red)], blinks: true),
        TextArea(id: 2, rect: Rect(x: 0, y: 16, width: 192, height: 16), runs: [.init("东风路12号", colour: .amber)]),
    ]

    static func texts(_ board: OnbonFontCardEmulator) -> [UInt8: String] {
        board.areas.mapValues { area in
            area.text.pieces.compactMap { piece -> String? in
                if case .text(let text) = piece { return text }
                return nil
            }.joined()
        }
    }

    /// A font card is sent a blinking area once, as a loop of two pages the card turns itself
    /// (its text, then a blank line, half a second each): lit at once, dark half a second later,
    /// lit again a second after, and nothing more is sent while the frame stays the same.
    @Test func aFontCardBlinksABlinkingAreaItself() throws {
        let driver = try BoardDrivers.make(protocol: "bx5k", width: 192, height: 32, format: .bicolor)
        let cardTime = SettableClock()
        var board = OnbonFontCardEmulator(configuration: .init(model: .bx5k, clock: cardTime.now), painter: try DriverTests.painter())
        let frame = DriverTests.frame(Self.critical)
        let now = Date(timeIntervalSince1970: 1_795_242_601)
        #expect(driver.frameToSend(frame, at: now) == frame && driver.nextBlinkPhase(of: frame, after: now) == nil, "no phases sent by the driver")
        for message in try driver.messages(for: frame, previous: nil) {
            #expect(driver.replies?.interpret(board.receive(message)) == .acknowledged)
        }
        #expect(board.areas[0]?.runMode == .loop && board.areas[0]?.stayHalfSeconds == 1)
        let top = Rect(x: 0, y: 0, width: 192, height: 16)
        func shown(at seconds: Double) -> (top: String?, bottom: String?, lit: Bool) {
            cardTime.set(seconds)
            let text = { (id: UInt8) in board.shownLines(of: id)?.map { $0.map(\.text).joined() }.joined(separator: "/") }
            return (text(0), text(1), board.render().cropped(to: top).pixels.contains { $0 != 0 })
        }
        for second in 0..<3 {
            let lit = shown(at: Double(second) + 0.2)
            #expect(lit.top == "急救6号 危重" && lit.bottom == "东风路12号" && lit.lit, "at +\(second).2 s: \(lit)")
            let dark = shown(at: Double(second) + 0.7)
            #expect(dark.top == " " && dark.bottom == "东风路12号" && !dark.lit, "at +\(second).7 s: \(dark)")
        }
        #expect(try driver.messages(for: frame, previous: frame).isEmpty)
    }

    /// A new alert (a text the frame before did not hold) is sent lit even in a dark phase, so
    /// a dispatch never waits for the next lit phase; from then on it blinks in step (a board
    /// blinked in phases by its driver: Huidu).
    @Test func aNewBlinkingTextIsSentLitAtOnce() throws {
        let driver = try BoardDrivers.make(protocol: "huidu", width: 192, height: 32, format: .bicolor)
        let dark = Date(timeIntervalSince1970: 1_795_242_601)
        let idle = DriverTests.frame([TextArea(id: 1, rect: Self.critical[0].rect, runs: [.init("越秀急救站", colour: .green)]), Self.critical[1]])
        let alert = DriverTests.frame(Self.critical)
        #expect(driver.frameToSend(alert, at: dark, after: idle) == alert, "the dispatch goes out lit")
        #expect(driver.frameToSend(alert, at: dark, after: alert).textAreas[0].runs.isEmpty, "the same alert blinks")
        #expect(driver.frameToSend(alert, at: dark).textAreas[0].runs.isEmpty, "the board's state unknown: in step")
        var another = Self.critical
        another[0].runs = [.init("急救9号 危重", colour: .red)]
        #expect(driver.frameToSend(DriverTests.frame(another), at: dark, after: alert).textAreas[0].runs == another[0].runs)
    }

    @Test func aFrameWithoutBlinkingAreasHasNoPhases() throws {
        let driver = try BoardDrivers.make(protocol: "huidu", width: 192, height: 32, format: .bicolor)
        let steady = DriverTests.frame(DriverTests.idle)
        let now = Date(timeIntervalSince1970: 1_795_242_601)
        #expect(driver.nextBlinkPhase(of: steady, after: now) == nil)
        #expect(driver.frameToSend(steady, at: now) == steady)
    }

    @Test func aBlinkingAreaFlashesAnAlphaSign() throws {
        let driver = try BoardDrivers.make(protocol: "alpha", width: 80, height: 16, format: .bicolor)
        var emulator = try #require(makeEmulator(for: try DriverTests.model("alpha"), width: 80, height: 16, painter: DriverTests.painter()))
        let areas = [TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 80, height: 16), runs: [.init("CRITICAL 6", colour: .red)], blinks: true)]
        let frame = DriverTests.frame(areas, width: 80, height: 16)
        for message in try driver.messages(for: frame, previous: nil) { _ = emulator.receive(message) }
        let sign = try #require(emulator as? AlphaEmulator)
        #expect(sign.texts.values.map(\.mode) == [.flash])
        #expect(sign.strings.values.sorted() == ["CRITICAL 6"])

        var steady = areas
        steady[0].blinks = false
        let calm = try driver.messages(for: DriverTests.frame(steady, width: 80, height: 16), previous: frame)
        for message in calm { _ = emulator.receive(message) }
        #expect((emulator as? AlphaEmulator)?.texts.values.map(\.mode) == [.hold], "the TEXT file is rewritten when the blink ends")
    }

    /// `AlphaTransmission.pauses`: the sign needs a pause between nested commands; the driver
    /// sends one message per stretch between pauses, and `pauseBetweenMessages` waits at each.
    @Test func theAlphaDriverPausesWhereTheTransmissionSays() throws {
        let driver = try BoardDrivers.make(protocol: "alpha", width: 80, height: 16, format: .bicolor)
        let areas = [
            TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 40, height: 16), runs: [.init("WAIT 2", colour: .amber)]),
            TextArea(id: 2, rect: Rect(x: 40, y: 0, width: 40, height: 16), runs: [.init("0:12", colour: .red)]),
        ]
        let messages = try driver.messages(for: DriverTests.frame(areas, width: 80, height: 16), previous: nil)
        let sent = messages.flatMap { $0 }
        let labels = [AlphaLabel("1"), AlphaLabel("2")].compactMap { $0 }
        let text = try #require(AlphaLabel("A"))
        let expected = try Alpha.encode([
            .configureMemory([AlphaMemoryEntry(label: text, kind: .text(bytes: 80))] + labels.map { AlphaMemoryEntry(label: $0, kind: .string(bytes: Alpha.maximumStringLength)) }),
            .writeText(label: text, AlphaText(position: .fill, mode: .hold, pieces: [.colour(.amber), .callString(labels[0]), .text(" "), .colour(.red), .callString(labels[1])])),
            .writeString(label: labels[0], "WAIT 2"),
            .writeString(label: labels[1], "0:12"),
        ])
        #expect(sent == expected.bytes, "one transmission, nested")
        var offset = 0
        let boundaries = messages.dropLast().map { message -> Int in
            offset += message.count
            return offset
        }
        #expect(boundaries == expected.pauses)
        #expect(driver.pauseBetweenMessages == .milliseconds(Alpha.pauseMilliseconds))
    }
}
