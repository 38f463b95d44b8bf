import WallboardRender

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
