/// A 24-bit colour, the common currency between pixel formats.
public struct RGB: Hashable, Sendable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// `0xRRGGBB`.
    public init(packed: UInt32) {
        self.init(UInt8(truncatingIfNeeded: packed >> 16), UInt8(truncatingIfNeeded: packed >> 8), UInt8(truncatingIfNeeded: packed))
    }

    public var packed: UInt32 { UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b) }

    public var description: String {
        let digits = Array("0123456789ABCDEF")
        var text = "#"
        for byte in [r, g, b] {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return text
    }

    public static let black = RGB(0, 0, 0)
    public static let white = RGB(255, 255, 255)
    public static let red = RGB(255, 0, 0)
    public static let green = RGB(0, 255, 0)
    /// The amber a red/green LED shows with both dies lit.
    public static let amber = RGB(255, 191, 0)
}

/// What a layout or widget asks for. Each pixel format quantises it to what its LEDs can show.
public enum Color: Hashable, Sendable {
    case off
    /// Fully lit: white on RGB, amber on bicolor, lit on mono.
    case on
    case red
    case green
    case amber
    case rgb(RGB)

    public var rgb: RGB {
        switch self {
        case .off: .black
        case .on: .white
        case .red: .red
        case .green: .green
        case .amber: .amber
        case .rgb(let value): value
        }
    }

    /// Parses the names layouts use (`red`, `amber`, `yellow`, `#FF8800`, …); nil for anything else.
    public init?(name: String) {
        switch name.lowercased() {
        case "off", "black", "none": self = .off
        case "on", "white", "lit": self = .on
        case "red": self = .red
        case "green": self = .green
        case "amber", "yellow", "orange": self = .amber
        default:
            let hex = Array(name.utf8)
            guard hex.count == 7, hex[0] == UInt8(ascii: "#") else { return nil }
            var value: UInt32 = 0
            for digit in hex.dropFirst() {
                guard let nibble = hexValue(digit) else { return nil }
                value = value << 4 | UInt32(nibble)
            }
            self = .rgb(RGB(packed: value))
        }
    }

    /// Names accepted by `init(name:)`, for error messages.
    public static let knownNames = ["off", "on", "white", "red", "green", "amber", "yellow", "orange", "#RRGGBB"]
}

private func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
}
