import WallboardRender

/// What Wallboard asks of a card, and what the emulator decodes.
public enum HuiduRequest: Sendable, Equatable {
    /// The second step of a session: the reply's `sdk@guid` names the session.
    case getIFVersion(version: String)
    /// Replaces every program on the card with this one.
    case addProgram(HuiduProgram)
    /// New strings for text items already on the card, by their GUIDs.
    case updateProgram(HuiduProgramUpdate)
    /// One brightness, 1…100 %, for all hours (mode `default`).
    case setLuminance(percent: Int)
    /// The card's clock, not synchronised by GPS or network.
    case setTime(HuiduTime)
    case openScreen
    case closeScreen

    /// The method name, as the SDK spells it.
    public var method: String {
        switch self {
        case .getIFVersion: "GetIFVersion"
        case .addProgram: "AddProgram"
        case .updateProgram: "UpdateProgram"
        case .setLuminance: "SetLuminancePloy"
        case .setTime: "SetTimeInfo"
        case .openScreen: "OpenScreen"
        case .closeScreen: "CloseScreen"
        }
    }
}

/// A program of text items, one area each.
public struct HuiduProgram: Sendable, Equatable {
    public var guid: String
    public var areas: [HuiduTextArea]

    public init(guid: String, areas: [HuiduTextArea]) {
        self.guid = guid
        self.areas = areas
    }
}

/// An area holding one text item.
public struct HuiduTextArea: Sendable, Equatable {
    public enum Horizontal: String, Sendable { case left, center, right }
    public enum Vertical: String, Sendable { case top, middle, bottom }

    public var guid: String
    public var rect: Rect
    public var textGUID: String
    public var text: String
    public var colour: RGB
    /// The card's font size in pixels.
    public var fontSize: Int
    public var horizontal: Horizontal
    public var vertical: Vertical
    /// One line scrolling on without end (a ticker); otherwise still text.
    public var scrolls: Bool
    /// How long still text stays, a page at a time where it is taller than the area, in tenths
    /// of a second (the effect's `duration`).
    public var stayTenths: Int

    public init(
        guid: String, rect: Rect, textGUID: String, text: String, colour: RGB, fontSize: Int, horizontal: Horizontal, vertical: Vertical, scrolls: Bool,
        stayTenths: Int = HuiduEffect.defaultStayTenths
    ) {
        self.guid = guid
        self.rect = rect
        self.textGUID = textGUID
        self.text = text
        self.colour = colour
        self.fontSize = fontSize
        self.horizontal = horizontal
        self.vertical = vertical
        self.scrolls = scrolls
        self.stayTenths = stayTenths
    }
}

/// New strings for text items of a program on the card, and a new font colour where it changed.
public struct HuiduProgramUpdate: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var areaGUID: String
        public var textGUID: String
        public var text: String
        public var colour: RGB?

        public init(areaGUID: String, textGUID: String, text: String, colour: RGB? = nil) {
            self.areaGUID = areaGUID
            self.textGUID = textGUID
            self.text = text
            self.colour = colour
        }
    }

    public var programGUID: String
    public var changes: [Change]

    public init(programGUID: String, changes: [Change]) {
        self.programGUID = programGUID
        self.changes = changes
    }
}

/// A moment as `SetTimeInfo` carries it: the zone's name as the SDK lists it and the local time.
public struct HuiduTime: Sendable, Equatable {
    public var timeZone: String
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    public init(timeZone: String, year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.timeZone = timeZone
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// `yyyy-MM-dd HH:mm:ss`.
    var text: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(hour)):\(two(minute)):\(two(second))"
    }
}

/// The effect codes Wallboard uses, from the SDKs' effect table.
public enum HuiduEffect {
    /// Shown at once.
    public static let immediate = 0
    /// Head-to-tail continuous scroll to the left.
    public static let continuousLeft = 26
    /// The speed the SDKs default to (1 fast … 10 slow is not documented; 4 is their default).
    public static let defaultSpeed = 4
    /// Five seconds, as the SDKs' sample text stays.
    public static let defaultStayTenths = 50
}

/// Why a request cannot be encoded or decoded, naming the field.
public struct HuiduError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    /// The error code a card answers a request it cannot take with.
    public let code: HuiduErrorCode
    init(_ description: String, code: HuiduErrorCode = .kInvalidParam) {
        self.description = description
        self.code = code
    }
}

extension Huidu {
    /// The request's XML document for the session `guid`.
    public static func xml(_ request: HuiduRequest, guid: String) throws(HuiduError) -> [UInt8] {
        let document = Array(HuiduXML.request(method: request.method, guid: guid, body: try body(request)).utf8)
        guard document.count <= maximumXMLBytes else {
            throw HuiduError("\(request.method): \(document.count) bytes of XML; a request carries at most \(maximumXMLBytes)", code: .kXmlCmdTooLong)
        }
        return document
    }

    /// The request as fragment packets for the session `guid`.
    public static func encode(_ request: HuiduRequest, guid: String) throws(HuiduError) -> [UInt8] {
        fragments(try xml(request, guid: guid))
    }

    static func body(_ request: HuiduRequest) throws(HuiduError) -> String {
        let escape = HuiduXML.escapeAttribute
        switch request {
        case .getIFVersion(let version):
            return "<version value=\"\(escape(version))\"/>"
        case .addProgram(let program):
            guard program.areas.count <= maximumAreas else { throw HuiduError("\(program.areas.count) areas; a program holds at most \(maximumAreas) here") }
            var xml = "<screen><program type=\"normal\" id=\"0\" guid=\"\(escape(program.guid))\" name=\"wallboard\"><playControl count=\"1\" disabled=\"false\"/>"
            for area in program.areas {
                let rect = area.rect
                guard rect.x >= 0, rect.y >= 0, rect.width > 0, rect.height > 0 else { throw HuiduError("area \(area.guid) at \(rect): an area lies on the screen") }
                let effect = area.scrolls ? HuiduEffect.continuousLeft : HuiduEffect.immediate
                xml += "<area guid=\"\(escape(area.guid))\" name=\"\" alpha=\"255\"><rectangle x=\"\(rect.x)\" y=\"\(rect.y)\" width=\"\(rect.width)\" height=\"\(rect.height)\"/>"
                xml += "<resources><text guid=\"\(escape(area.textGUID))\" name=\"\" singleLine=\"\(area.scrolls)\">"
                xml += "<style align=\"\(area.horizontal.rawValue)\" valign=\"\(area.vertical.rawValue)\"/>"
                xml += "<string>\(HuiduXML.escapeText(area.text))</string>"
                xml += "<font name=\"SimSun\" size=\"\(area.fontSize)\" color=\"\(colourText(area.colour))\" bold=\"false\" italic=\"false\" underline=\"false\"/>"
                xml += "<effect in=\"\(effect)\" inSpeed=\"\(HuiduEffect.defaultSpeed)\" out=\"0\" outSpeed=\"\(HuiduEffect.defaultSpeed)\" duration=\"\(area.stayTenths)\"/>"
                xml += "</text></resources></area>"
            }
            return xml + "</program></screen>"
        case .updateProgram(let update):
            var xml = "<screen><program guid=\"\(escape(update.programGUID))\">"
            for change in update.changes {
                let font = change.colour.map { "<font color=\"\(colourText($0))\"/>" } ?? ""
                xml += "<area guid=\"\(escape(change.areaGUID))\"><resources><text guid=\"\(escape(change.textGUID))\"><string>\(HuiduXML.escapeText(change.text))</string>\(font)</text></resources></area>"
            }
            return xml + "</program></screen>"
        case .setLuminance(let percent):
            guard (1...100).contains(percent) else { throw HuiduError("brightness \(percent) %; a card takes 1 to 100") }
            return "<mode value=\"default\"/><default value=\"\(percent)\"/><ploy></ploy><sensor min=\"1\" max=\"100\" time=\"10\"/>"
        case .setTime(let time):
            guard (1...12).contains(time.month), (1...31).contains(time.day), (0...23).contains(time.hour), (0...59).contains(time.minute),
                  (0...59).contains(time.second), (2000...9999).contains(time.year) else {
                throw HuiduError("time \(time.text) is not a valid date and time")
            }
            return "<timezone value=\"\(escape(time.timeZone))\"/><summer enable=\"false\"/><sync value=\"none\"/><time value=\"\(time.text)\"/>"
        case .openScreen, .closeScreen:
            return ""
        }
    }

    /// `#rrggbb`.
    static func colourText(_ colour: RGB) -> String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for value in [colour.r, colour.g, colour.b] {
            text.append(digits[Int(value >> 4)])
            text.append(digits[Int(value & 0xF)])
        }
        return text
    }

    static func colour(fromText text: String) -> RGB? {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[0] == UInt8(ascii: "#"), let value = parseHex(bytes[1...]) else { return nil }
        return RGB(packed: UInt32(value))
    }
}
