import Foundation
import WallboardProtocols
import WallboardRender
import WallboardSupport

/// C-Power CP5200: the frame's text areas become the card's windows, split once (and again only
/// when the areas' places change); after that a window's text goes only when it changed, so a
/// turnout timer costs one short packet a second.
struct CPowerDriver: BoardDriver {
    let model: BoardModel
    let format: PixelFormat
    let framing: CPowerFraming
    let cardID: UInt8

    var repertoire: ControllerRepertoire? { .chinese(.gbk) }
    /// Critical text goes with the flicker effect (13): the controller flashes it.
    var blinking: BlinkHandling { .byController }

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        try messages(for: frame, previous: previous, unchanged: ==) { .windowText(windowText($0, window: $1)) }
    }

    /// A turning area (the idle board's date and standby line, the alert's address and
    /// complaint) is sent at a turn of its pages as rich text the card pages itself, and not
    /// again while the frames show what the card does: an idle board's half-minute turns then
    /// take no packet, and its minute only the clock's window. A line that changed between
    /// turns (an alert's end, the standby list) goes at once as its page only, and as its loop
    /// `CountingPages.loopLead` before the next turn, not with the turn's frame: the minute's
    /// turn, when every board's clock goes at once, stays one packet a card.
    func messages(for frame: Frame, previous: Frame?, at now: Date, pages: inout CountingPages) throws -> [[UInt8]] {
        if previous == nil { pages = CountingPages() }
        let frame = CountingPages.slotted(frame)
        var sent = pages
        sent.keep(ids: Set(frame.textAreas.map(\.id)))
        let messages = try messages(for: frame, previous: previous.map(CountingPages.slotted)) { area, before in
            CountingPages.turnsByItself(area) ? sent.shows(area, at: now) && !sent.loopDue(area, at: now) : area == before
        } text: { area, window in
            guard CountingPages.turnsByItself(area) else {
                sent.forget(area.id)
                return .windowText(windowText(area, window: window))
            }
            if let looped = turningText(area, window: window, at: now) {
                sent.recordTurning(area, loop: looped.loop, at: now)
                return .richText(looped.text)
            }
            let ahead = loopAhead(of: area, after: now)
            sent.recordTurning(area, loop: [], at: now, loopAhead: ahead.flatMap { turningText(area, window: window, at: $0) == nil ? nil : $0 })
            return .windowText(windowText(area, window: window))
        }
        pages = sent
        return messages
    }

    /// `CountingPages.loopLead` before the turning area's next turn after `now`.
    func loopAhead(of area: TextArea, after now: Date) -> Date? {
        guard let turning = area.turning, turning.seconds > 0 else { return nil }
        let moment = now.timeIntervalSince1970
        var ahead = moment + turning.seconds - turning.sinceTurn(at: moment) - CountingPages.loopLead
        if ahead <= moment { ahead += turning.seconds }
        return Date(timeIntervalSince1970: ahead)
    }

    /// The packets that make the card show `frame` where it shows `previous`: the text of each
    /// window not `unchanged`; or, where the areas' places changed, a new split and every
    /// window's text.
    private func messages(
        for frame: Frame, previous: Frame?, unchanged: (_ area: TextArea, _ before: TextArea) -> Bool, text: (TextArea, UInt8) throws -> CPowerCommand
    ) throws -> [[UInt8]] {
        let areas = frame.textAreas.sorted { $0.id < $1.id }
        guard areas.count <= CPower.maximumWindows else {
            throw DriverError("the layout has \(areas.count) text areas; a C-Power CP5200 splits into at most \(CPower.maximumWindows) windows")
        }
        guard !areas.isEmpty else { return [] }
        let before = previous?.textAreas.sorted { $0.id < $1.id }
        // Windows are places, not slots: another slot's page in the same place (the door board's
        // date and standby turning each half minute) is new text in that window, not a new split.
        if let before, before.map(\.rect) == areas.map(\.rect) {
            return try areas.enumerated().filter { index, area in !unchanged(area, before[index]) }.map { index, area in
                try encode(text(area, UInt8(index)))
            }
        }
        var messages = [try encode(.splitWindows(areas.map(\.rect)))]
        for (index, area) in areas.enumerated() {
            messages.append(try encode(text(area, UInt8(index))))
        }
        return messages
    }

    /// A turning area as rich text, with the loop of pages the card then shows: its pages from
    /// the one showing now, each as the screens of lines that fit the window in the card's font,
    /// in its own colours; every screen shown for the same stay, the turning's seconds shared
    /// among the most screens a page takes (a page of fewer shows each of its screens longer).
    /// Sent within `CountingPages.turnTolerance` after a turn, so that the card turns with the
    /// frames; or from the next page, as close before a turn (the loop ahead of it). Nil (sent as
    /// pure text, its page only) off a turn, where the frame does not show the wall clock's page
    /// (a simulated day), where the pages differ in font or alignment, a colour is not one rich
    /// text has (`richColour`), the stay is not whole seconds or, for pages of several screens,
    /// shorter than text paged to be read rests (`TextArea.Motion.readingHold`), or
    /// the loop does not fit a packet. No document says that a card pages a window's lines by the
    /// stay time and loops them (the emulator assumes it); that needs a card.
    func turningText(_ area: TextArea, window: UInt8, at now: Date) -> (text: CPowerRichText, loop: [[TextArea.Run]])? {
        guard let turning = area.turning, !turning.pages.isEmpty else { return nil }
        let moment = now.timeIntervalSince1970
        let shown = turning.page(at: moment)
        let sinceTurn = turning.sinceTurn(at: moment)
        guard turning.pages.indices.contains(shown), turning.pages[shown].runs == area.runs,
              sinceTurn < CountingPages.turnTolerance || turning.seconds - sinceTurn < CountingPages.turnTolerance,
              turning.seconds == turning.seconds.rounded(), (1...Double(UInt16.max)).contains(turning.seconds),
              turning.pages.allSatisfy({ $0.fontHeight == area.fontHeight && $0.alignment == area.alignment })
        else { return nil }
        let first = sinceTurn < CountingPages.turnTolerance ? shown : shown + 1
        let loop = turning.pages.indices.map { turning.pages[(first + $0) % turning.pages.count].runs }
        let fontSize = CPower.fontSizeCode(forHeight: area.fontHeight)
        // Each page as the screens of lines the window shows at once; a page of fewer screens
        // than the longest shows each of its screens for a whole share of the turn.
        let perScreen = max(1, area.rect.height / CPower.fontHeights[Int(fontSize)])
        let screens = loop.map { page in
            let lines = FontCardDriver.pages(of: showable(page), width: area.rect.width) { CPower.advance(of: $0, fontSize: fontSize) }
            return stride(from: 0, to: lines.count, by: perScreen).map { start in
                (start..<(start + perScreen)).map { lines.indices.contains($0) ? lines[$0] : [] }
            }
        }
        let slots = screens.map(\.count).max() ?? 1
        let stay = turning.seconds / Double(slots)
        guard stay == stay.rounded(), slots == 1 || stay >= TextArea.Motion.readingHold else { return nil }
        var runs: [CPowerRichText.Run] = []
        for page in screens {
            for slot in 0..<slots {
                for line in page[slot * page.count / slots] {
                    if !runs.isEmpty { runs[runs.count - 1].text += "\n" }
                    for run in line where !run.text.isEmpty {
                        guard let colour = richColour(run.colour) else { return nil }
                        runs.append(CPowerRichText.Run(colour: colour, fontSize: fontSize, text: run.text))
                    }
                    if runs.isEmpty { runs.append(CPowerRichText.Run(colour: .red, fontSize: fontSize, text: "")) }
                }
            }
        }
        let text = CPowerRichText(window: window, horizontal: horizontal(area.alignment), staySeconds: UInt16(stay), runs: runs)
        guard (try? encode(.richText(text))) != nil else { return nil }
        return (text, loop)
    }

    /// The rich-text colour the panel shows as the layout's: on a single-colour panel red (any
    /// colour lights it), on a red and green panel its red, green or amber (yellow); on a
    /// full-colour panel only a colour of fully lit or dark channels, nil for others.
    func richColour(_ colour: Color) -> CPowerColour? {
        switch format {
        case .mono: .red
        case .bicolor:
            switch PixelFormat.bicolor.value(for: colour) {
            case PixelFormat.bicolorRed: .red
            case PixelFormat.bicolorGreen: .green
            case PixelFormat.bicolorAmber: .yellow
            default: nil
            }
        case .rgb: CPowerColour(exactly: colour.rgb)
        }
    }

    /// The area as one window's pure text: characters GBK lacks replaced by the placeholder, in
    /// its first run's colour and the controller's font nearest the area's. Text that does not
    /// fit (`scrollToRead`) goes as pages, as to the Onbon font cards: lines that each fit the
    /// window in the card's font, shown still from the left for the hold plus the time a drawn
    /// board takes to move one window's width, so the crew can read at once; the card turns them.
    func windowText(_ area: TextArea, window: UInt8) -> CPowerWindowText {
        let runs = showable(area.runs)
        let fontSize = CPower.fontSizeCode(forHeight: area.fontHeight)
        var text = CPowerWindowText(
            window: window, effect: area.blinks ? .flicker : area.motion.moves ? .continuousScrollLeft : .draw,
            horizontal: horizontal(area.alignment), vertical: .centre, speed: 1, staySeconds: 0,
            fontSize: fontSize, colour: colour(area.runs.first?.colour ?? .on), text: fitted(runs.map(\.text).joined()))
        if case .scrollToRead(let hold, let speed) = area.motion {
            let pages = FontCardDriver.pages(of: runs, width: area.rect.width) { CPower.advance(of: $0, fontSize: fontSize) }
            text.text = packed(pages.map { $0.map(\.text).joined() }, width: area.rect.width) { CPower.advance(of: $0, fontSize: fontSize) }
            text.effect = area.blinks ? .flicker : .draw
            text.horizontal = .left
            text.staySeconds = UInt16(max(1, (hold + Double(area.rect.width) / max(1, speed)).rounded()))
        }
        return text
    }

    func horizontal(_ alignment: TextArea.Alignment) -> CPowerWindowText.Horizontal {
        switch alignment {
        case .left: .left
        case .centre: .centre
        case .right: .right
        }
    }

    /// Pages one per line, as many whole pages as one packet carries; when some are left out the
    /// last one kept ends in '…', still within `width` in the card's font (`advance`). Never part
    /// of a character.
    func packed(_ pages: [String], width: Int, advance: (Character) -> Int) -> String {
        var kept = pages
        while kept.count > 1, Self.bytes(kept.joined(separator: "\n")) > CPower.maximumWindowTextBytes {
            kept.removeLast()
        }
        if kept.count < pages.count, var last = kept.popLast() {
            repeat {
                if !last.isEmpty { last.removeLast() }
            } while !last.isEmpty && last.reduce(advance("…"), { $0 + advance($1) }) > width
            kept.append(last + "…")
        }
        return fitted(kept.joined(separator: "\n"))
    }

    /// `text` shortened, from the end and a character at a time, until its GBK bytes fit a packet.
    func fitted(_ text: String) -> String {
        var kept = text
        while !kept.isEmpty, Self.bytes(kept) > CPower.maximumWindowTextBytes {
            kept.removeLast(max(1, kept.count / 8))
        }
        return kept
    }

    static func bytes(_ text: String) -> Int {
        (try? CPower.textBytes(text).count) ?? Int.max
    }

    /// The 24-bit colour the panel shows as the layout's: a single-colour panel lights any
    /// colour, so it is sent full red, the usual single-colour die.
    func colour(_ colour: Color) -> RGB {
        switch format {
        case .mono: RGB(255, 0, 0)
        case .bicolor: PixelFormat.bicolor.colour(of: PixelFormat.bicolor.value(for: colour))
        case .rgb: colour.rgb
        }
    }

    func encode(_ command: CPowerCommand) throws -> [UInt8] {
        do {
            return try CPower.encode(command, cardID: cardID, framing: framing)
        } catch {
            throw DriverError("C-Power: \(error)")
        }
    }

    /// External call 06: the card leaves the windows and plays the programs stored on it.
    func farewell() throws -> [[UInt8]] {
        [try encode(.resumePrograms)]
    }

    func clock(_ date: Date, timeZone: TimeZone) throws -> [[UInt8]] {
        let parts = Calendar.gregorian(in: timeZone).dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        // C-Power counts weekdays 0 Sunday … 6 Saturday; Calendar 1 Sunday … 7 Saturday.
        let time = CPowerTime(
            year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1,
            hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0, weekday: (parts.weekday ?? 1) - 1)
        return [try encode(.setTime(time))]
    }

    /// Command 76: the LEDs go dark or light at once; the windows and their text stay.
    func screenPower(on: Bool) throws -> [[UInt8]] {
        [try encode(.screenPower(on: on))]
    }

    /// The same level, 0…31, for every hour of the card's own table: the service sends the
    /// schedule's level as each hour comes.
    func brightness(_ level: Double) throws -> [[UInt8]] {
        let value = UInt8((min(1, max(0, level)) * 31).rounded())
        return [try encode(.brightness(Array(repeating: value, count: 24)))]
    }
}
