import Foundation
import WallboardProtocols
import WallboardRender
import WallboardSupport

/// Onbon BX-5K/6K: the frame's text areas become dynamic areas; only areas whose text changed
/// are sent, so a door-board update is tens of bytes.
struct FontCardDriver: BoardDriver {
    let card: OnbonFontCardModel
    let format: PixelFormat
    let charset: ControllerCharset

    var model: BoardModel { card.boardModel }
    var link: OnbonFontCardLink { OnbonFontCardLink(charset: charset, model: card) }
    var repertoire: ControllerRepertoire? { .chinese(charset) }
    /// The card has no flashing display mode (DisplayMode 01–06 only: the BX-5K/6K protocol
    /// v1.4, 9.1, Onbon's SDK header and its Java port agree) and takes at most one update a
    /// second (2.1), so a blinking area is sent once as two pages the card loops: lit, then dark
    /// (`blinkingArea`).
    var blinking: BlinkHandling { .byController }

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        try messages(for: frame, previous: previous, unchanged: { area, before in area == before }, keeps: { _, _ in false }, send: { onbonArea($0, index: $1) })
    }

    /// A counting area (the turnout timer) is sent as pages the card turns each second, and not
    /// again while they show what the frames show: its ticks take none of the card's updates.
    /// A turning area (the address and complaint in turn) is sent at a turn of its pages as a
    /// loop the card runs, and not again while the frames show what the card does.
    func messages(for frame: Frame, previous: Frame?, at now: Date, pages: inout CountingPages) throws -> [[UInt8]] {
        if previous == nil { pages = CountingPages() }
        let frame = CountingPages.slotted(frame)
        var sent = pages
        sent.keep(ids: Set(frame.textAreas.map(\.id)))
        func unchanged(_ area: TextArea, _ before: TextArea) -> Bool {
            if CountingPages.turnsByItself(area) { return sent.shows(area, at: now) }
            guard area.counting != nil else { return area == before }
            switch sent.sending(area, at: now) {
            case .nothing: return true
            case .pages: return false
            case .plain: return area == before
            }
        }
        let messages = try messages(for: frame, previous: previous.map(CountingPages.slotted), unchanged: unchanged, keeps: { area, before in
            area.timeline != nil && unchanged(area, before)
        }, send: { area, index in
            if CountingPages.turnsByItself(area) {
                let looped = try turningArea(area, index: index, at: now)
                sent.recordTurning(area, loop: looped?.loop ?? [], at: now)
                return looped?.area ?? onbonArea(area, index: index)
            }
            guard area.counting != nil else {
                sent.forget(area.id)
                return onbonArea(area, index: index)
            }
            // All areas replaced, the pages too, unless the count is known not to follow them.
            guard sent.sending(area, at: now) != .plain, let paged = try countingArea(area, index: index, at: now) else {
                sent.record(area, pages: [], at: now)
                return onbonArea(area, index: index)
            }
            sent.record(area, pages: paged.pages, at: now)
            return paged.area
        })
        pages = sent
        return messages
    }

    /// The updates that make the card show `frame` where it shows `previous`: the areas not
    /// `unchanged`; or, where the set of areas changed, all of them, deleting the others first,
    /// except those the card `keeps` showing in the same place (a timer's pages while the line
    /// under it turns).
    private func messages(
        for frame: Frame, previous: Frame?, unchanged: (_ area: TextArea, _ before: TextArea) -> Bool, keeps: (_ area: TextArea, _ before: TextArea) -> Bool,
        send: (TextArea, Int) throws -> OnbonTextArea
    ) throws -> [[UInt8]] {
        let areas = frame.textAreas.sorted { $0.id < $1.id }
        guard areas.count <= card.maximumAreas else {
            throw DriverError("the layout has \(areas.count) text areas; a \(card.rawValue) shows at most \(card.maximumAreas)")
        }
        let before = previous?.textAreas.sorted { $0.id < $1.id }
        if let before, before.map(\.id) == areas.map(\.id) {
            let changed = areas.enumerated().filter { index, area in !unchanged(area, before[index]) }
            guard !changed.isEmpty else { return [] }
            return try updates(changed.map { try send($0.element, $0.offset) }, deleting: .none)
        }
        // The set of areas changed (another state, or the board's contents are unknown):
        // replace them all.
        guard let before else { return try updates(areas.enumerated().map { try send($0.element, $0.offset) }, deleting: .all) }
        let kept = Set(areas.indices.filter { before.indices.contains($0) && before[$0].id == areas[$0].id && keeps(areas[$0], before[$0]) })
        guard !kept.isEmpty else { return try updates(areas.enumerated().map { try send($0.element, $0.offset) }, deleting: .all) }
        let deletion = OnbonAreaDeletion.areas(before.indices.filter { !kept.contains($0) }.map(UInt8.init))
        let replaced = try areas.enumerated().filter { !kept.contains($0.offset) }.map { try send($0.element, $0.offset) }
        return replaced.isEmpty ? [try encode(.deleteAreas(deletion))] : try updates(replaced, deleting: deletion)
    }

    /// `areas` in as few updates as the controller's receive buffer takes; the first deletes
    /// `deleting` (the areas shown before) first.
    func updates(_ areas: [OnbonTextArea], deleting: OnbonAreaDeletion) throws -> [[UInt8]] {
        var batches: [[OnbonTextArea]] = []
        var used = 0
        for area in areas {
            let size = OnbonFontCard.areaRecordBytes + (try encodedText(area))
            if batches.isEmpty || used + size > card.receiveBuffer {
                batches.append([])
                used = OnbonFontCard.updateHeadBytes
                if batches.count == 1, case .areas(let ids) = deleting { used += ids.count }
            }
            batches[batches.count - 1].append(area)
            used += size
        }
        return try batches.enumerated().map { index, batch in
            try encode(.updateAreas(OnbonAreaUpdate(delete: index == 0 ? deleting : .none, areas: batch)))
        }
    }

    func encodedText(_ area: OnbonTextArea) throws -> Int {
        try encodedSize(of: area.text, area: area.id)
    }

    func encodedSize(of text: OnbonText, area id: UInt8) throws -> Int {
        do {
            return try OnbonTextCodec.encode(text, charset: charset, context: "area \(id)").count
        } catch {
            throw DriverError("BX font card: \(error)")
        }
    }

    /// The area as the controller is sent it: characters it cannot show replaced by its
    /// placeholder, text longer than an area holds paged (or cut, past what it holds).
    func onbonArea(_ area: TextArea, index: Int) -> OnbonTextArea {
        var area = area
        area.runs = showable(area.runs)
        var onbon = layoutArea(area, index: index)
        if area.blinks, area.motion == .still { onbon = blinkingArea(onbon) }
        onbon.text = onbon.text.cut(toFit: card.largestAreaText)
        return onbon
    }

    /// A still area that blinks, as two pages the card loops from the packet's arrival: its
    /// text, then a blank line, half a second each (StayTime 1), as drawn boards blink (lit at
    /// once, though not in step with the wall clock's seconds). Text that moves cannot be paged
    /// so and is sent steady. Read from the protocol document's fields (v1.4, 9.1) and not
    /// confirmed on a real card: that it loops one-line pages (RunMode 0) of half a second.
    func blinkingArea(_ area: OnbonTextArea) -> OnbonTextArea {
        var blinking = area
        blinking.text = OnbonText(area.text.pieces + [.newline, .text(" ")])
        blinking.runMode = .loop
        blinking.stayHalfSeconds = 1
        return blinking
    }

    /// The most pages a counting area is sent at once: with the other areas of an alert, one
    /// packet (the receive buffer is 1024 bytes); refilled every 30 s (`CountingPages.pagesAhead`).
    static let mostCountingPages = 40

    /// A counting area as the controller is sent it, with what each page shows: the count at
    /// each second of the wall clock from `now`'s, one line a page, each shown a second
    /// (StayTime 2 half-seconds), the last held should no refill come (RunMode 1); as many pages
    /// as the area's byte limit holds, at most `mostCountingPages`. Read from the protocol
    /// document's fields (v1.4, 9.1) and not confirmed on a real BX-5K/6K: that a card turns
    /// static lines taller than the area one per StayTime from the packet's arrival, how far
    /// its pages drift over 40 s, that updating or deleting another area leaves them turning,
    /// and whether its 1 s between updates counts per card (as the service keeps it) or per area.
    func countingArea(_ area: TextArea, index: Int, at now: Date) throws -> (area: OnbonTextArea, pages: [[TextArea.Run]])? {
        guard let counting = area.counting else { return nil }
        let newline = try encodedSize(of: OnbonText([.newline]), area: UInt8(index))
        var pages: [[TextArea.Run]] = []
        var pieces: [OnbonTextPiece] = []
        var used = 0
        for page in CountingPages.pages(of: counting, from: now, count: Self.mostCountingPages) {
            let text = text(of: showable(page))
            let size = try encodedSize(of: text, area: UInt8(index)) + (pages.isEmpty ? 0 : newline)
            guard used + size <= card.largestAreaText else { break }
            if !pages.isEmpty { pieces.append(.newline) }
            pieces += text.pieces
            pages.append(page)
            used += size
        }
        var onbon = layoutArea(area, index: index)
        onbon.runMode = .holdLast
        onbon.stayHalfSeconds = 2
        onbon.text = OnbonText(pieces)
        return (onbon, pages)
    }

    /// A turning area as the controller is sent it, with the loop of pages it then shows: its
    /// pages from the one showing now, one line each, each shown for the turning's seconds
    /// (StayTime in half seconds), in a loop (RunMode 0) that needs no refill, sent within
    /// `CountingPages.turnTolerance` of a turn so that the card turns with the frames. Nil (sent
    /// as plain text, its page only, until a frame at a turn) off a turn, where the frame does not
    /// show the wall clock's page (a simulated day), or where a page does not fit one line of the
    /// area in the card's font, the seconds are no whole number of half seconds up to 127.5, or the
    /// pages exceed what an area holds. Read from the protocol document's fields (v1.4, 9.1) and
    /// not confirmed on a real BX-5K/6K: how far the card's loop drifts from the wall clock.
    func turningArea(_ area: TextArea, index: Int, at now: Date) throws -> (area: OnbonTextArea, loop: [[TextArea.Run]])? {
        guard let turning = area.turning, !turning.pages.isEmpty else { return nil }
        let moment = now.timeIntervalSince1970
        let shown = turning.page(at: moment)
        let halfSeconds = turning.seconds * 2
        guard turning.pages.indices.contains(shown), turning.pages[shown].runs == area.runs,
              turning.sinceTurn(at: moment) < CountingPages.turnTolerance,
              halfSeconds == halfSeconds.rounded(), (1...255).contains(halfSeconds)
        else { return nil }
        let loop = turning.pages.indices.map { turning.pages[(shown + $0) % turning.pages.count].runs }
        var pieces: [OnbonTextPiece] = []
        for page in loop {
            let runs = showable(page)
            guard Self.pages(of: runs, width: area.rect.width).count == 1 else { return nil }
            if !pieces.isEmpty { pieces.append(.newline) }
            pieces += text(of: runs).pieces
        }
        let text = OnbonText(pieces)
        guard try encodedSize(of: text, area: UInt8(index)) <= card.largestAreaText else { return nil }
        var onbon = layoutArea(area, index: index)
        onbon.runMode = .loop
        onbon.stayHalfSeconds = UInt8(halfSeconds)
        onbon.text = text
        return (onbon, loop)
    }

    func layoutArea(_ area: TextArea, index: Int) -> OnbonTextArea {
        if case .scrollToRead(let hold, let speed) = area.motion {
            return pagedArea(area, index: index, hold: hold, speed: speed)
        }
        let horizontal: OnbonAlignment.Horizontal
        switch area.alignment {
        case .left: horizontal = .left
        case .centre: horizontal = .centre
        case .right: horizontal = .right
        }
        return OnbonTextArea(
            id: UInt8(index),
            frame: area.rect,
            alignment: OnbonAlignment(horizontal: horizontal, vertical: .centre),
            singleLine: area.motion == .scrollLeft,
            effect: area.motion == .scrollLeft ? .moveLeft : .staticText,
            speed: area.motion == .scrollLeft ? 4 : 0,
            stayHalfSeconds: area.motion == .scrollLeft ? 0 : 10,
            text: text(of: area.runs)
        )
    }

    /// Text that does not fit, as pages the controller turns rather than a line it scrolls in
    /// from the right edge: each page a line that fits the area in the controller's font, shown
    /// still from the left for the hold plus the time a drawn board takes to move one area's
    /// width, so the crew can read at once and the line is never blank.
    func pagedArea(_ area: TextArea, index: Int, hold: Double, speed: Double) -> OnbonTextArea {
        let pages = FontCardDriver.pages(of: area.runs, width: area.rect.width)
        let seconds = hold + Double(area.rect.width) / max(1, speed)
        return OnbonTextArea(
            id: UInt8(index),
            frame: area.rect,
            alignment: OnbonAlignment(horizontal: .left, vertical: .centre),
            singleLine: false,
            wrapsAutomatically: false,
            effect: .staticText,
            speed: 0,
            stayHalfSeconds: UInt8(min(255, max(1, (seconds * 2).rounded()))),
            text: OnbonText(Array(pages.map { text(of: $0).pieces }.joined(separator: [OnbonTextPiece.newline])))
        )
    }

    /// Runs as the controller's text: a colour code before each run (none on mono panels), `\n`
    /// as its newline code.
    func text(of runs: [TextArea.Run]) -> OnbonText {
        var pieces: [OnbonTextPiece] = []
        for run in runs {
            if format != .mono { pieces.append(.colour(FontCardDriver.colour(run.colour))) }
            let lines = run.text.split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() {
                if number > 0 { pieces.append(.newline) }
                if !line.isEmpty { pieces.append(.text(String(line))) }
            }
        }
        return OnbonText(pieces)
    }

    /// `runs` broken into lines no wider than `width` in the controller's font (`advance`; the
    /// font card's default font unless given): between any two characters, except that a run of
    /// ASCII letters and digits (a building's "B座", "SOHO") moves whole to the next line when the
    /// line has an earlier place to break.
    static func pages(of runs: [TextArea.Run], width: Int, advance: (Character) -> Int = OnbonFontCard.advance(of:)) -> [[TextArea.Run]] {
        var lines: [[(character: Character, colour: Color)]] = [[]]
        var used = 0
        func breakable(after character: Character, before next: Character) -> Bool {
            !(isWordCharacter(character) && isWordCharacter(next))
        }
        for run in runs {
            for character in run.text {
                if character == "\n" {
                    lines.append([])
                    used = 0
                    continue
                }
                let step = advance(character)
                if used + step > width, let current = lines.last, !current.isEmpty {
                    var kept = current
                    var carried: [(character: Character, colour: Color)] = []
                    if let last = current.last, !breakable(after: last.character, before: character),
                       let cut = current.indices.dropLast().last(where: { breakable(after: current[$0].character, before: current[$0 + 1].character) }) {
                        kept = Array(current[...cut])
                        carried = Array(current[(cut + 1)...])
                    }
                    lines[lines.count - 1] = kept
                    lines.append(Array(carried.drop { $0.character == " " }))
                    used = lines[lines.count - 1].reduce(0) { $0 + advance($1.character) }
                    if character == " ", lines[lines.count - 1].isEmpty { continue }
                }
                lines[lines.count - 1].append((character, run.colour))
                used += step
            }
        }
        return lines.map { line in
            var runs: [TextArea.Run] = []
            for (character, colour) in line {
                if runs.last?.colour == colour { runs[runs.count - 1].text.append(character) } else { runs.append(TextArea.Run(String(character), colour: colour)) }
            }
            return runs
        }
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber)
    }

    /// The font card's nearest inline colour: red and green dies, amber where both are lit.
    static func colour(_ colour: Color) -> OnbonColour {
        switch PixelFormat.bicolor.value(for: colour) {
        case PixelFormat.bicolorRed: .red
        case PixelFormat.bicolorGreen: .green
        default: .yellow
        }
    }

    func encode(_ command: OnbonFontCardCommand) throws -> [UInt8] {
        do {
            return try OnbonFontCard.encode(command, link: link)
        } catch {
            throw DriverError("BX font card: \(error)")
        }
    }

    func clock(_ date: Date, timeZone: TimeZone) throws -> [[UInt8]] {
        let parts = Calendar.gregorian(in: timeZone).dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        // Onbon counts weekdays 1 Monday … 7 Sunday; Calendar 1 Sunday … 7 Saturday.
        let weekday = ((parts.weekday ?? 1) + 5) % 7 + 1
        let time = OnbonDateTime(
            year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1,
            hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0, weekday: weekday
        )
        return [try encode(.setTime(time))]
    }

    func brightness(_ level: Double) throws -> [[UInt8]] {
        [try encode(.brightness(UInt8((min(1, max(0, level)) * 15).rounded())))]
    }
}
