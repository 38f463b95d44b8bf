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
    /// The card has no flashing display mode for dynamic areas, and its dynamic areas take at
    /// most one update a second (BX-5K/6K protocol v1.4, 2.1): the driver blinks them a second on, a second off.
    var blinking: BlinkHandling { .inPhases(.seconds(1)) }

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        let areas = frame.textAreas.sorted { $0.id < $1.id }
        guard areas.count <= card.maximumAreas else {
            throw DriverError("the layout has \(areas.count) text areas; a \(card.rawValue) shows at most \(card.maximumAreas)")
        }
        let before = previous?.textAreas.sorted { $0.id < $1.id }
        if let before, before.map(\.id) == areas.map(\.id) {
            let changed = areas.enumerated().filter { index, area in before[index] != area }
            guard !changed.isEmpty else { return [] }
            return try updates(changed.map { onbonArea($0.element, index: $0.offset) }, deletingFirst: false)
        }
        // The set of areas changed (another state, or the board's contents are unknown):
        // replace them all.
        return try updates(areas.enumerated().map { onbonArea($0.element, index: $0.offset) }, deletingFirst: true)
    }

    /// `areas` in as few updates as the controller's receive buffer takes; the first deletes
    /// the areas shown before when `deletingFirst`.
    func updates(_ areas: [OnbonTextArea], deletingFirst: Bool) throws -> [[UInt8]] {
        var batches: [[OnbonTextArea]] = []
        var used = 0
        for area in areas {
            let size = OnbonFontCard.areaRecordBytes + (try encodedText(area))
            if batches.isEmpty || used + size > card.receiveBuffer {
                batches.append([])
                used = OnbonFontCard.updateHeadBytes
            }
            batches[batches.count - 1].append(area)
            used += size
        }
        return try batches.enumerated().map { index, batch in
            try encode(.updateAreas(OnbonAreaUpdate(delete: deletingFirst && index == 0 ? .all : .none, areas: batch)))
        }
    }

    func encodedText(_ area: OnbonTextArea) throws -> Int {
        do {
            return try OnbonTextCodec.encode(area.text, charset: charset, context: "area \(area.id)").count
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
        onbon.text = onbon.text.cut(toFit: card.largestAreaText)
        return onbon
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
    /// font card's default font unless given): between any two characters, except that a run of ASCII letters and digits (a building's "B座",
    /// "SOHO") moves whole to the next line when the line has an earlier place to break.
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
                let characterWidth = advance(character)
                if used + characterWidth > width, let current = lines.last, !current.isEmpty {
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
                used += characterWidth
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
