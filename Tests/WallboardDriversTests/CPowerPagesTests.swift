import Foundation
import Testing
import WallboardDispatch
import WallboardDrivers
import WallboardEmulator
import WallboardProtocols
import WallboardRender
import WallboardTestKit

/// A C-Power card turns a door board's pages itself, from rich text sent at a turn: an idle
/// board's half minute takes no packet and its minute only the clock's window; an alert's
/// address and complaint go once, with the dispatch.
@Suite struct CPowerPagesTests {
    static let door = "door-192x32-bicolor.yaml"

    /// Station S1 with `standby` vehicles on standby and nothing dispatched.
    static func idleSnapshot(at now: Date, standby: Int) -> DispatchSnapshot {
        let station = Station(id: "S1", name: "城东分站", district: "东区", sortOrder: 1)
        let vehicles = (0..<standby).map { "急救\(6 + 2 * $0)号" }.enumerated().map { index, callSign in
            Vehicle(id: "V\(index)", callSign: callSign, plate: "粤A·6666\(index)", stationID: "S1", statusCode: VehicleStatus.standby.rawValue, statusSince: now.addingTimeInterval(-3600))
        }
        let figures = DispatchFigures(callsToday: [], runsToday: [], vehicles: vehicles, stations: [station], now: now, dayStart: now.addingTimeInterval(-50_000))
        return DispatchSnapshot(
            takenAt: now, dayStart: now.addingTimeInterval(-50_000), sourceVersion: 1, stations: [station], vehicles: vehicles,
            incidents: [], waitingCalls: [], seats: [], figures: figures, issues: []
        )
    }

    /// A CP5200 emulator that the driver feeds as the service would, at offsets in seconds from
    /// `start` (the card's own clock runs by the same offsets): each packet taken and acknowledged.
    struct FedCard {
        let driver: any BoardDriver
        let start: Date
        private let cardTime = SettableClock()
        private var card: CPowerEmulator
        private(set) var pages = CountingPages()
        private var previous: Frame?

        init(start: Date) throws {
            driver = try BoardDrivers.make(protocol: "cpower", width: 192, height: 32, format: .bicolor)
            self.start = start
            card = try CPowerDriverTests.emulator(clock: cardTime.now)
        }

        /// Delivers `frame` after the one before at `offset`; the commands it took.
        mutating func deliver(_ frame: Frame, at offset: Double) throws -> [CPowerCommand] {
            cardTime.set(offset)
            let messages = try driver.messages(for: frame, previous: previous, at: start.addingTimeInterval(offset), pages: &pages)
            CPowerDriverTests.send(messages, to: &card, driver: driver)
            previous = frame
            var scanner = CPowerFrameScanner()
            return try messages.flatMap { message in
                try scanner.feed(message).compactMap { frame -> CPowerCommand? in
                    guard case .packet(let packet, _) = frame else { return nil }
                    return try CPower.decodeRequest(packet).command
                }
            }
        }

        /// The lines the card shows in window `number` at `offset`.
        func shownLines(of number: UInt8, at offset: Double) -> [String]? {
            cardTime.set(offset)
            return card.shownLines(of: number)
        }
    }

    /// The window each text command writes, in order; the split as nil.
    static func windows(_ commands: [CPowerCommand]) -> [UInt8?] {
        commands.map { command in
            switch command {
            case .windowText(let text): text.window
            case .richText(let text): text.window
            default: nil
            }
        }
    }

    /// The frame's areas in window order, a turning one under its first page's id as the driver
    /// numbers them.
    static func windowAreas(of frame: Frame) -> [TextArea] {
        frame.textAreas.sorted { ($0.turning?.pages.first?.id ?? $0.id) < ($1.turning?.pages.first?.id ?? $1.id) }
    }

    /// An idle door board drawn and delivered just after each second for two minutes and a bit,
    /// from 5 s before a minute, and again when its pages are due (`refillDue`), as the service
    /// does: half a second into each second the card shows every window's text as the frame
    /// draws it (the date and the standby line in turn, half a minute each). Packets went with
    /// the first frame (all windows; the bottom line as pure text, its page only, off a turn),
    /// 0.4 s before the first turn (the bottom line's loop, ahead of the minute), and after that
    /// only the clock's window at each minute: nothing at the half minutes. Four vehicles on
    /// standby make a line of two screens: the loop shows each for 15 s, the date twice as
    /// long, and the card shows a screen of the frame's line.
    @Test(arguments: [2, 4]) func anIdleBoardsHalfMinuteTakesNoPacketAndItsMinuteOnlyTheClock(standby: Int) throws {
        let renderer = try EndToEndTests.renderer(layoutFile: Self.door)
        let start = EndToEndTests.now
        #expect(start.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0, "a minute's turn")
        let snapshot = Self.idleSnapshot(at: start, standby: standby)
        var card = try FedCard(start: start)
        var sent: [Double: [UInt8?]] = [:]
        var loops: [CPowerRichText] = []
        var bottomLines: Set<String> = []
        var screens: Set<String> = []
        func deliver(_ frame: Frame, at offset: Double) throws {
            let commands = try card.deliver(frame, at: offset)
            if !commands.isEmpty { sent[(offset * 10).rounded() / 10] = Self.windows(commands) }
            for case .richText(let text) in commands { loops.append(text) }
        }
        for second in -5..<125 {
            let offset = Double(second) + 0.02
            let frame = renderer.render(snapshot, at: start.addingTimeInterval(offset)).frame
            func deliverWhatIsDue(before end: Double) throws {
                if let due = card.pages.refillDue?.timeIntervalSince(start), due < end { try deliver(frame, at: due) }
            }
            try deliver(frame, at: offset)
            try deliverWhatIsDue(before: Double(second) + 0.5)
            for (window, area) in Self.windowAreas(of: frame).enumerated() {
                let shown = card.shownLines(of: UInt8(window), at: Double(second) + 0.5) ?? []
                if window == 2, standby > 2 {
                    #expect(shown.count == 1 && area.text.contains(shown[0]), "at +\(second).5 s the card shows \(shown), the frame \(area.text)")
                    screens.insert(shown[0])
                } else {
                    #expect(shown == [area.text], "at +\(second).5 s window \(window) shows \(shown), the frame \(area.text)")
                }
            }
            try deliverWhatIsDue(before: Double(second + 1))
            bottomLines.insert(Self.windowAreas(of: frame)[2].text)
        }
        if standby > 2 {
            #expect(bottomLines == ["11月21日 星期六", "待命 急救6号 急救8号 急救10号 急救12号 "])
            #expect(screens == ["11月21日 星期六", "待命 急救6号 急救8号 急", "救10号 急救12号 "])
        } else {
            #expect(bottomLines == ["11月21日 星期六", "待命 急救6号 急救8号"])
        }
        #expect(sent == [-5: [nil, 0, 1, 2], -0.4: [2], 0: [1], 60: [1], 120: [1]], "sent at \(sent.sorted { $0.key < $1.key })")
        #expect(loops.count == 1 && loops.allSatisfy { $0.window == 2 && $0.staySeconds == (standby > 2 ? 15 : 30) && $0.effect == .draw })
        #expect(loops.first?.runs.map(\.colour) == [.yellow, .green], "the date amber, the standby line green: \(loops)")
    }

    /// A door board alerting from a dispatch 2 s off the wall clock's 6 s grid, drawn and
    /// delivered as the service does for 40 s: the bottom line (address and complaint, 6 s each
    /// from the dispatch) went once, as rich text with the dispatch's own frame, and the card
    /// shows the frame's line half a second into each second; the timer's window takes its
    /// second as pure text, as before.
    @Test func theAlertsBottomLineGoesOnceWithTheDispatch() throws {
        let renderer = try EndToEndTests.renderer(layoutFile: Self.door)
        let start = EndToEndTests.now
        let snapshot = EndToEndTests.dispatchedSnapshot(at: start.addingTimeInterval(2))
        var card = try FedCard(start: start)
        var bottomSent: [Double] = []
        var lines: Set<String> = []
        var offset = 2.02
        while offset < 40 {
            let frame = renderer.render(snapshot, at: start.addingTimeInterval(offset)).frame
            let areas = Self.windowAreas(of: frame)
            let bottom = try #require(areas.firstIndex { $0.turning != nil })
            let commands = try card.deliver(frame, at: offset)
            if Self.windows(commands).contains(UInt8(bottom)) { bottomSent.append((offset * 100).rounded() / 100) }
            let second = offset.rounded(.down)
            for (window, area) in areas.enumerated() where !area.blinks {
                let shown = card.shownLines(of: UInt8(window), at: second + 0.5)
                #expect(shown == [area.text], "at +\(second + 0.5) s window \(window) shows \(shown ?? []), the frame \(area.text)")
            }
            lines.insert(areas[bottom].text)
            offset = second + 1.02
        }
        #expect(lines == ["东风路12号 菜市场", "[急] 摔伤 头部出血"])
        #expect(bottomSent == [2.02], "the bottom line sent at +\(bottomSent) s")
    }
}
