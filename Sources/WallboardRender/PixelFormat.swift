/// The pixel formats LED boards and screens have.
///
/// Every format stores one `UInt32` per pixel in a `Bitmap`:
/// - `mono`: 0 off, 1 lit.
/// - `bicolor`: bit 0 the red die, bit 1 the green die (0 off, 1 red, 2 green, 3 amber).
/// - `rgb`: `0xRRGGBB`.
public enum PixelFormat: String, Hashable, Sendable, CaseIterable {
    case mono
    case bicolor
    case rgb

    public static let bicolorRed: UInt32 = 1
    public static let bicolorGreen: UInt32 = 2
    public static let bicolorAmber: UInt32 = 3

    /// Half brightness: a channel at or above this is lit on mono and bicolor boards.
    public static let litThreshold: UInt8 = 128

    /// The stored value nearest to `colour` that this format can show.
    ///
    /// Bicolor lights red for a strong red channel and green for a strong green channel, so
    /// yellow and orange become amber; blue and cyan, which the board cannot show, become green
    /// rather than vanish.
    @inlinable
    public func value(for colour: RGB) -> UInt32 {
        switch self {
        case .rgb:
            return colour.packed
        case .mono:
            return max(colour.r, colour.g, colour.b) >= PixelFormat.litThreshold ? 1 : 0
        case .bicolor:
            let red = colour.r >= PixelFormat.litThreshold
            let green = colour.g >= PixelFormat.litThreshold || (!red && colour.b >= PixelFormat.litThreshold)
            return (red ? PixelFormat.bicolorRed : 0) | (green ? PixelFormat.bicolorGreen : 0)
        }
    }

    @inlinable
    public func value(for colour: Color) -> UInt32 {
        switch (self, colour) {
        case (_, .off): 0
        case (.mono, _): 1
        case (.bicolor, .on), (.bicolor, .amber): PixelFormat.bicolorAmber
        case (.bicolor, .red): PixelFormat.bicolorRed
        case (.bicolor, .green): PixelFormat.bicolorGreen
        default: value(for: colour.rgb)
        }
    }

    /// The colour a stored value shows as.
    @inlinable
    public func colour(of value: UInt32) -> RGB {
        switch self {
        case .rgb:
            return RGB(packed: value)
        case .mono:
            return value == 0 ? .black : .white
        case .bicolor:
            switch value & 3 {
            case PixelFormat.bicolorRed: return .red
            case PixelFormat.bicolorGreen: return .green
            case PixelFormat.bicolorAmber: return .amber
            default: return .black
            }
        }
    }
}
