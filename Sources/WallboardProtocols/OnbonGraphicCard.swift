import WallboardRender

/// Onbon BX-5E/6E/6Q graphic controllers: frames are rendered here and sent as pixels in a
/// dynamic area (`A7 00`), in each card's own bitmap format.
///
/// Packet: 16-byte header (Dst, Src, ProtoVer F0, reserved, DeviceType(2), 4 reserved,
/// DataLen(4)) + data (`RtnReq CmdGroup Cmd …`) + CRC, framed by `OnbonFraming`.
public enum OnbonGraphicCard {
    public static let headerLength = 16
    public static let protocolVersion: UInt8 = 0xF0
    /// The controller accepts packets up to 64 KB.
    public static let maximumDataLength = 65_535

    // MARK: Encoding

    public static func encode(_ command: OnbonGraphicCommand, link: OnbonGraphicLink) throws(OnbonEncodingError) -> [UInt8] {
        let data = try commandData(command, link: link)
        guard data.count <= maximumDataLength else {
            throw OnbonEncodingError("the command is \(data.count) bytes, over the controller's 64 KB packet limit: send fewer or smaller areas")
        }
        return OnbonFraming.frame(OnbonFraming.packet(header: header(destination: link.destination, source: link.source, deviceType: link.deviceType, dataLength: data.count), data: data))
    }

    static func header(destination: UInt16, source: UInt16, deviceType: UInt16, dataLength: Int) -> [UInt8] {
        var writer = ByteWriter(capacity: headerLength)
        writer.u16(destination)
        writer.u16(source)
        writer.u8(protocolVersion)
        writer.u8(0)
        writer.u16(deviceType)
        writer.zeros(4)
        writer.u32(UInt32(dataLength))
        return writer.bytes
    }

    static func commandData(_ command: OnbonGraphicCommand, link: OnbonGraphicLink) throws(OnbonEncodingError) -> [UInt8] {
        var writer = ByteWriter(capacity: 2048)
        let returnRequest: UInt8 = link.wantsReply ? 0x01 : 0x00
        switch command {
        case .ping:
            writer.append([0x01, 0xA2, 0x00, 0, 0])  // the controller always answers a ping
        case .deleteAreas(let deletion):
            writer.append([returnRequest, 0xA7, 0x01, 0, 0])
            switch deletion {
            case .none: writer.u8(0)
            case .all: writer.u8(0xFF)
            case .areas(let ids):
                guard !ids.isEmpty, ids.count < 0xFF else { throw OnbonEncodingError("delete between 1 and 254 area ids, got \(ids.count)") }
                writer.u8(UInt8(ids.count))
                writer.append(ids)
            }
        case .updateAreas(let areas):
            guard !areas.isEmpty, areas.count <= link.model.maximumAreas else {
                throw OnbonEncodingError("\(areas.count) areas, but a \(link.model.rawValue) takes 1 to \(link.model.maximumAreas) dynamic areas")
            }
            writer.append([returnRequest, 0xA7, 0x00, 0, 0])
            if link.model.isSixthGeneration {
                try appendSixthGeneration(areas, link: link, to: &writer)
            } else {
                guard areas.count == 1 else {
                    throw OnbonEncodingError("a BX-5E takes one area per A7 00 command: send \(areas.count) commands")
                }
                let record = try fifthGenerationRecord(areas[0], link: link)
                writer.u32(UInt32(record.count))
                writer.append(record)
            }
        }
        return writer.bytes
    }

    private static func checkFrame(_ area: OnbonGraphicArea) throws(OnbonEncodingError) {
        let frame = area.frame
        guard frame.x >= 0, frame.y >= 0, frame.width > 0, frame.height > 0, frame.maxX <= 0xFFFF, frame.maxY <= 0xFFFF else {
            throw OnbonEncodingError("area \(area.id): frame \(frame) is not a positive rectangle on the screen")
        }
        guard !area.pages.isEmpty, area.pages.count <= 0xFFFF else { throw OnbonEncodingError("area \(area.id) needs at least one page") }
        for page in area.pages where page.bitmap.width != frame.width || page.bitmap.height != frame.height {
            throw OnbonEncodingError("area \(area.id): a page is \(page.bitmap.width)x\(page.bitmap.height) but the area is \(frame.width)x\(frame.height)")
        }
    }

    private static func appendAreaStart(_ area: OnbonGraphicArea, to writer: inout ByteWriter) {
        writer.u8(area.id)
        writer.u8(area.runMode.rawValue)
        writer.u16(area.timeoutSeconds)
        writer.u8(1)  // shown with every program
        writer.u16(0)  // no particular programs
        writer.u8(area.showsAlone ? 1 : 0)
        writer.zeros(4)
        writer.u8(0x10)  // area type
        writer.u16(UInt16(area.frame.x))
        writer.u16(UInt16(area.frame.y))
        writer.u16(UInt16(area.frame.width))
        writer.u16(UInt16(area.frame.height))
        writer.u8(0)  // no border
    }

    private static func appendPageStart(_ page: OnbonGraphicPage, area: OnbonGraphicArea, to writer: inout ByteWriter) {
        writer.u8(0)  // page style: text and pictures
        writer.u8(page.effect)
        writer.u8(page.clearMode)
        writer.u8(page.speed)
        writer.u16(page.stayHundredths)
        writer.u8(page.repeatCount)
        writer.u16(UInt16(area.frame.width))
    }

    private static func fifthGenerationRecord(_ area: OnbonGraphicArea, link: OnbonGraphicLink) throws(OnbonEncodingError) -> [UInt8] {
        try checkFrame(area)
        var writer = ByteWriter(capacity: 64)
        appendAreaStart(area, to: &writer)
        writer.u16(UInt16(area.pages.count))
        for page in area.pages {
            let pixels = OnbonBitmapFormat.fifthGeneration(link.colours).encode(page.bitmap, originX: area.frame.x)
            writer.u32(UInt32(13 + pixels.count))
            appendPageStart(page, area: area, to: &writer)
            writer.zeros(4)
            writer.append(pixels)
        }
        return writer.bytes
    }

    /// 6th generation: every area's parameters first, then every page's pixels, each page
    /// pointing at its pixels with an offset from the start of the pixel section.
    private static func appendSixthGeneration(_ areas: [OnbonGraphicArea], link: OnbonGraphicLink, to writer: inout ByteWriter) throws(OnbonEncodingError) {
        writer.u16(UInt16(areas.count))
        let format = link.model == .bx6q ? OnbonBitmapFormat.rgb888 : OnbonBitmapFormat.sixthGeneration(link.colours)
        var pixelSection: [UInt8] = []
        for area in areas {
            try checkFrame(area)
            var record = ByteWriter(capacity: 64)
            appendAreaStart(area, to: &record)
            record.u8(0)  // no background layers
            record.u8(0)  // transparency
            record.u8(0)  // foreground and background the same size
            record.u8(0)  // no sound
            record.zeros(5)
            record.u16(UInt16(area.pages.count))
            for page in area.pages {
                let pixels = format.encode(page.bitmap, originX: area.frame.x)
                record.u32(26)
                appendPageStart(page, area: area, to: &record)
                record.zeros(9)
                record.u32(UInt32(pixelSection.count))
                record.u32(UInt32(pixels.count))
                pixelSection += pixels
            }
            writer.u32(UInt32(record.bytes.count))
            writer.append(record.bytes)
        }
        writer.append(pixelSection)
    }

    // MARK: Decoding

    /// Reads an unescaped packet: checks length and CRC, then the command.
    public static func decodeRequest(_ packet: [UInt8], model: OnbonGraphicModel, colours: OnbonGraphicColours) throws(OnbonGraphicDecodeError) -> OnbonGraphicRequest {
        let header = try checkedHeader(packet)
        let data = Array(packet[headerLength..<packet.count - 2])
        guard data.count >= 3 else { throw OnbonGraphicDecodeError(.noSuchCommand, "data field of \(data.count) bytes has no command", header: header) }
        var reader = ByteReader(data[3...])
        do {
            let command: OnbonGraphicCommand
            switch (data[1], data[2]) {
            case (0xA2, 0x00):
                command = .ping
            case (0xA7, 0x01):
                try reader.skip(2, "Reserved")
                let count = try reader.u8("DeleteAreaNum")
                command = .deleteAreas(count == 0 ? .none : count == 0xFF ? .all : .areas(Array(try reader.take(Int(count), "DeleteAreaId"))))
            case (0xA7, 0x00):
                try reader.skip(2, "Reserved")
                command = .updateAreas(
                    model.isSixthGeneration
                        ? try readSixthGeneration(&reader, model: model, colours: colours, header: header)
                        : [try readFifthGeneration(&reader, colours: colours, header: header)])
            case (0xA2, _), (0xA7, _):
                throw OnbonGraphicDecodeError(.noSuchCommand, "command \(hexString(data[1...2])) is not one this board handles", header: header)
            default:
                throw OnbonGraphicDecodeError(.commandGroup, "command group \(hexString([data[1]])) is unknown", header: header)
            }
            return OnbonGraphicRequest(header: header, command: command, wantsReply: data[0] == 0x01 && header.destination != 0xFFFF)
        } catch let error as OnbonGraphicDecodeError {
            throw error
        } catch let truncated as ByteReader.Truncated {
            throw OnbonGraphicDecodeError(.noSuchCommand, "command ends early at \(truncated.field)", header: header)
        } catch {
            throw OnbonGraphicDecodeError(.noSuchCommand, "\(error)", header: header)
        }
    }

    static func checkedHeader(_ packet: [UInt8]) throws(OnbonGraphicDecodeError) -> OnbonGraphicHeader {
        guard packet.count >= headerLength + 2 else {
            throw OnbonGraphicDecodeError(.checksum, "packet of \(packet.count) bytes is shorter than a header and CRC", header: nil)
        }
        var reader = ByteReader(packet)
        guard let header = try? OnbonGraphicHeader(reading: &reader) else {
            throw OnbonGraphicDecodeError(.checksum, "unreadable header", header: nil)
        }
        let sent = UInt16(packet[packet.count - 2]) | UInt16(packet[packet.count - 1]) << 8
        let computed = CRC16ARC.checksum(packet[..<(packet.count - 2)])
        guard sent == computed else {
            throw OnbonGraphicDecodeError(.checksum, "CRC \(String(sent, radix: 16)) but the packet sums to \(String(computed, radix: 16))", header: header)
        }
        guard Int(header.dataLength) == packet.count - headerLength - 2 else {
            throw OnbonGraphicDecodeError(.checksum, "DataLen says \(header.dataLength) bytes, the packet holds \(packet.count - headerLength - 2)", header: header)
        }
        return header
    }

    struct AreaStart {
        var id: UInt8, runMode: OnbonGraphicRunMode, timeout: UInt16, showsAlone: Bool, frame: Rect
    }

    private static func readAreaStart(_ reader: inout ByteReader) throws -> AreaStart {
        let id = try reader.u8("AreaId")
        let runMode = OnbonGraphicRunMode(rawValue: try reader.u8("RunMode")) ?? .loop
        let timeout = try reader.u16("Timeout")
        _ = try reader.u8("RelateAllPro")
        try reader.skip(2 * Int(try reader.u16("RelateProNum")), "RelateProSerial")
        let alone = try reader.u8("ImmePlay") == 1
        try reader.skip(4, "Reserved")
        _ = try reader.u8("AreaType")
        let x = try reader.u16("AreaX"), y = try reader.u16("AreaY"), width = try reader.u16("AreaWidth"), height = try reader.u16("AreaHeight")
        if try reader.u8("AreaFFlag") != 0 {
            try reader.skip(6, "border attributes")
            // AreaFUnitData: AreaFWidth bytes; the width is the fourth attribute byte.
            let attributes = reader.bytes[reader.position - 6..<reader.position]
            try reader.skip(Int(attributes[attributes.startIndex + 3]), "AreaFUnitData")
        }
        return AreaStart(id: id, runMode: runMode, timeout: timeout, showsAlone: alone, frame: Rect(x: Int(x), y: Int(y), width: Int(width), height: Int(height)))
    }

    struct PageStart {
        var effect: UInt8, clearMode: UInt8, speed: UInt8, stay: UInt16, repeatCount: UInt8
    }

    private static func readPageStart(_ reader: inout ByteReader) throws -> PageStart {
        _ = try reader.u8("PageStyle")
        let effect = try reader.u8("DisplayMode"), clear = try reader.u8("ClearMode"), speed = try reader.u8("Speed")
        let stay = try reader.u16("StayTime"), repeatCount = try reader.u8("RepeatTime")
        _ = try reader.u16("ValidLen")
        return PageStart(effect: effect, clearMode: clear, speed: speed, stay: stay, repeatCount: repeatCount)
    }

    private static func readFifthGeneration(_ reader: inout ByteReader, colours: OnbonGraphicColours, header: OnbonGraphicHeader) throws -> OnbonGraphicArea {
        let length = Int(try reader.u32("AreaDataLen"))
        var record = ByteReader(try reader.take(length, "AreaData"))
        let start = try readAreaStart(&record)
        let pageCount = Int(try record.u16("PageNum"))
        var pages: [OnbonGraphicPage] = []
        let format = OnbonBitmapFormat.fifthGeneration(colours)
        for _ in 0..<pageCount {
            let pageLength = Int(try record.u32("PageDataLen"))
            var page = ByteReader(try record.take(pageLength, "page"))
            let pageStart = try readPageStart(&page)
            try page.skip(4, "Reserved")
            let pixels = try page.take(page.remaining, "PicPageData")
            guard let bitmap = format.decode(pixels, frame: start.frame) else {
                throw OnbonGraphicDecodeError(.screenParameters, "area \(start.id): \(pixels.count) pixel bytes do not fit \(start.frame)", header: header)
            }
            pages.append(OnbonGraphicPage(pageStart, bitmap: bitmap))
        }
        return OnbonGraphicArea(start, pages: pages)
    }

    private static func readSixthGeneration(
        _ reader: inout ByteReader, model: OnbonGraphicModel, colours: OnbonGraphicColours, header: OnbonGraphicHeader
    ) throws -> [OnbonGraphicArea] {
        let count = Int(try reader.u16("AreaNum"))
        var pending: [(AreaStart, [(PageStart, offset: Int, length: Int)])] = []
        for _ in 0..<count {
            var record = ByteReader(try reader.take(Int(try reader.u32("AreaDataLen")), "AreaData"))
            let start = try readAreaStart(&record)
            try record.skip(3, "background, transparency, AreaEqual")
            if try record.u8("SoundFlag") != 0 {
                try record.skip(15, "sound parameters")
                try record.skip(Int(try record.u8("SoundReservedParaLen")), "sound reserved")
                try record.skip(Int(try record.u32("SoundDataLen")), "SoundData")
            }
            try record.skip(5, "Reserved")
            var pages: [(PageStart, offset: Int, length: Int)] = []
            for _ in 0..<Int(try record.u16("PageNum")) {
                var page = ByteReader(try record.take(Int(try record.u32("PageDataLen")), "page"))
                let pageStart = try readPageStart(&page)
                try page.skip(9, "Reserved")
                pages.append((pageStart, Int(try page.u32("DataOffset")), Int(try page.u32("DataLen"))))
            }
            pending.append((start, pages))
        }
        let pixelSection = try reader.take(reader.remaining, "pixel data")
        let format = model == .bx6q ? OnbonBitmapFormat.rgb888 : OnbonBitmapFormat.sixthGeneration(colours)
        return try pending.map { start, pages in
            let decoded = try pages.map { pageStart, offset, length in
                guard offset >= 0, length >= 0, offset + length <= pixelSection.count,
                      let bitmap = format.decode(pixelSection.dropFirst(offset).prefix(length), frame: start.frame)
                else {
                    throw OnbonGraphicDecodeError(.screenParameters, "area \(start.id): page pixels at \(offset)+\(length) do not fit \(start.frame)", header: header)
                }
                return OnbonGraphicPage(pageStart, bitmap: bitmap)
            }
            return OnbonGraphicArea(start, pages: decoded)
        }
    }

    // MARK: Replies

    /// The controller's answer: `00 A0 00|01 Status(2) Error(2) DataLen(2)=0`.
    public static func reply(to header: OnbonGraphicHeader, error: OnbonErrorCode) -> [UInt8] {
        var writer = ByteWriter(capacity: 9)
        writer.u8(0)
        writer.u8(0xA0)
        writer.u8(error == .none ? 0x00 : 0x01)
        writer.u16(error == .none ? 0 : 1)
        writer.u16(error.rawValue)
        writer.u16(0)
        let replyHeader = self.header(destination: header.source, source: header.destination, deviceType: header.deviceType, dataLength: writer.bytes.count)
        return OnbonFraming.frame(OnbonFraming.packet(header: replyHeader, data: writer.bytes))
    }
}

/// Reads a graphic card's replies (ACK `A0 00`, NACK `A0 01` with the Error register).
public struct OnbonGraphicCardReplyParser: BoardReplyParser {
    private var scanner = OnbonFrameScanner(maximumBodyLength: 8192)

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [BoardReply] {
        scanner.replies(bytes, headerLength: OnbonGraphicCard.headerLength) { packet in
            do throws(OnbonGraphicDecodeError) {
                _ = try OnbonGraphicCard.checkedHeader(packet)
                return nil
            } catch {
                return error.message
            }
        } read: { data in
            guard data.count >= 7, data[1] == 0xA0 else { return .other(hexString(data.prefix(16))) }
            if data[2] == 0x00 { return .ack }
            return OnbonErrorCode.nack(code: Int(UInt16(data[5]) | UInt16(data[6]) << 8))
        }
    }
}

// MARK: - Model

public enum OnbonGraphicModel: String, Sendable, CaseIterable {
    case bx5e = "BX-5E"
    case bx6e = "BX-6E"
    case bx6q = "BX-6Q"

    /// BX-5E1, BX-6E1, BX-6Q2 (the header's DeviceType; 0xFFFE matches any).
    public var defaultDeviceType: UInt16 {
        switch self {
        case .bx5e: 0x0154
        case .bx6e: 0x0174
        case .bx6q: 0x0266
        }
    }

    public var maximumAreas: Int { self == .bx5e ? 4 : 32 }
    var isSixthGeneration: Bool { self != .bx5e }
}

/// Single-colour (red) or red/green boards; the 6Q is always RGB.
public enum OnbonGraphicColours: String, Sendable {
    case mono
    case bicolor

    public var pixelFormat: PixelFormat { self == .mono ? .mono : .bicolor }
}

public struct OnbonGraphicLink: Equatable, Sendable {
    public var destination: UInt16
    public var source: UInt16 = 0x8000
    public var model: OnbonGraphicModel
    public var deviceType: UInt16
    public var colours: OnbonGraphicColours
    public var wantsReply: Bool

    public init(model: OnbonGraphicModel, colours: OnbonGraphicColours = .bicolor, destination: UInt16 = 0x0001, deviceType: UInt16? = nil, wantsReply: Bool = true) {
        self.model = model
        self.colours = colours
        self.destination = destination
        self.deviceType = deviceType ?? model.defaultDeviceType
        self.wantsReply = wantsReply
    }

    /// The pixel format of decoded pages.
    public var pixelFormat: PixelFormat { model == .bx6q ? .rgb : colours.pixelFormat }
}

public struct OnbonGraphicHeader: Equatable, Sendable {
    public var destination: UInt16
    public var source: UInt16
    public var deviceType: UInt16
    public var dataLength: UInt32

    init(reading reader: inout ByteReader) throws(ByteReader.Truncated) {
        destination = try reader.u16("DstAddr")
        source = try reader.u16("SrcAddr")
        _ = try reader.u8("ProtocolVer")
        _ = try reader.u8("Reserved")
        deviceType = try reader.u16("DeviceType")
        try reader.skip(4, "Reserved")
        dataLength = try reader.u32("DataLen")
    }
}

public enum OnbonGraphicCommand: Equatable, Sendable {
    case ping
    case updateAreas([OnbonGraphicArea])
    case deleteAreas(OnbonAreaDeletion)
}

public struct OnbonGraphicRequest: Equatable, Sendable {
    public var header: OnbonGraphicHeader
    public var command: OnbonGraphicCommand
    public var wantsReply: Bool
}

public enum OnbonGraphicRunMode: UInt8, Sendable, CaseIterable {
    case loop = 0
    case holdLast = 1
    /// Stop showing the area when it is not updated within the timeout.
    case hideAfterTimeout = 2
    /// Show the last page as a logo when it is not updated within the timeout.
    case logoAfterTimeout = 3
    case playOnce = 4
}

public struct OnbonGraphicArea: Equatable, Sendable {
    public var id: UInt8
    public var frame: Rect
    public var runMode: OnbonGraphicRunMode
    public var timeoutSeconds: UInt16
    /// ImmePlay 1: programs stop and only this area shows.
    public var showsAlone: Bool
    public var pages: [OnbonGraphicPage]

    public init(id: UInt8, frame: Rect, runMode: OnbonGraphicRunMode = .holdLast, timeoutSeconds: UInt16 = 0, showsAlone: Bool = false, pages: [OnbonGraphicPage]) {
        self.id = id
        self.frame = frame
        self.runMode = runMode
        self.timeoutSeconds = timeoutSeconds
        self.showsAlone = showsAlone
        self.pages = pages
    }

    fileprivate init(_ start: OnbonGraphicCard.AreaStart, pages: [OnbonGraphicPage]) {
        self.init(id: start.id, frame: start.frame, runMode: start.runMode, timeoutSeconds: start.timeout, showsAlone: start.showsAlone, pages: pages)
    }
}

public struct OnbonGraphicPage: Equatable, Sendable {
    /// DisplayMode: 0x01 static, 0x03 move left … (see the 6th-generation manual).
    public var effect: UInt8
    public var clearMode: UInt8
    public var speed: UInt8
    /// How long the page stays, in hundredths of a second.
    public var stayHundredths: UInt16
    public var repeatCount: UInt8
    public var bitmap: Bitmap

    public init(bitmap: Bitmap, effect: UInt8 = 0x01, clearMode: UInt8 = 0, speed: UInt8 = 0, stayHundredths: UInt16 = 100, repeatCount: UInt8 = 1) {
        self.bitmap = bitmap
        self.effect = effect
        self.clearMode = clearMode
        self.speed = speed
        self.stayHundredths = stayHundredths
        self.repeatCount = repeatCount
    }

    fileprivate init(_ start: OnbonGraphicCard.PageStart, bitmap: Bitmap) {
        self.init(bitmap: bitmap, effect: start.effect, clearMode: start.clearMode, speed: start.speed, stayHundredths: start.stay, repeatCount: start.repeatCount)
    }
}

public struct OnbonGraphicDecodeError: Error, Equatable, CustomStringConvertible {
    public let code: OnbonErrorCode
    public let message: String
    public let header: OnbonGraphicHeader?

    init(_ code: OnbonErrorCode, _ message: String, header: OnbonGraphicHeader?) {
        self.code = code
        self.message = message
        self.header = header
    }

    public var description: String { "\(code.explanation): \(message)" }
}
