import WallboardRender

/// The pixel layouts of Onbon graphic dynamic areas.
///
/// - 5E: row by row; per 8 screen columns a red byte then (bicolor) a green byte; bit 7 is the
///   leftmost column; 0 = lit. Bytes are aligned to screen columns, so an area that does not
///   start or end on a multiple of 8 is padded with 1s (off).
/// - 6E: the whole red plane, then (bicolor) the whole green plane, each row in 32-bit words
///   aligned to screen columns, bit 31 the leftmost, sent little-endian like every other
///   multi-byte field; padded with 1s like the 5E, and 0 = lit likewise.
/// - 6Q: RGB888, three bytes per pixel, row-major, no padding.
public enum OnbonBitmapFormat: Equatable, Sendable {
    case fifthGeneration(OnbonGraphicColours)
    case sixthGeneration(OnbonGraphicColours)
    case rgb888

    public var pixelFormat: PixelFormat {
        switch self {
        case .fifthGeneration(let colours), .sixthGeneration(let colours): colours.pixelFormat
        case .rgb888: .rgb
        }
    }

    private var planes: Int {
        switch self {
        case .fifthGeneration(let colours), .sixthGeneration(let colours): colours == .bicolor ? 2 : 1
        case .rgb888: 3
        }
    }

    /// Screen-aligned units (bytes or words) a row of the area covers.
    private func unitsPerRow(originX: Int, width: Int, unitBits: Int) -> Int {
        (originX + width - 1) / unitBits - originX / unitBits + 1
    }

    public func byteCount(frame: Rect) -> Int {
        switch self {
        case .fifthGeneration:
            unitsPerRow(originX: frame.x, width: frame.width, unitBits: 8) * planes * frame.height
        case .sixthGeneration:
            unitsPerRow(originX: frame.x, width: frame.width, unitBits: 32) * 4 * planes * frame.height
        case .rgb888:
            frame.width * frame.height * 3
        }
    }

    /// The area's pixels (`bitmap` is the whole area, its left edge at screen column `originX`).
    public func encode(_ bitmap: Bitmap, originX: Int) -> [UInt8] {
        let source = bitmap.converted(to: pixelFormat)
        let width = source.width, height = source.height
        guard width > 0, height > 0 else { return [] }
        switch self {
        case .rgb888:
            var bytes = [UInt8](repeating: 0, count: width * height * 3)
            bytes.withUnsafeMutableBufferPointer { out in
                source.withUnsafePixels { pixels in
                    for (index, value) in pixels.enumerated() {
                        out[3 * index] = UInt8(truncatingIfNeeded: value >> 16)
                        out[3 * index + 1] = UInt8(truncatingIfNeeded: value >> 8)
                        out[3 * index + 2] = UInt8(truncatingIfNeeded: value)
                    }
                }
            }
            return bytes
        case .fifthGeneration:
            let units = unitsPerRow(originX: originX, width: width, unitBits: 8)
            var bytes = [UInt8](repeating: 0xFF, count: units * planes * height)
            let planeCount = planes
            bytes.withUnsafeMutableBufferPointer { out in
                source.withUnsafePixels { pixels in
                    for y in 0..<height {
                        // Walk the row with a running bit, collecting each byte's lit bits in
                        // registers and clearing them from the 1s when the byte is complete.
                        var index = y * units * planeCount
                        var bit = UInt8(0x80) >> UInt8(originX % 8)
                        var red: UInt8 = 0, green: UInt8 = 0
                        let row = y * width
                        for x in 0..<width {
                            let value = pixels[row + x]
                            if planeCount == 1 {
                                red |= bit & (0 &- UInt8(value != 0 ? 1 : 0))
                            } else {
                                red |= bit & (0 &- UInt8(truncatingIfNeeded: value & 1))
                                green |= bit & (0 &- UInt8(truncatingIfNeeded: value >> 1 & 1))
                            }
                            bit >>= 1
                            if bit == 0 || x == width - 1 {
                                out[index] = ~red
                                if planeCount == 2 { out[index + 1] = ~green }
                                red = 0
                                green = 0
                                bit = bit == 0 ? 0x80 : bit
                                index += planeCount
                            }
                        }
                    }
                }
            }
            return bytes
        case .sixthGeneration:
            let units = unitsPerRow(originX: originX, width: width, unitBits: 32)
            var words = [UInt32](repeating: 0xFFFF_FFFF, count: units * planes * height)
            let planeSize = units * height
            let planeCount = planes
            words.withUnsafeMutableBufferPointer { out in
                source.withUnsafePixels { pixels in
                    for y in 0..<height {
                        var index = y * units
                        var bit = UInt32(0x8000_0000) >> UInt32(originX % 32)
                        var red: UInt32 = 0, green: UInt32 = 0
                        let row = y * width
                        for x in 0..<width {
                            let value = pixels[row + x]
                            if planeCount == 1 {
                                red |= bit & (0 &- UInt32(value != 0 ? 1 : 0))
                            } else {
                                red |= bit & (0 &- (value & 1))
                                green |= bit & (0 &- (value >> 1 & 1))
                            }
                            bit >>= 1
                            if bit == 0 || x == width - 1 {
                                out[index] = ~red
                                if planeCount == 2 { out[planeSize + index] = ~green }
                                red = 0
                                green = 0
                                bit = bit == 0 ? 0x8000_0000 : bit
                                index += 1
                            }
                        }
                    }
                }
            }
            var bytes = [UInt8](repeating: 0, count: words.count * 4)
            bytes.withUnsafeMutableBufferPointer { out in
                for (index, word) in words.enumerated() {
                    out[4 * index] = UInt8(truncatingIfNeeded: word)
                    out[4 * index + 1] = UInt8(truncatingIfNeeded: word >> 8)
                    out[4 * index + 2] = UInt8(truncatingIfNeeded: word >> 16)
                    out[4 * index + 3] = UInt8(truncatingIfNeeded: word >> 24)
                }
            }
            return bytes
        }
    }

    /// The area's pixels back from `bytes`; nil when the count does not match the frame.
    public func decode(_ bytes: some Collection<UInt8>, frame: Rect) -> Bitmap? {
        let data = Array(bytes)
        guard frame.width > 0, frame.height > 0, data.count == byteCount(frame: frame) else { return nil }
        var bitmap = Bitmap(width: frame.width, height: frame.height, format: pixelFormat)
        let width = frame.width
        switch self {
        case .rgb888:
            for index in 0..<(width * frame.height) {
                bitmap[index % width, index / width] = UInt32(data[3 * index]) << 16 | UInt32(data[3 * index + 1]) << 8 | UInt32(data[3 * index + 2])
            }
        case .fifthGeneration:
            let units = unitsPerRow(originX: frame.x, width: width, unitBits: 8)
            for y in 0..<frame.height {
                for x in 0..<width {
                    let column = frame.x + x
                    let index = (y * units + column / 8 - frame.x / 8) * planes
                    let bit = UInt8(0x80) >> UInt8(column % 8)
                    var value: UInt32 = data[index] & bit == 0 ? (planes == 1 ? 1 : PixelFormat.bicolorRed) : 0
                    if planes == 2 && data[index + 1] & bit == 0 { value |= PixelFormat.bicolorGreen }
                    bitmap[x, y] = value
                }
            }
        case .sixthGeneration:
            let units = unitsPerRow(originX: frame.x, width: width, unitBits: 32)
            let planeSize = units * frame.height
            func word(_ index: Int) -> UInt32 {
                UInt32(data[4 * index]) | UInt32(data[4 * index + 1]) << 8 | UInt32(data[4 * index + 2]) << 16 | UInt32(data[4 * index + 3]) << 24
            }
            for y in 0..<frame.height {
                for x in 0..<width {
                    let column = frame.x + x
                    let index = y * units + column / 32 - frame.x / 32
                    let bit = UInt32(0x8000_0000) >> UInt32(column % 32)
                    var value: UInt32 = word(index) & bit == 0 ? (planes == 1 ? 1 : PixelFormat.bicolorRed) : 0
                    if planes == 2 && word(planeSize + index) & bit == 0 { value |= PixelFormat.bicolorGreen }
                    bitmap[x, y] = value
                }
            }
        }
        return bitmap
    }
}
