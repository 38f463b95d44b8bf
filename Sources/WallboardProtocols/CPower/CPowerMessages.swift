import WallboardRender

/// What Wallboard asks of a card, and what the emulator decodes.
public enum CPowerCommand: Sendable, Equatable {
    /// External call 01: split the screen into these windows (1…8), numbered 0… in order.
    case splitWindows([Rect])
    /// External call 12: pure text in one window.
    case windowText(CPowerWindowText)
    /// External call 02: text in one window with a colour and size for each character.
    case richText(CPowerRichText)
    /// External call 06: leave the windows and play the programs stored on the card.
    case resumePrograms
    /// Command 46 (set): brightness 0…31 for each hour 0…23 (over 31: the light sensor decides).
    case brightness([UInt8])
    /// Command 47 (set).
    case setTime(CPowerTime)
    /// Command 76 (set): the screen on or off now.
    case screenPower(on: Bool)
}

/// Sub-command 12's settings and text.
public struct CPowerWindowText: Sendable, Equatable {
    public enum Horizontal: UInt8, Sendable { case left = 0, centre = 1, right = 2 }
    public enum Vertical: UInt8, Sendable { case top = 0, centre = 1, bottom = 2 }

    public var window: UInt8
    public var effect: CPowerEffect
    public var horizontal: Horizontal
    public var vertical: Vertical
    /// 1…100, smaller is faster.
    public var speed: UInt8
    public var staySeconds: UInt16
    /// 0…7, see `CPower.fontHeights`.
    public var fontSize: UInt8
    public var fontStyle: UInt8
    public var colour: RGB
    /// Lines break at "\n" (sent as CR).
    public var text: String

    public init(
        window: UInt8, effect: CPowerEffect = .draw, horizontal: Horizontal = .left, vertical: Vertical = .centre, speed: UInt8 = 1,
        staySeconds: UInt16 = 0, fontSize: UInt8 = 2, fontStyle: UInt8 = 0, colour: RGB = RGB(255, 0, 0), text: String
    ) {
        self.window = window
        self.effect = effect
        self.horizontal = horizontal
        self.vertical = vertical
        self.speed = speed
        self.staySeconds = staySeconds
        self.fontSize = fontSize
        self.fontStyle = fontStyle
        self.colour = colour
        self.text = text
    }
}

/// Sub-command 02's settings and text: each character goes as three bytes, its colour and font
/// size code, then its code (GBK; a single-byte character after a 00). The external-calls
/// document, the vendor's PHP SDK and a C++ client agree on this layout and on stay high byte
/// first; alignment is horizontal only (the document gives no vertical part for 02), and no
/// terminator follows the text (the document and the PHP SDK; the C++ client sends three 00,
/// which the decoder takes as the end).
public struct CPowerRichText: Sendable, Equatable {
    /// Characters of one colour and size; "\n" breaks the line (sent as the character 0D).
    public struct Run: Sendable, Equatable {
        public var colour: CPowerColour
        /// 0…7, see `CPower.fontHeights`.
        public var fontSize: UInt8
        public var text: String

        public init(colour: CPowerColour, fontSize: UInt8 = 2, text: String) {
            self.colour = colour
            self.fontSize = fontSize
            self.text = text
        }
    }

    public var window: UInt8
    public var effect: CPowerEffect
    public var horizontal: CPowerWindowText.Horizontal
    /// 1…100, smaller is faster.
    public var speed: UInt8
    public var staySeconds: UInt16
    public var runs: [Run]

    public init(
        window: UInt8, effect: CPowerEffect = .draw, horizontal: CPowerWindowText.Horizontal = .left, speed: UInt8 = 1, staySeconds: UInt16 = 0,
        runs: [Run]
    ) {
        self.window = window
        self.effect = effect
        self.horizontal = horizontal
        self.speed = speed
        self.staySeconds = staySeconds
        self.runs = runs
    }

    public var text: String { runs.map(\.text).joined() }
}

/// A rich-text character's colour, 1…7: bit 0 red, bit 1 green, bit 2 blue (the external-calls
/// document's text colour code; the PHP SDK's colour table agrees). A red and green panel shows
/// yellow (3) as its amber.
public struct CPowerColour: RawRepresentable, Sendable, Hashable {
    public let rawValue: UInt8

    public init?(rawValue: UInt8) {
        guard (1...7).contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(bits: UInt8) { rawValue = bits }

    public static let red = CPowerColour(bits: 1)
    public static let green = CPowerColour(bits: 2)
    public static let yellow = CPowerColour(bits: 3)
    public static let blue = CPowerColour(bits: 4)
    public static let white = CPowerColour(bits: 7)

    /// The colour whose channels are each fully lit or dark as `rgb`'s; nil for any other
    /// colour (and for black), which rich text cannot show.
    public init?(exactly rgb: RGB) {
        let channels = [rgb.r, rgb.g, rgb.b]
        guard channels.allSatisfy({ $0 == 0 || $0 == 255 }) else { return nil }
        self.init(rawValue: channels.enumerated().reduce(UInt8(0)) { $0 | ($1.element == 255 ? 1 << UInt8($1.offset) : 0) })
    }

    public var rgb: RGB {
        RGB(rawValue & 1 != 0 ? 255 : 0, rawValue & 2 != 0 ? 255 : 0, rawValue & 4 != 0 ? 255 : 0)
    }
}

/// The display effects Wallboard uses, by their codes (0…70 exist; FF is random).
public struct CPowerEffect: RawRepresentable, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Shown at once.
    public static let draw = CPowerEffect(rawValue: 0)
    public static let flicker = CPowerEffect(rawValue: 13)
    public static let continuousScrollLeft = CPowerEffect(rawValue: 14)
}

/// A time as command 47 carries it: weekday 0 Sunday … 6 Saturday, a two-digit year.
public struct CPowerTime: Sendable, Equatable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var weekday: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.weekday = weekday
    }
}

/// A command decoded from a request, with how it was addressed.
public struct CPowerRequest: Sendable, Equatable {
    public var cardID: UInt8
    public var wantsReply: Bool
    public var command: CPowerCommand
}

/// Why a command cannot be encoded or was refused on decoding, naming the field.
public struct CPowerError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension CPower {
    static let splitWindowsCode: UInt8 = 0x01
    static let resumeProgramsCode: UInt8 = 0x06
    static let pureTextCode: UInt8 = 0x12
    static let richTextCode: UInt8 = 0x02
    static let brightnessCommand: UInt8 = 0x46
    static let timeCommand: UInt8 = 0x47
    static let screenPowerCommand: UInt8 = 0x76
    /// Command 76's fill after the switch byte: the documents' table says 8, both worked
    /// examples carry 7 (the checksum is the same either way); the examples are followed.
    static let screenPowerFill = 7

    /// `command` as a packet for `cardID`, asking for a reply when `wantsReply`.
    public static func packet(_ command: CPowerCommand, cardID: UInt8 = 1, wantsReply: Bool = true) throws(CPowerError) -> CPowerPacket {
        let confirm: UInt8 = wantsReply ? 0x01 : 0x00
        switch command {
        case .splitWindows(let windows):
            guard (1...maximumWindows).contains(windows.count) else { throw CPowerError("\(windows.count) windows; a CP5200 splits into 1 to \(maximumWindows)") }
            var writer = ByteWriter(capacity: 1 + 8 * windows.count)
            writer.u8(UInt8(windows.count))
            for window in windows {
                for value in [window.x, window.y, window.width, window.height] {
                    guard let value = UInt16(exactly: value) else { throw CPowerError("window \(window) has a coordinate outside 0…65535") }
                    writer.u16BigEndian(value)
                }
            }
            return externalCall(splitWindowsCode, writer.bytes, cardID: cardID, confirm: confirm)
        case .windowText(let text):
            return externalCall(pureTextCode, try windowTextArguments(text), cardID: cardID, confirm: confirm)
        case .richText(let text):
            return externalCall(richTextCode, try richTextArguments(text), cardID: cardID, confirm: confirm)
        case .resumePrograms:
            return externalCall(resumeProgramsCode, [], cardID: cardID, confirm: confirm)
        case .brightness(let levels):
            guard levels.count == 24 else { throw CPowerError("brightness has \(levels.count) hourly values, not 24") }
            return CPowerPacket(cardID: cardID, command: brightnessCommand, confirm: confirm, data: [0x00] + levels)
        case .setTime(let time):
            let fields = [time.second, time.minute, time.hour, time.weekday, time.day, time.month, time.year % 100]
            guard (1...12).contains(time.month), (1...31).contains(time.day), (0...23).contains(time.hour), (0...59).contains(time.minute),
                  (0...59).contains(time.second), (0...6).contains(time.weekday), time.year >= 2000 else {
                throw CPowerError("time \(time) is not a valid date and time")
            }
            return CPowerPacket(cardID: cardID, command: timeCommand, confirm: confirm, data: [0x00] + fields.map { UInt8($0) })
        case .screenPower(let on):
            return CPowerPacket(cardID: cardID, command: screenPowerCommand, confirm: confirm, data: [0x00, on ? 1 : 0] + Array(repeating: 0, count: screenPowerFill))
        }
    }

    /// `command` framed for the wire.
    public static func encode(_ command: CPowerCommand, cardID: UInt8 = 1, wantsReply: Bool = true, framing: CPowerFraming) throws(CPowerError) -> [UInt8] {
        framing.frame(try packet(command, cardID: cardID, wantsReply: wantsReply).bytes)
    }

    /// Command 7B's data: length of the sub-command part (u16 LE), packet number and last
    /// packet number (one packet: 0 and 0), the sub-command and its arguments.
    static func externalCall(_ code: UInt8, _ arguments: [UInt8], cardID: UInt8, confirm: UInt8) -> CPowerPacket {
        var writer = ByteWriter(capacity: arguments.count + 5)
        writer.u16(UInt16(truncatingIfNeeded: arguments.count + 1))
        writer.zeros(2)
        writer.u8(code)
        writer.append(arguments)
        return CPowerPacket(cardID: cardID, command: externalCallCommand, confirm: confirm, data: writer.bytes)
    }

    static let externalCallCommand: UInt8 = 0x7B

    static func windowTextArguments(_ text: CPowerWindowText) throws(CPowerError) -> [UInt8] {
        guard Int(text.window) < maximumWindows else { throw CPowerError("window \(text.window); windows are 0 to \(maximumWindows - 1)") }
        guard Int(text.fontSize) < fontHeights.count, text.fontStyle < 8 else { throw CPowerError("font size code \(text.fontSize) style \(text.fontStyle); both are 0 to 7") }
        let bytes = try textBytes(text.text, context: "window \(text.window)")
        guard bytes.count <= maximumWindowTextBytes else {
            throw CPowerError("window \(text.window): \(bytes.count) bytes of text; a window's text packet carries at most \(maximumWindowTextBytes)")
        }
        var writer = ByteWriter(capacity: bytes.count + 12)
        writer.u8(text.window)
        writer.u8(text.effect.rawValue)
        writer.u8(text.vertical.rawValue << 2 | text.horizontal.rawValue)
        writer.u8(text.speed)
        writer.u16BigEndian(text.staySeconds)
        writer.u8(text.fontStyle << 4 | text.fontSize)
        writer.append([text.colour.r, text.colour.g, text.colour.b])
        writer.append(bytes)
        writer.u8(0x00)
        return writer.bytes
    }

    static func richTextArguments(_ text: CPowerRichText) throws(CPowerError) -> [UInt8] {
        guard Int(text.window) < maximumWindows else { throw CPowerError("window \(text.window); windows are 0 to \(maximumWindows - 1)") }
        var characters: [UInt8] = []
        for run in text.runs {
            guard Int(run.fontSize) < fontHeights.count else { throw CPowerError("font size code \(run.fontSize); it is 0 to 7") }
            let head = run.colour.rawValue << 4 | run.fontSize
            let bytes = try textBytes(run.text, context: "window \(text.window)")
            var index = 0
            while index < bytes.count {
                // A GBK lead byte (81…FE) starts a two-byte character; anything else is one byte.
                if (0x81...0xFE).contains(bytes[index]), index + 1 < bytes.count {
                    characters += [head, bytes[index], bytes[index + 1]]
                    index += 2
                } else {
                    characters += [head, 0x00, bytes[index]]
                    index += 1
                }
            }
        }
        guard characters.count <= maximumWindowTextBytes else {
            throw CPowerError("window \(text.window): \(characters.count) bytes of rich text; a window's text packet carries at most \(maximumWindowTextBytes)")
        }
        var writer = ByteWriter(capacity: characters.count + 6)
        writer.u8(text.window)
        writer.u8(text.effect.rawValue)
        writer.u8(text.horizontal.rawValue)
        writer.u8(text.speed)
        writer.u16BigEndian(text.staySeconds)
        writer.append(characters)
        return writer.bytes
    }

    /// Text in the card's GBK: "\n" becomes CR, every other control character is left out, so
    /// no text can end the string (00) early or carry anything but text; A5, AE and AA bytes
    /// inside GBK characters are escaped by the serial framing.
    public static func textBytes(_ text: String, context: String = "text") throws(CPowerError) -> [UInt8] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                cleaned.append("\r")
            } else if scalar.properties.generalCategory != .control {
                cleaned.append(scalar)
            }
        }
        do {
            return try ControllerTextCodec.encode(String(cleaned), charset: .gbk, context: context)
        } catch {
            throw CPowerError(error.description)
        }
    }
}

extension ByteWriter {
    mutating func u16BigEndian(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
}
