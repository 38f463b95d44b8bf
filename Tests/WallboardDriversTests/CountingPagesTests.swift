import Foundation
import Testing
import WallboardDispatch
import WallboardDrivers
import WallboardEmulator
import WallboardLayout
import WallboardProtocols
import WallboardRender
import WallboardTestKit

/// A font card counts an alert's turnout timer itself, from pages of the seconds to come: a
/// timer's tick takes none of the card's one update a second.
@Suite struct CountingPagesTests {
    static let door = "door-192x32-bicolor.yaml"

    /// A BX-5K emulator that the driver feeds as the service would, at offsets in seconds from
    /// `start` (the card's own clock runs by the same offsets): each message taken and acknowledged.
    struct FedFontCard {
        let driver: any BoardDriver
        let start: Date
        private let cardTime = SettableClock()
        private var card: OnbonFontCardEmulator
        private(set) var pages = CountingPages()
        private var previous: Frame?

        init(start: Date) throws {
            driver = try BoardDrivers.make(protocol: "bx5k", width: 192, height: 32, format: .bicolor)
            self.start = start
            card = OnbonFontCardEmulator(configuration: .init(model: .bx5k, clock: cardTime.now), painter: try DriverTests.painter())
        }

        /// Delivers `frame` after the one before at `offset`; the messages it took.
        mutating func deliver(_ frame: Frame, at offset: Double) throws -> [[UInt8]] {
            cardTime.set(offset)
            let messages = try driver.messages(for: frame, previous: previous, at: start.addingTimeInterval(offset), pages: &pages)
            for message in messages { #expect(driver.replies?.interpret(card.receive(message)) == .acknowledged) }
            previous = frame
            return messages
        }

        /// The lines the card shows in its area `id` at `offset`.
        func shownLines(of id: UInt8, at offset: Double) -> [[TextArea.Run]]? {
            cardTime.set(offset)
            return card.shownLines(of: id)
        }
    }

    /// The area updates in `messages`, as the card decodes them.
    static func updates(_ messages: [[UInt8]]) throws -> [OnbonAreaUpdate] {
        var updates: [OnbonAreaUpdate] = []
        for message in messages {
            var scanner = OnbonFrameScanner()
            for case .packet(let packet) in scanner.feed(message) {
                if case .updateAreas(let update) = try OnbonFontCard.decodeRequest(packet).command { updates.append(update) }
            }
        }
        return updates
    }

    /// The timer's text area in `frame`, and the area id the font card gives it.
    static func timer(in frame: Frame) throws -> (area: TextArea, cardID: UInt8) {
        let areas = frame.textAreas.sorted { $0.id < $1.id }
        let index = try #require(areas.firstIndex { $0.counting != nil })
        return (areas[index], UInt8(index))
    }

    /// A door board alerting for 75 s and on for two and a half minutes (past its timer's amber
    /// at 120 s and red at 180 s), drawn each second and delivered as the service does: the
    /// frame just after its second, and a refill just after the second it falls due. Half a
    /// second into each second, the BX-5K shows the timer the frame drew; the timer was sent
    /// only at the dispatch and at refills 30 s apart.
    @Test func theCardShowsTheTimerEachSecondFromPagesSentEveryHalfMinute() throws {
        let renderer = try EndToEndTests.renderer(layoutFile: Self.door)
        let start = EndToEndTests.now
        let snapshot = EndToEndTests.dispatchedSnapshot(at: start.addingTimeInterval(-75))
        var card = try FedFontCard(start: start)
        var timerSent: [Double] = []
        func deliver(_ frame: Frame, at offset: Double) throws {
            let messages = try card.deliver(frame, at: offset)
            let (_, cardID) = try Self.timer(in: frame)
            if try Self.updates(messages).contains(where: { $0.areas.contains { $0.id == cardID } }) { timerSent.append(offset) }
        }
        for second in 0..<150 {
            let offset = Double(second) + 0.02
            let frame = renderer.render(snapshot, at: start.addingTimeInterval(offset)).frame
            try deliver(frame, at: offset)
            if let due = card.pages.refillDue?.timeIntervalSince(start), due < Double(second + 1) {
                try deliver(frame, at: due)
            }
            let (timer, cardID) = try Self.timer(in: frame)
            let shown = card.shownLines(of: cardID, at: Double(second) + 0.5)
            #expect(shown == [timer.runs], "at +\(second) s the card shows \(shown ?? []), the frame \(timer.runs)")
        }
        #expect(timerSent.map { ($0 * 10).rounded() / 10 } == [0.0, 30.1, 60.1, 90.1, 120.1], "timer sent at +\(timerSent) s")
    }

    /// The bottom line's text area in `frame` (the address and the complaint in turn), and the
    /// area id the font card gives it: its place among the areas, the turning one under its
    /// first page's id.
    static func bottomLine(in frame: Frame) throws -> (area: TextArea, cardID: UInt8) {
        let areas = frame.textAreas.sorted { ($0.turning?.pages.first?.id ?? $0.id) < ($1.turning?.pages.first?.id ?? $1.id) }
        let index = try #require(areas.firstIndex { $0.turning != nil })
        return (areas[index], UInt8(index))
    }

    /// A door board alerting from a dispatch 2 s off the wall clock's 6 s grid (its bottom line's
    /// pages count from the dispatch, 6 s each), delivered for 40 s as the service does (the first
    /// frame 20 ms after the dispatch, then one just after each second, a refill just after the
    /// second it falls due): half a second into each second the BX-5K shows the frame's call
    /// sign, timer and bottom line, the address and the complaint in turn. It was sent only at
    /// the dispatch (the bottom line as the loop of its pages, which the card then turns itself)
    /// and at the timer's refill. A critical alert's call sign blinks by the card's own pages:
    /// lit for half a second from the packet's arrival each second, dark the next half.
    @Test(arguments: [IncidentPriority.urgent, .critical]) func theCardTurnsTheAlertsBottomLineItself(priority: IncidentPriority) throws {
        let renderer = try EndToEndTests.renderer(layoutFile: Self.door)
        let start = EndToEndTests.now
        #expect(start.timeIntervalSince1970.truncatingRemainder(dividingBy: 6) == 0, "a turn of the bottom line")
        let snapshot = EndToEndTests.dispatchedSnapshot(at: start.addingTimeInterval(2), priority: priority)
        var card = try FedFontCard(start: start)
        var sends: [Double] = []
        func deliver(_ frame: Frame, at offset: Double) throws {
            if try !card.deliver(frame, at: offset).isEmpty { sends.append((offset * 100).rounded() / 100) }
        }
        var offset = 2.02
        var lines: Set<String> = []
        while offset < 40 {
            let frame = renderer.render(snapshot, at: start.addingTimeInterval(offset)).frame
            try deliver(frame, at: offset)
            let second = offset.rounded(.down)
            if let due = card.pages.refillDue?.timeIntervalSince(start), due < second + 1 {
                try deliver(frame, at: due)
            }
            let areas = frame.textAreas.sorted { $0.id < $1.id }
            let (bottom, bottomID) = try Self.bottomLine(in: frame)
            let (timer, timerID) = try Self.timer(in: frame)
            let shown = card.shownLines(of: bottomID, at: second + 0.5)
            #expect(shown == [bottom.runs], "at +\(second + 0.5) s the card shows \(shown ?? []), the frame \(bottom.runs)")
            #expect(card.shownLines(of: timerID, at: second + 0.5) == [timer.runs], "at +\(second + 0.5) s")
            #expect(card.shownLines(of: 0, at: second + 0.5) == [areas[0].runs], "the call sign at +\(second + 0.5) s")
            #expect(areas[0].blinks == (priority == .critical))
            let callSign = card.shownLines(of: 0, at: second + 0.9)?.map { $0.map(\.text).joined() }
            #expect(callSign == (priority == .critical ? [" "] : [areas[0].text]), "the call sign at +\(second + 0.9) s")
            lines.insert(bottom.text)
            offset = second + 1.02
        }
        #expect(lines == ["东风路12号 菜市场", "[\(priority.chineseName)] 摔伤 头部出血"])
        #expect(sends == [2.02, 32.1], "sent at +\(sends) s")
    }

    /// The loop an alert's bottom line is sent as with the dispatch's own frame (its pages count
    /// from the dispatch, 1.7 s off the wall clock's 6 s grid), byte by byte against the
    /// protocol's area record (BX-5K/6K protocol v1.4, 9.1): static text (DisplayMode 01) of
    /// manual lines (SingleLine 02, NewLine 01), the address first, each page 6 s (StayTime 0C,
    /// in half seconds), looping (RunMode 00), each line with its colour code.
    @Test func theBottomLineGoesAsALoopOfItsPages() throws {
        let now = EndToEndTests.now.addingTimeInterval(7.7)
        let frame = try EndToEndTests.frame(layoutFile: Self.door, snapshot: EndToEndTests.dispatchedSnapshot(at: now), at: now.addingTimeInterval(0.02))
        let driver = try BoardDrivers.make(protocol: "bx5k", width: 192, height: 32, format: .bicolor)
        var pages = CountingPages()
        let messages = try driver.messages(for: frame, previous: nil, at: now.addingTimeInterval(0.03), pages: &pages)
        #expect(messages.count == 1, "the alert's areas, the bottom line's loop and all, go in one packet")
        let (bottom, cardID) = try Self.bottomLine(in: frame)
        #expect(bottom.rect == Rect(x: 0, y: 16, width: 192, height: 16) && bottom.text == "东风路12号 菜市场")
        let text = try OnbonTextCodec.encode(
            OnbonText([.colour(.yellow), .text("东风路12号 菜市场"), .newline, .colour(.red), .text("[急] 摔伤 头部出血")]), charset: .gb2312, context: "test")
        // Type, X 0 and width 192 in pixels (bit 15), Y 16, height 16; the area; line spacing,
        // RunMode, Timeout, sound, extension; left and centred, SingleLine, NewLine, DisplayMode,
        // ExitMode, Speed, StayTime.
        var record: [UInt8] = [0x00, 0x00, 0x80, 0x10, 0x00, 0xC0, 0x80, 0x10, 0x00, cardID]
        record += [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x02, 0x01, 0x01, 0x00, 0x00, 0x0C]
        record += [UInt8(text.count & 0xFF), UInt8(text.count >> 8), 0, 0] + text
        var scanner = OnbonFrameScanner()
        let message = try #require(messages.first)
        let packets = scanner.feed(message).compactMap { frame -> [UInt8]? in
            guard case .packet(let packet) = frame else { return nil }
            return packet
        }
        let packet = try #require(packets.first)
        let found = packet.indices.contains { start in packet[start...].starts(with: record) }
        #expect(found, "the bottom line's area record is \(hexString(record))")
    }

    /// The pages an alert's timer is sent as, byte by byte against the protocol's area record
    /// (BX-5K/6K protocol v1.4, 9.1): static text (DisplayMode 01) of manual lines (SingleLine
    /// 02, NewLine 01), each a page of a second (StayTime 02, in half seconds), the last held
    /// (RunMode 01), each line with its colour code: green, then amber from two minutes.
    @Test func theTimerGoesAsOneLinePagesOfASecond() throws {
        let now = EndToEndTests.now
        let frame = try EndToEndTests.frame(layoutFile: Self.door, snapshot: EndToEndTests.dispatchedSnapshot(at: now.addingTimeInterval(-118)), at: now)
        let driver = try BoardDrivers.make(protocol: "bx5k", width: 192, height: 32, format: .bicolor)
        var pages = CountingPages()
        let messages = try driver.messages(for: frame, previous: nil, at: now.addingTimeInterval(0.02), pages: &pages)
        #expect(messages.count == 1, "the alert's areas, timer pages and all, go in one packet")
        let (timer, cardID) = try Self.timer(in: frame)
        #expect(timer.rect == Rect(x: 150, y: 0, width: 42, height: 16) && timer.text == "1:58")
        var lines = ["\\C21:58", "\\C21:59"]
        for seconds in 120..<158 { lines.append("\\C3\(seconds / 60):\(seconds % 60 < 10 ? "0" : "")\(seconds % 60)") }
        let text = Array(lines.joined(separator: "\\n").utf8)
        // Type, X 150 and width 42 in pixels (bit 15), Y 0, height 16; the area; line spacing,
        // RunMode, Timeout, sound, extension; right and centred, SingleLine, NewLine, DisplayMode,
        // ExitMode, Speed, StayTime.
        var record: [UInt8] = [0x00, 0x96, 0x80, 0x00, 0x00, 0x2A, 0x80, 0x10, 0x00, cardID]
        record += [0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x09, 0x02, 0x01, 0x01, 0x00, 0x00, 0x02]
        record += [UInt8(text.count & 0xFF), UInt8(text.count >> 8), 0, 0] + text
        var scanner = OnbonFrameScanner()
        let packets = scanner.feed(try #require(messages.first)).compactMap { frame -> [UInt8]? in
            guard case .packet(let packet) = frame else { return nil }
            return packet
        }
        let packet = try #require(packets.first)
        #expect(packet.count < 1024)
        let found = packet.indices.contains { start in packet[start...].starts(with: record) }
        #expect(found, "the timer's area record is \(hexString(record))")
        #expect(abs((pages.refillDue ?? now).timeIntervalSince(now) - 30.1) < 0.001, "refilled just after the 30th second")
    }

    /// Frames whose clock runs twenty times as fast as the wall's (a simulated day): from the
    /// first frame the pages do not show, the timer goes as plain text, as any other area, and
    /// the card shows what each frame drew.
    @Test func aCountTheWallsSecondsDoNotFollowGoesAsPlainText() throws {
        let renderer = try EndToEndTests.renderer(layoutFile: Self.door)
        let driver = try BoardDrivers.make(protocol: "bx5k", width: 192, height: 32, format: .bicolor)
        let start = EndToEndTests.now
        let snapshot = EndToEndTests.dispatchedSnapshot(at: start.addingTimeInterval(-75))
        var card = OnbonFontCardEmulator(configuration: .init(model: .bx5k), painter: try DriverTests.painter())
        var pages = CountingPages()
        var previous: Frame?
        var plainSends = 0
        for second in 0..<6 {
            let frame = renderer.render(snapshot, at: start.addingTimeInterval(Double(second) * 20 + 0.02)).frame
            let (timer, cardID) = try Self.timer(in: frame)
            let messages = try driver.messages(for: frame, previous: previous, at: start.addingTimeInterval(Double(second) + 0.02), pages: &pages)
            let sent = try Self.updates(messages).flatMap(\.areas).first { $0.id == cardID }
            if second > 0, let sent {
                #expect(sent.runMode == .loop && sent.text.plainText == timer.text)
                plainSends += 1
            }
            for message in messages { _ = card.receive(message) }
            #expect(card.shownLines(of: cardID) == [timer.runs], "at +\(second) s")
            previous = frame
        }
        #expect(plainSends == 5)
        #expect(pages.refillDue == nil, "no pages to refill")
    }
}
