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
        let areas = frame.textAreas.sorted { $0.id < $1.id }
        guard areas.count <= CPower.maximumWindows else {
            throw DriverError("the layout has \(areas.count) text areas; a C-Power CP5200 splits into at most \(CPower.maximumWindows) windows")
        }
        guard !areas.isEmpty else { return [] }
        let before = previous?.textAreas.sorted { $0.id < $1.id }
        // Windows are places, not slots: another slot's page in the same place (the door board's
        // date and standby turning each half minute) is new text in that window, not a new split.
        if let before, before.map(\.rect) == areas.map(\.rect) {
            return try areas.enumerated().filter { index, area in before[index] != area }.map { index, area in
                try encode(.windowText(windowText(area, window: UInt8(index))))
            }
        }
        var messages = [try encode(.splitWindows(areas.map(\.rect)))]
        for (index, area) in areas.enumerated() {
            messages.append(try encode(.windowText(windowText(area, window: UInt8(index)))))
        }
        return messages
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
