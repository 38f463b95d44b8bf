import WallboardRender

/// The controller family: limits differ.
public enum OnbonFontCardModel: String, Sendable, CaseIterable {
    case bx5k = "BX-5K"
    case bx6k = "BX-6K"

    public var maximumAreas: Int { self == .bx5k ? 8 : 5 }
    public var maximumAreaBytes: Int { self == .bx5k ? 512 : 1024 }
    /// The data field of one packet must fit the receive buffer.
    public var receiveBuffer: Int { 1024 }
    /// The most text one area can carry: its own limit, and what fits one update beside the
    /// command's head and the area's settings (`OnbonFontCard.updateOverhead`).
    public var largestAreaText: Int { min(maximumAreaBytes, receiveBuffer - OnbonFontCard.updateOverhead) }
    /// The protocol document's "refresh ≥ 1 s", for both cards.
    public var minimumUpdateInterval: Duration { .seconds(1) }
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
