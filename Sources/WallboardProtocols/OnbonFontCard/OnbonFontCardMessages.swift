import WallboardRender

public struct OnbonFontCardHeader: Equatable, Sendable {
    public var destination: UInt16
    public var source: UInt16
    public var displayMode: UInt8
    public var deviceType: UInt8
    public var protocolVersion: UInt8
    public var dataLength: UInt16

    public init(destination: UInt16, source: UInt16, displayMode: UInt8, deviceType: UInt8, protocolVersion: UInt8, dataLength: UInt16) {
        self.destination = destination
        self.source = source
        self.displayMode = displayMode
        self.deviceType = deviceType
        self.protocolVersion = protocolVersion
        self.dataLength = dataLength
    }

    init(reading reader: inout ByteReader) throws(ByteReader.Truncated) {
        destination = try reader.u16("DstAddr")
        source = try reader.u16("SrcAddr")
        try reader.skip(3, "Reserved")
        _ = try reader.u8("BarCode")
        _ = try reader.u8("CheckMode")
        displayMode = try reader.u8("DisplayMode")
        deviceType = try reader.u8("DeviceType")
        protocolVersion = try reader.u8("ProtocolVersion")
        dataLength = try reader.u16("DataLen")
    }
}

/// A command to a font card.
public enum OnbonFontCardCommand: Equatable, Sendable {
    case ping
    /// Write dynamic areas (`A3 06`), optionally deleting some first.
    case updateAreas(OnbonAreaUpdate)
    /// `A3 06` that only deletes.
    case deleteAreas(OnbonAreaDeletion)
    /// Forced brightness 0–15.
    case brightness(UInt8)
    /// Timed brightness: 48 half-hour levels from midnight.
    case brightnessSchedule([UInt8])
    case setTime(OnbonDateTime)
    /// `A3 10`: clear the screen.
    case clearScreen
}

public struct OnbonAreaUpdate: Equatable, Sendable {
    /// ProcessMode 1: clear and re-initialise the areas on receipt.
    public var clearAreasFirst: Bool
    public var delete: OnbonAreaDeletion
    public var areas: [OnbonTextArea]

    public init(clearAreasFirst: Bool = false, delete: OnbonAreaDeletion = .none, areas: [OnbonTextArea]) {
        self.clearAreasFirst = clearAreasFirst
        self.delete = delete
        self.areas = areas
    }
}

/// A decoded request and whether the controller must answer it.
public struct OnbonFontCardRequest: Equatable, Sendable {
    public var header: OnbonFontCardHeader
    public var command: OnbonFontCardCommand
    public var wantsReply: Bool
}

/// One dynamic text area: where, how it moves, and the text with its inline codes.
public struct OnbonTextArea: Equatable, Sendable {
    public var id: UInt8
    /// In pixels (sent with the pixel-unit flag).
    public var frame: Rect
    public var lineSpacing: UInt8
    public var runMode: OnbonRunMode
    public var timeoutSeconds: UInt16
    public var alignment: OnbonAlignment
    public var singleLine: Bool
    /// The controller breaks lines itself (NewLine 02) instead of only at `\n` (01).
    public var wrapsAutomatically: Bool
    public var effect: OnbonTextEffect
    public var exitMode: UInt8
    /// 0 fastest … 24 slowest.
    public var speed: UInt8
    /// How long each page stays, in half seconds.
    public var stayHalfSeconds: UInt8
    public var text: OnbonText

    public init(
        id: UInt8, frame: Rect, lineSpacing: UInt8 = 0, runMode: OnbonRunMode = .loop, timeoutSeconds: UInt16 = 0,
        alignment: OnbonAlignment = OnbonAlignment(), singleLine: Bool = false, wrapsAutomatically: Bool = false,
        effect: OnbonTextEffect = .staticText, exitMode: UInt8 = 0, speed: UInt8 = 0, stayHalfSeconds: UInt8 = 10,
        text: OnbonText
    ) {
        self.id = id
        self.frame = frame
        self.lineSpacing = lineSpacing
        self.runMode = runMode
        self.timeoutSeconds = timeoutSeconds
        self.alignment = alignment
        self.singleLine = singleLine
        self.wrapsAutomatically = wrapsAutomatically
        self.effect = effect
        self.exitMode = exitMode
        self.speed = speed
        self.stayHalfSeconds = stayHalfSeconds
        self.text = text
    }
}

public enum OnbonRunMode: UInt8, Sendable, CaseIterable {
    /// Show the area's pages in a loop.
    case loop = 0
    /// Stop on the last page.
    case holdLast = 1
    /// Loop, and delete the area when it is not updated within the timeout.
    case deleteAfterTimeout = 2
}

public enum OnbonTextEffect: UInt8, Sendable, CaseIterable {
    case staticText = 1
    case quickType = 2
    case moveLeft = 3
    case moveRight = 4
    case moveUp = 5
    case moveDown = 6
}

/// TextAlignment: bits 0–1 horizontal (left, right, centre), bits 2–3 vertical (top, bottom, centre).
public struct OnbonAlignment: Equatable, Sendable {
    public enum Horizontal: UInt8, Sendable { case left = 0, right = 1, centre = 2 }
    public enum Vertical: UInt8, Sendable { case top = 0, bottom = 1, centre = 2 }

    public var horizontal: Horizontal
    public var vertical: Vertical

    public init(horizontal: Horizontal = .left, vertical: Vertical = .top) {
        self.horizontal = horizontal
        self.vertical = vertical
    }

    init(byte: UInt8) {
        horizontal = Horizontal(rawValue: byte & 3) ?? .left
        vertical = Vertical(rawValue: byte >> 2 & 3) ?? .top
    }

    var byte: UInt8 { horizontal.rawValue | vertical.rawValue << 2 }
}

/// Date and time for the controller's clock; `weekday` 1 = Monday … 7 = Sunday.
public struct OnbonDateTime: Equatable, Sendable {
    public var year, month, day, hour, minute, second, weekday: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.weekday = weekday
    }

    func validate() throws(OnbonEncodingError) {
        guard (0...9999).contains(year), (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...59).contains(second), (1...7).contains(weekday)
        else { throw OnbonEncodingError("date and time \(year)-\(month)-\(day) \(hour):\(minute):\(second) weekday \(weekday) is out of range") }
    }
}

/// A command the encoder refused, with the reason.
public struct OnbonEncodingError: Error, Equatable, CustomStringConvertible {
    public let message: String
    /// Set when the refusal is text the controller's fonts cannot show.
    public var unencodable: UnencodableTextError?

    init(_ message: String, unencodable: UnencodableTextError? = nil) {
        self.message = message
        self.unencodable = unencodable
    }

    public var description: String { message }
}

/// A request the controller refuses; `code` is what it answers in the NACK.
public struct OnbonDecodeError: Error, Equatable, CustomStringConvertible {
    public let code: OnbonErrorCode
    public let message: String
    /// The header when it could be read: where the NACK goes.
    public let header: OnbonFontCardHeader?

    init(_ code: OnbonErrorCode, _ message: String, header: OnbonFontCardHeader?) {
        self.code = code
        self.message = message
        self.header = header
    }

    public var description: String { "\(code.explanation): \(message)" }
}

func bcd(_ value: Int) -> UInt8 { UInt8((value / 10 % 10) << 4 | value % 10) }

func fromBCD(_ byte: UInt8) -> Int? {
    let high = Int(byte >> 4), low = Int(byte & 0xF)
    guard high < 10, low < 10 else { return nil }
    return high * 10 + low
}
