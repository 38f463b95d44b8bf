import Foundation
import WallboardProtocols
import WallboardRender
import WallboardSupport
import WallboardTransportCore

/// Huidu SDK 2.0 cards: the frame's text areas become one program of text items, sent with
/// AddProgram when the areas change (another state, or the board's contents unknown); after
/// that only the strings that changed go, with UpdateProgram and the same GUIDs, so a turnout
/// timer costs one short string a second. Every request carries the session's GUID, which the
/// link fills in (`HuiduSession`).
struct HuiduDriver: BoardDriver {
    let model: BoardModel
    let format: PixelFormat
    /// The SDKs' heartbeat interval.
    var heartbeatInterval: Duration = .seconds(30)

    /// The GUIDs stay the same for the life of the board: the program's, and each area's and
    /// text item's from the layout's area id.
    static let programGUID = "wallboard"
    static func areaGUID(_ id: Int) -> String { "a\(id)" }
    static func textGUID(_ id: Int) -> String { "t\(id)" }

    /// The cards' fonts are taken to hold GBK (no source lists their character set).
    var repertoire: ControllerRepertoire? { .chinese(.gbk) }
    /// No source names a flashing effect for a text item: the driver sends both phases, a
    /// second each, as for the Onbon font cards.
    var blinking: BlinkHandling { .inPhases(.seconds(1)) }
    var session: (any BoardSession)? { HuiduSession(replies: replies, heartbeatInterval: heartbeatInterval) }

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        let areas = try frame.textAreas.sorted { $0.id < $1.id }.map(textArea)
        guard areas.count <= Huidu.maximumAreas else {
            throw DriverError("the layout has \(areas.count) text areas; a Huidu program holds at most \(Huidu.maximumAreas) here")
        }
        guard !areas.isEmpty else { return [] }
        if let previous {
            let before = try previous.textAreas.sorted { $0.id < $1.id }.map(textArea)
            if before.map(\.item) == areas.map(\.item) {
                let changes = zip(before, areas).compactMap(Self.change)
                guard !changes.isEmpty else { return [] }
                return [try encode(.updateProgram(HuiduProgramUpdate(programGUID: Self.programGUID, changes: changes)))]
            }
        }
        return [try encode(.addProgram(HuiduProgram(guid: Self.programGUID, areas: areas)))]
    }

    /// The area as a text item: characters the card's fonts lack replaced by the placeholder,
    /// cut to what one string carries, in its first run's colour and the card's font of the area's height; a ticker scrolls on
    /// one line, and text to read that does not fit is sent as lines that fit, which the card
    /// shows a page at a time, each for the hold plus the time a drawn board takes to move one
    /// area's width (as the Onbon font cards are sent it).
    func textArea(_ area: TextArea) throws -> HuiduTextArea {
        let runs = showable(area.runs)
        let size = area.fontHeight
        var text = runs.map(\.text).joined()
        var stay = HuiduEffect.defaultStayTenths
        if case .scrollToRead(let hold, let speed) = area.motion {
            let pages = FontCardDriver.pages(of: runs, width: area.rect.width) { Self.advance(of: $0, size: size) }
            text = pages.map { $0.map(\.text).joined() }.joined(separator: "\n")
            stay = Int(((hold + Double(area.rect.width) / max(1, speed)) * 10).rounded())
        }
        text = Self.fitted(text)
        let horizontal: HuiduTextArea.Horizontal = switch area.alignment {
        case .left: .left
        case .centre: .center
        case .right: .right
        }
        return HuiduTextArea(
            guid: Self.areaGUID(area.id), rect: area.rect, textGUID: Self.textGUID(area.id), text: text, colour: colour(area.runs.first?.colour ?? .on),
            fontSize: size, horizontal: horizontal, vertical: .middle, scrolls: area.motion == .scrollLeft, stayTenths: stay)
    }

    /// `text` shortened from the end, a few characters at a time, until its escaped bytes fit one
    /// string, so no text can make the program longer than a request carries.
    static func fitted(_ text: String) -> String {
        var kept = text
        while HuiduXML.escapeText(kept).utf8.count > Huidu.maximumStringBytes {
            kept.removeLast(max(1, kept.count / 8))
        }
        return kept
    }

    /// A character's width in the card's font of `size` pixels: ASCII half as wide as tall.
    static func advance(of character: Character, size: Int) -> Int {
        character.unicodeScalars.allSatisfy(\.isASCII) ? size / 2 : size
    }

    /// The colour the panel shows as the layout's: a single-colour panel lights any colour, so
    /// it is sent full red, the usual single-colour die.
    func colour(_ colour: Color) -> RGB {
        switch format {
        case .mono: RGB(255, 0, 0)
        case .bicolor: PixelFormat.bicolor.colour(of: PixelFormat.bicolor.value(for: colour))
        case .rgb: colour.rgb
        }
    }

    func encode(_ request: HuiduRequest) throws -> [UInt8] {
        do {
            return try Huidu.encode(request, guid: Huidu.placeholderGUID)
        } catch {
            throw DriverError("Huidu: \(error)")
        }
    }

    func clock(_ date: Date, timeZone: TimeZone) throws -> [[UInt8]] {
        let parts = Calendar.gregorian(in: timeZone).dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let time = HuiduTime(
            timeZone: Self.zoneName(timeZone, at: date), year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1,
            hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0)
        return [try encode(.setTime(time))]
    }

    /// The zone as the SDKs name it: China's by the name they list, any other by its offset
    /// and identifier (no source lists the names a card knows besides China's).
    static func zoneName(_ zone: TimeZone, at date: Date) -> String {
        let seconds = zone.secondsFromGMT(for: date)
        if seconds == 8 * 3600 { return "(UTC+08:00)Beijing,Chongqing,HongKong,Urumchi" }
        let minutes = abs(seconds) / 60
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return "(UTC\(seconds < 0 ? "-" : "+")\(two(minutes / 60)):\(two(minutes % 60)))\(zone.identifier)"
    }

    func screenPower(on: Bool) throws -> [[UInt8]] {
        [try encode(on ? .openScreen : .closeScreen)]
    }

    /// The level as the card's default brightness, 1…100 %.
    func brightness(_ level: Double) throws -> [[UInt8]] {
        [try encode(.setLuminance(percent: max(1, Int((min(1, max(0, level)) * 100).rounded()))))]
    }
}

private extension HuiduTextArea {
    /// Everything but the string and its colour: what an UpdateProgram does not change.
    var item: HuiduTextArea {
        var copy = self
        copy.text = ""
        copy.colour = RGB(0, 0, 0)
        return copy
    }
}

extension HuiduDriver {
    /// What an UpdateProgram must carry to turn `old` into `new`: the string where it changed,
    /// the colour where it changed or the card's is not known (an emptied string, as in a blink's
    /// dark phase, has no colour of its own); nil when nothing changed.
    static func change(_ old: HuiduTextArea, _ new: HuiduTextArea) -> HuiduProgramUpdate.Change? {
        let colourNeeded = !new.text.isEmpty && (old.text.isEmpty || old.colour != new.colour)
        guard old.text != new.text || colourNeeded else { return nil }
        return HuiduProgramUpdate.Change(areaGUID: new.guid, textGUID: new.textGUID, text: new.text, colour: colourNeeded ? new.colour : nil)
    }
}

/// The SDK session on each connection: the transport-version exchange, then GetIFVersion,
/// whose reply names the session GUID every later request is addressed to; a heartbeat after
/// each interval without other traffic, the link lost after three unanswered.
struct HuiduSession: BoardSession {
    /// The card's replies as delivery reads them.
    let replies: (any ReplyInterpreter)?
    let heartbeatInterval: Duration

    var opening: [SessionStep] {
        [
            SessionStep(request: Huidu.versionAsk()) { [replies] received in (replies?.interpret(received) ?? .acknowledged, nil) },
            SessionStep(request: (try? Huidu.encode(.getIFVersion(version: Huidu.sdkVersion), guid: Huidu.placeholderGUID)) ?? []) { [replies] received in
                var reader = HuiduReplyReader()
                for reply in reader.feed(received) {
                    if case .answer(let guid, "GetIFVersion", HuiduErrorCode.kSuccess.name, _) = reply {
                        guard !guid.isEmpty else { return (.garbage("GetIFVersion's reply names no session GUID"), nil) }
                        return (.acknowledged, guid)
                    }
                }
                return (replies?.interpret(received) ?? .incomplete, nil)
            },
        ]
    }

    func prepare(_ message: [UInt8], token: String?) -> [UInt8] {
        guard let token else { return message }
        return Huidu.addressed(message, to: token)
    }

    var keepAlive: KeepAlive? {
        KeepAlive(message: Huidu.heartbeatAsk, interval: heartbeatInterval, missesAllowed: 3, answer: HeartbeatAnswer())
    }
}

/// 0060 answers the heartbeat; anything else that arrives meanwhile is passed over.
struct HeartbeatAnswer: ReplyInterpreter {
    func interpret(_ received: [UInt8]) -> ReplyVerdict {
        var reader = HuiduReplyReader()
        return reader.feed(received).contains(.heartbeat) ? .acknowledged : .incomplete
    }
}
