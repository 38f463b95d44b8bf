import CZlib
import WallboardRender

/// PNG files (8-bit RGB, zlib-compressed) for people and for golden tests.
public enum PNG {
    public struct DecodeError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = "PNG: \(description)" }
    }

    /// An RGB image decoded from a PNG file.
    public struct Image: Equatable, Sendable {
        public let width: Int
        public let height: Int
        /// Row-major RGB triples.
        public let rgb: [UInt8]

        public func colour(x: Int, y: Int) -> RGB {
            let index = (y * width + x) * 3
            return RGB(rgb[index], rgb[index + 1], rgb[index + 2])
        }
    }

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Encodes `bitmap` as an RGB PNG; each pixel is `scale` × `scale` (plain squares) or, with
    /// `ledDots`, a round LED dot on a dark board.
    public static func encode(_ bitmap: Bitmap, scale: Int = 1, ledDots: Bool = false) -> [UInt8] {
        let image = RGBImage(bitmap, scale: max(1, scale), ledDots: ledDots)
        return encode(width: image.width, height: image.height, rgb: image.rgb)
    }

    /// Encodes row-major RGB triples as a PNG.
    public static func encode(width: Int, height: Int, rgb: [UInt8]) -> [UInt8] {
        precondition(rgb.count == width * height * 3, "PNG.encode needs width × height × 3 bytes")
        var raw: [UInt8] = []
        raw.reserveCapacity((width * 3 + 1) * height)
        for row in 0..<height {
            raw.append(0)
            raw.append(contentsOf: rgb[(row * width * 3)..<((row + 1) * width * 3)])
        }
        var file = signature
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, 2, 0, 0, 0])
        file.appendChunk("IHDR", header)
        file.appendChunk("IDAT", Zlib.compress(raw))
        file.appendChunk("IEND", [])
        return file
    }

    /// Decodes an 8-bit, non-interlaced RGB, RGBA, grey or grey+alpha PNG (alpha is dropped).
    public static func decode(_ data: [UInt8]) throws -> Image {
        guard data.count >= 8, Array(data[0..<8]) == signature else { throw DecodeError("not a PNG file") }
        var offset = 8
        var width = 0, height = 0, colourType: UInt8 = 0
        var compressed: [UInt8] = []
        var palette: [UInt8] = []
        while offset + 8 <= data.count {
            let length = Int(data.readBigEndian(at: offset))
            let type = String(decoding: data[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let start = offset + 8
            guard length >= 0, start + length + 4 <= data.count else { throw DecodeError("chunk \(type) runs past the end") }
            let body = Array(data[start..<(start + length)])
            switch type {
            case "IHDR":
                guard body.count == 13 else { throw DecodeError("IHDR has \(body.count) bytes") }
                width = Int(body.readBigEndian(at: 0))
                height = Int(body.readBigEndian(at: 4))
                colourType = body[9]
                guard body[8] == 8 else { throw DecodeError("bit depth \(body[8]) is not supported (8 only)") }
                guard body[12] == 0 else { throw DecodeError("interlaced images are not supported") }
            case "PLTE":
                palette = body
            case "IDAT":
                compressed.append(contentsOf: body)
            case "IEND":
                offset = data.count
                continue
            default:
                break
            }
            offset = start + length + 4
        }
        let channels: Int
        switch colourType {
        case 0: channels = 1
        case 2: channels = 3
        case 3: channels = 1
        case 4: channels = 2
        case 6: channels = 4
        default: throw DecodeError("colour type \(colourType) is not supported")
        }
        guard width > 0, height > 0 else { throw DecodeError("missing or empty IHDR") }
        let stride = width * channels
        let raw = try Zlib.decompress(compressed, expectedSize: (stride + 1) * height)
        guard raw.count == (stride + 1) * height else { throw DecodeError("image data has \(raw.count) bytes, expected \((stride + 1) * height)") }
        let pixels = try unfilter(raw, stride: stride, height: height, bytesPerPixel: channels)
        var rgb: [UInt8] = []
        rgb.reserveCapacity(width * height * 3)
        for index in 0..<(width * height) {
            let base = index * channels
            switch colourType {
            case 0, 4:
                rgb.append(contentsOf: [pixels[base], pixels[base], pixels[base]])
            case 3:
                let entry = Int(pixels[base]) * 3
                guard entry + 2 < palette.count else { throw DecodeError("palette index \(pixels[base]) out of range") }
                rgb.append(contentsOf: palette[entry...(entry + 2)])
            default:
                rgb.append(contentsOf: pixels[base...(base + 2)])
            }
        }
        return Image(width: width, height: height, rgb: rgb)
    }

    private static func unfilter(_ raw: [UInt8], stride: Int, height: Int, bytesPerPixel: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: stride * height)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            let source = row * (stride + 1) + 1
            let target = row * stride
            for column in 0..<stride {
                let value = raw[source + column]
                let left = column >= bytesPerPixel ? output[target + column - bytesPerPixel] : 0
                let up = row > 0 ? output[target - stride + column] : 0
                let upLeft = row > 0 && column >= bytesPerPixel ? output[target - stride + column - bytesPerPixel] : 0
                let predicted: UInt8
                switch filter {
                case 0: predicted = 0
                case 1: predicted = left
                case 2: predicted = up
                case 3: predicted = UInt8((Int(left) + Int(up)) / 2)
                case 4: predicted = paeth(left, up, upLeft)
                default: throw DecodeError("row \(row) has unknown filter \(filter)")
                }
                output[target + column] = value &+ predicted
            }
        }
        return output
    }

    private static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }
}

/// A bitmap turned into RGB triples for people to look at, optionally magnified.
struct RGBImage {
    let width: Int
    let height: Int
    let rgb: [UInt8]

    /// The board's background between LED dots, and the colour of an unlit dot.
    static let boardColour = RGB(16, 16, 16)
    static let unlitDot = RGB(48, 48, 48)

    init(_ bitmap: Bitmap, scale: Int, ledDots: Bool) {
        width = bitmap.width * scale
        height = bitmap.height * scale
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        let dotMask = ledDots ? RGBImage.dotMask(scale: scale) : [Bool](repeating: true, count: scale * scale)
        let outside = ledDots ? RGBImage.boardColour : .black
        for y in 0..<bitmap.height {
            for x in 0..<bitmap.width {
                let value = bitmap[x, y]
                var colour = bitmap.format.colour(of: value)
                if ledDots && value == 0 { colour = RGBImage.unlitDot }
                for dy in 0..<scale {
                    var index = ((y * scale + dy) * width + x * scale) * 3
                    for dx in 0..<scale {
                        let shown = dotMask[dy * scale + dx] ? colour : outside
                        bytes[index] = shown.r
                        bytes[index + 1] = shown.g
                        bytes[index + 2] = shown.b
                        index += 3
                    }
                }
            }
        }
        rgb = bytes
    }

    /// A filled circle in a `scale` × `scale` cell, leaving a gap between neighbouring dots.
    static func dotMask(scale: Int) -> [Bool] {
        guard scale >= 3 else { return [Bool](repeating: true, count: scale * scale) }
        let centre = Double(scale - 1) / 2
        let radius = Double(scale) * 0.4
        var mask: [Bool] = []
        for dy in 0..<scale {
            for dx in 0..<scale {
                let distanceX = Double(dx) - centre, distanceY = Double(dy) - centre
                mask.append(distanceX * distanceX + distanceY * distanceY <= radius * radius)
            }
        }
        return mask
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)])
    }

    func readBigEndian(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }

    mutating func appendChunk(_ type: String, _ body: [UInt8]) {
        appendBigEndian(UInt32(body.count))
        let typeAndBody = Array(type.utf8) + body
        append(contentsOf: typeAndBody)
        appendBigEndian(Zlib.crc32(typeAndBody))
    }
}
