import WallboardRender

/// Onbon BX-5K/5MK/6K "font card" controllers: the controller draws GB2312 text with its own
/// fonts, so a live update is a few tens of bytes. Dynamic areas (`A3 06`) live in RAM and may
/// be rewritten as often as needed (programs live in flash and are never used for live data).
///
/// Packet: 14-byte header (Dst, Src, 3 reserved, BarCode, CheckMode, DisplayMode, DeviceType,
/// ProtocolVersion, DataLen) + data (`CmdGroup Cmd Response 00 00 …`) + CRC, framed by
/// `OnbonFraming`.
public enum OnbonFontCard {
    public static let headerLength = 14
    /// Replies as the controller documents them open with nine A5 bytes.
    public static let replyPreamble = 9

    // MARK: Encoding

    /// The wire bytes of `command` for the controller `link` describes.
    public static func encode(_ command: OnbonFontCardCommand, link: OnbonFontCardLink = OnbonFontCardLink()) throws(OnbonEncodingError) -> [UInt8] {
        let data = try commandData(command, link: link)
        return OnbonFraming.frame(OnbonFraming.packet(header: header(link: link, dataLength: data.count), data: data))
    }

    static func header(link: OnbonFontCardLink, dataLength: Int) -> [UInt8] {
        var writer = ByteWriter(capacity: headerLength)
        writer.u16(link.destination)
        writer.u16(link.source)
        writer.zeros(3)
        writer.u8(0)  // no bar code
        writer.u8(0)  // CRC16 check
        writer.u8(link.dynamicAreasOverPrograms ? 1 : 0)
        writer.u8(link.deviceType)
        writer.u8(link.protocolVersion)
        writer.u16(UInt16(truncatingIfNeeded: dataLength))
        return writer.bytes
    }

    static func commandData(_ command: OnbonFontCardCommand, link: OnbonFontCardLink) throws(OnbonEncodingError) -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        let response: UInt8 = link.wantsReply ? 0x01 : 0x02
        switch command {
        case .ping:
            writer.append([0xA2, 0x00, response, 0, 0])
        case .clearScreen:
            writer.append([0xA3, 0x10, response, 0, 0])
        case .brightness(let level):
            guard level <= 15 else { throw OnbonEncodingError("brightness \(level) is out of range: use 0 (dimmest) to 15 (brightest)") }
            writer.append([0xA3, 0x02, response, 0, 0, 0x01, level])
        case .brightnessSchedule(let levels):
            guard levels.count == 48, levels.allSatisfy({ $0 <= 15 }) else {
                throw OnbonEncodingError("a brightness schedule needs 48 half-hour levels of 0–15, got \(levels.count)")
            }
            writer.append([0xA3, 0x02, response, 0, 0, 0x02, 0])
            writer.append(levels)
        case .setTime(let time):
            try time.validate()
            writer.append([0xA2, 0x03, response, 0, 0])
            writer.u8(bcd(time.year % 100))
            writer.u8(bcd(time.year / 100))
            for value in [time.month, time.day, time.hour, time.minute, time.second, time.weekday] { writer.u8(bcd(value)) }
        case .updateAreas(let update):
            guard !update.areas.isEmpty else { throw OnbonEncodingError("an area update needs at least one area: use deleteAreas to only delete") }
            writer.append([0xA3, 0x06, response, update.clearAreasFirst ? 1 : 0, 0])
            try appendDeletion(update.delete, to: &writer)
            guard update.areas.count <= link.model.maximumAreas else {
                throw OnbonEncodingError("\(update.areas.count) areas, but a \(link.model) shows at most \(link.model.maximumAreas) dynamic areas")
            }
            writer.u8(UInt8(update.areas.count))
            for area in update.areas {
                let record = try areaRecord(area, link: link)
                writer.u16(UInt16(record.count))
                writer.append(record)
            }
        case .deleteAreas(let deletion):
            writer.append([0xA3, 0x06, response, 0, 0])
            try appendDeletion(deletion, to: &writer)
            writer.u8(0)
        }
        guard writer.bytes.count <= link.model.receiveBuffer else {
            throw OnbonEncodingError("the command is \(writer.bytes.count) bytes, over the controller's \(link.model.receiveBuffer)-byte receive buffer: shorten the text")
        }
        return writer.bytes
    }

    private static func appendDeletion(_ deletion: OnbonAreaDeletion, to writer: inout ByteWriter) throws(OnbonEncodingError) {
        switch deletion {
        case .none: writer.u8(0)
        case .all: writer.u8(0xFF)
        case .areas(let ids):
            guard !ids.isEmpty, ids.count < 0xFF else { throw OnbonEncodingError("delete between 1 and 254 area ids, got \(ids.count)") }
            writer.u8(UInt8(ids.count))
            writer.append(ids)
        }
    }

    static func areaRecord(_ area: OnbonTextArea, link: OnbonFontCardLink) throws(OnbonEncodingError) -> [UInt8] {
        let frame = area.frame
        guard frame.x >= 0, frame.y >= 0, frame.width > 0, frame.height > 0,
              frame.x < 0x8000, frame.width < 0x8000, frame.y <= 0xFFFF, frame.height <= 0xFFFF
        else { throw OnbonEncodingError("area \(area.id): frame \(frame) is not a positive rectangle on the screen") }
        guard area.speed <= 0x18 else { throw OnbonEncodingError("area \(area.id): speed \(area.speed) is out of range 0 (fastest) to 24") }
        let text = try OnbonTextCodec.encode(area.text, charset: link.charset, context: "area \(area.id)")
        guard text.count <= link.model.maximumAreaBytes else {
            throw OnbonEncodingError("area \(area.id): \(text.count) bytes of text, over the \(link.model)'s \(link.model.maximumAreaBytes)-byte limit per area")
        }
        var writer = ByteWriter(capacity: 27 + text.count)
        writer.u8(0x00)  // area type
        // X and width in pixels: bit 15 set. Y and height are always pixels.
        writer.u16(UInt16(frame.x) | 0x8000)
        writer.u16(UInt16(frame.y))
        writer.u16(UInt16(frame.width) | 0x8000)
        writer.u16(UInt16(frame.height))
        writer.u8(area.id)
        writer.u8(area.lineSpacing)
        writer.u8(area.runMode.rawValue)
        writer.u16(area.timeoutSeconds)
        writer.u8(0)  // no sound
        writer.u8(0)  // no extension bytes
        writer.u8(area.alignment.byte)
        writer.u8(area.singleLine ? 0x01 : 0x02)
        writer.u8(area.wrapsAutomatically ? 0x02 : 0x01)
        writer.u8(area.effect.rawValue)
        writer.u8(area.exitMode)
        writer.u8(area.speed)
        writer.u8(area.stayHalfSeconds)
        writer.u32(UInt32(text.count))
        writer.append(text)
        return writer.bytes
    }

    // MARK: Decoding

    /// Reads an unescaped packet (as `OnbonFrameScanner` yields it): checks length and CRC,
    /// then the command. The error carries the NACK code a controller would answer with.
    public static func decodeRequest(_ packet: [UInt8], charset: ControllerCharset = .gb2312) throws(OnbonDecodeError) -> OnbonFontCardRequest {
        let header = try checkedHeader(packet)
        let data = Array(packet[headerLength..<packet.count - 2])
        guard data.count >= 5 else { throw OnbonDecodeError(.noSuchCommand, "data field of \(data.count) bytes has no command", header: header) }
        let wantsReply = data[2] == 0x01 && header.destination != 0xFFFF
        var reader = ByteReader(data[5...])
        do {
            let command = try decodeCommand(group: data[0], code: data[1], reserved: data[3], reader: &reader, charset: charset, header: header)
            return OnbonFontCardRequest(header: header, command: command, wantsReply: wantsReply)
        } catch let truncated as ByteReader.Truncated {
            throw OnbonDecodeError(.noSuchCommand, "command \(hexString(data.prefix(2))) ends early at \(truncated.field)", header: header)
        } catch let error as OnbonDecodeError {
            throw error
        } catch {
            throw OnbonDecodeError(.noSuchCommand, "\(error)", header: header)
        }
    }

    static func checkedHeader(_ packet: [UInt8]) throws(OnbonDecodeError) -> OnbonFontCardHeader {
        guard packet.count >= headerLength + 2 else {
            throw OnbonDecodeError(.checksum, "packet of \(packet.count) bytes is shorter than a header and CRC", header: nil)
        }
        var reader = ByteReader(packet)
        guard let header = try? OnbonFontCardHeader(reading: &reader) else {
            throw OnbonDecodeError(.checksum, "unreadable header", header: nil)
        }
        let body = packet[..<(packet.count - 2)]
        let sent = UInt16(packet[packet.count - 2]) | UInt16(packet[packet.count - 1]) << 8
        let computed = CRC16ARC.checksum(body)
        guard sent == computed else {
            throw OnbonDecodeError(.checksum, "CRC \(String(sent, radix: 16)) but the packet sums to \(String(computed, radix: 16))", header: header)
        }
        guard Int(header.dataLength) == packet.count - headerLength - 2 else {
            throw OnbonDecodeError(.checksum, "DataLen says \(header.dataLength) bytes, the packet holds \(packet.count - headerLength - 2)", header: header)
        }
        return header
    }

    private static func decodeCommand(
        group: UInt8, code: UInt8, reserved: UInt8, reader: inout ByteReader, charset: ControllerCharset, header: OnbonFontCardHeader
    ) throws -> OnbonFontCardCommand {
        switch (group, code) {
        case (0xA2, 0x00):
            return .ping
        case (0xA3, 0x10):
            return .clearScreen
        case (0xA3, 0x02):
            let type = try reader.u8("BrightnessType")
            let level = try reader.u8("CurrentBrightness")
            if type == 0x02 {
                return .brightnessSchedule(Array(try reader.take(48, "BrightnessValue")))
            }
            guard level <= 15 else { throw OnbonDecodeError(.screenParameters, "brightness \(level) over 15", header: header) }
            return .brightness(level)
        case (0xA2, 0x03):
            let yearLow = try reader.u8("year"), yearHigh = try reader.u8("year")
            var fields: [Int] = []
            for name in ["month", "day", "hour", "minute", "second", "weekday"] {
                guard let value = fromBCD(try reader.u8(name)) else {
                    throw OnbonDecodeError(.dateTimeFormat, "\(name) is not BCD", header: header)
                }
                fields.append(value)
            }
            guard let low = fromBCD(yearLow), let high = fromBCD(yearHigh) else {
                throw OnbonDecodeError(.dateTimeFormat, "year is not BCD", header: header)
            }
            let time = OnbonDateTime(
                year: high * 100 + low, month: fields[0], day: fields[1], hour: fields[2], minute: fields[3], second: fields[4], weekday: fields[5])
            do { try time.validate() } catch { throw OnbonDecodeError(.dateTimeFormat, error.description, header: header) }
            return .setTime(time)
        case (0xA3, 0x06):
            let deletion = try readDeletion(&reader)
            let count = try reader.u8("AreaNum")
            var areas: [OnbonTextArea] = []
            for _ in 0..<count {
                let length = Int(try reader.u16("AreaDataLen"))
                var record = ByteReader(try reader.take(length, "AreaData"))
                areas.append(try readArea(&record, charset: charset))
            }
            if areas.isEmpty && reserved == 0 { return .deleteAreas(deletion) }
            return .updateAreas(OnbonAreaUpdate(clearAreasFirst: reserved == 1, delete: deletion, areas: areas))
        case (0xA0, _), (0xA1, _), (0xA2, _), (0xA3, _), (0xA4, _):
            throw OnbonDecodeError(.noSuchCommand, "command \(hexString([group, code])) is not one this board handles", header: header)
        default:
            throw OnbonDecodeError(.commandGroup, "command group \(hexString([group])) is unknown", header: header)
        }
    }

    private static func readDeletion(_ reader: inout ByteReader) throws(ByteReader.Truncated) -> OnbonAreaDeletion {
        let count = try reader.u8("DeleteAreaNum")
        switch count {
        case 0: return .none
        case 0xFF: return .all
        default: return .areas(Array(try reader.take(Int(count), "DeleteAreaId")))
        }
    }

    private static func readArea(_ reader: inout ByteReader, charset: ControllerCharset) throws -> OnbonTextArea {
        _ = try reader.u8("AreaType")
        let rawX = try reader.u16("AreaX"), y = try reader.u16("AreaY")
        let rawWidth = try reader.u16("AreaWidth"), height = try reader.u16("AreaHeight")
        func pixels(_ raw: UInt16) -> Int { raw & 0x8000 != 0 ? Int(raw & 0x7FFF) : Int(raw) * 8 }
        let id = try reader.u8("DynamicAreaLoc")
        let lineSpacing = try reader.u8("Lines_sizes")
        let runMode = OnbonRunMode(rawValue: try reader.u8("RunMode")) ?? .loop
        let timeout = try reader.u16("Timeout")
        let sound = try reader.u8("SoundMode")
        if sound != 0 {
            try reader.skip(3, "SoundPerson/Volume/Speed")
            if sound == 2 { try reader.skip(Int(try reader.u32("SoundDataLen")), "SoundData") }
        }
        try reader.skip(Int(try reader.u8("ExtendParaLen")), "extension bytes")
        let alignment = OnbonAlignment(byte: try reader.u8("TextAlignment"))
        let singleLine = try reader.u8("SingleLine") == 0x01
        let autoWrap = try reader.u8("NewLine") == 0x02
        let effect = OnbonTextEffect(rawValue: try reader.u8("DisplayMode")) ?? .staticText
        let exitMode = try reader.u8("ExitMode")
        let speed = try reader.u8("Speed")
        let stay = try reader.u8("StayTime")
        let textLength = Int(try reader.u32("DataLen"))
        let text = OnbonTextCodec.decode(try reader.take(textLength, "Data"), charset: charset)
        return OnbonTextArea(
            id: id, frame: Rect(x: pixels(rawX), y: Int(y), width: pixels(rawWidth), height: Int(height)),
            lineSpacing: lineSpacing, runMode: runMode, timeoutSeconds: timeout, alignment: alignment, singleLine: singleLine,
            wrapsAutomatically: autoWrap, effect: effect, exitMode: exitMode, speed: speed, stayHalfSeconds: stay, text: text)
    }

    // MARK: Replies

    /// The frame a controller answers `request` with (ACK, or NACK with `error`), addressed
    /// back to the sender.
    public static func reply(to header: OnbonFontCardHeader, error: OnbonErrorCode) -> [UInt8] {
        var writer = ByteWriter(capacity: headerLength)
        writer.u16(header.source)
        writer.u16(header.destination)
        writer.zeros(6)
        writer.u8(header.deviceType)
        writer.u8(header.protocolVersion)
        writer.u16(5)
        let data: [UInt8] = error == .none ? [0xA0, 0x00, 0x00, 0, 0] : [0xA0, 0x01, UInt8(truncatingIfNeeded: error.rawValue), 0, 0]
        return OnbonFraming.frame(OnbonFraming.packet(header: writer.bytes, data: data), preamble: replyPreamble)
    }
}

/// Reads a font card's replies: `A0 00` ACK, `A0 01 code` NACK.
public struct OnbonFontCardReplyParser: BoardReplyParser {
    private var scanner = OnbonFrameScanner(maximumBodyLength: 4096)

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [BoardReply] {
        scanner.replies(bytes, headerLength: OnbonFontCard.headerLength) { packet in
            do throws(OnbonDecodeError) {
                _ = try OnbonFontCard.checkedHeader(packet)
                return nil
            } catch {
                return error.message
            }
        } read: { data in
            switch (data.first, data.dropFirst().first) {
            case (0xA0, 0x00): return .ack
            case (0xA0, 0x01): return OnbonErrorCode.nack(code: Int(data.count > 2 ? data[2] : 0))
            default: return .other(hexString(data.prefix(16)))
            }
        }
    }
}

// MARK: - Model

/// The controller family: limits differ.
public enum OnbonFontCardModel: String, Sendable, CaseIterable {
    case bx5k = "BX-5K"
    case bx6k = "BX-6K"

    public var maximumAreas: Int { self == .bx5k ? 8 : 5 }
    public var maximumAreaBytes: Int { self == .bx5k ? 512 : 1024 }
    /// The data field of one packet must fit the receive buffer.
    public var receiveBuffer: Int { 1024 }
}

/// How packets are addressed and what the controller can do.
public struct OnbonFontCardLink: Equatable, Sendable {
    /// The screen address; 0xFFFF broadcasts without replies, 0xFFFE broadcasts with replies.
    public var destination: UInt16 = 0x0001
    public var source: UInt16 = 0x8000
    /// 0xFE matches any font card.
    public var deviceType: UInt8 = 0xFE
    public var protocolVersion: UInt8 = 0x02
    /// Header DisplayMode 1: dynamic areas show over programs and may overlap them.
    public var dynamicAreasOverPrograms = false
    public var wantsReply = true
    public var charset = ControllerCharset.gb2312
    public var model = OnbonFontCardModel.bx6k

    public init(
        destination: UInt16 = 0x0001, deviceType: UInt8 = 0xFE, dynamicAreasOverPrograms: Bool = false,
        wantsReply: Bool = true, charset: ControllerCharset = .gb2312, model: OnbonFontCardModel = .bx6k
    ) {
        self.destination = destination
        self.deviceType = deviceType
        self.dynamicAreasOverPrograms = dynamicAreasOverPrograms
        self.wantsReply = wantsReply
        self.charset = charset
        self.model = model
    }
}

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

public enum OnbonAreaDeletion: Equatable, Sendable {
    case none
    case all
    case areas([UInt8])
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
