import WallboardRender

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

    init(_ start: OnbonGraphicCard.AreaStart, pages: [OnbonGraphicPage]) {
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

    init(_ start: OnbonGraphicCard.PageStart, bitmap: Bitmap) {
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
