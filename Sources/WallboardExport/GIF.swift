import WallboardRender

/// Animated GIF (GIF89a) of board frames, for replays and for people to view.
public enum GIF {
    /// One frame: the bitmap and how long it stays, in hundredths of a second.
    public struct Frame: Sendable {
        public let bitmap: Bitmap
        public let centiseconds: Int

        public init(_ bitmap: Bitmap, centiseconds: Int) {
            self.bitmap = bitmap
            self.centiseconds = centiseconds
        }
    }

    /// Encodes frames (all of the first frame's size) as a looping GIF, each pixel magnified to
    /// `scale` × `scale`, as LED dots when `ledDots` is set. Frames with more than 256 colours in
    /// all are reduced to a 6×6×6 colour cube.
    public static func encode(_ frames: [Frame], scale: Int = 1, ledDots: Bool = false) -> [UInt8] {
        guard let first = frames.first else { return [] }
        let images = frames.map { RGBImage($0.bitmap, scale: max(1, scale), ledDots: ledDots) }
        let width = first.bitmap.width * max(1, scale), height = first.bitmap.height * max(1, scale)
        let palette = Palette(images.map(\.rgb))

        var out: [UInt8] = Array("GIF89a".utf8)
        out.appendLittleEndian16(width)
        out.appendLittleEndian16(height)
        out.append(0xF0 | UInt8(palette.sizeExponent - 1))
        out.append(contentsOf: [0, 0])
        out.append(contentsOf: palette.table)
        // NETSCAPE2.0 application extension: loop forever.
        out.append(contentsOf: [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01, 0x00, 0x00, 0x00])
        for (frame, image) in zip(frames, images) {
            out.append(contentsOf: [0x21, 0xF9, 0x04, 0x00])
            out.appendLittleEndian16(max(0, min(frame.centiseconds, 0xFFFF)))
            out.append(contentsOf: [0x00, 0x00])
            out.append(0x2C)
            out.appendLittleEndian16(0)
            out.appendLittleEndian16(0)
            out.appendLittleEndian16(image.width)
            out.appendLittleEndian16(image.height)
            out.append(0x00)
            let indices = palette.indices(of: image.rgb, width: image.width, height: image.height, frameWidth: width, frameHeight: height)
            let minimumCodeSize = max(2, palette.sizeExponent)
            out.append(UInt8(minimumCodeSize))
            let data = LZW.encode(indices, minimumCodeSize: minimumCodeSize)
            var offset = 0
            while offset < data.count {
                let length = min(255, data.count - offset)
                out.append(UInt8(length))
                out.append(contentsOf: data[offset..<(offset + length)])
                offset += length
            }
            out.append(0x00)
        }
        out.append(0x3B)
        return out
    }

    /// The global colour table: the exact colours when they fit, else a 6×6×6 cube.
    struct Palette {
        let colours: [UInt32]
        let lookup: [UInt32: UInt8]
        let exact: Bool
        let sizeExponent: Int

        init(_ images: [[UInt8]]) {
            var seen: [UInt32: UInt8] = [:]
            var ordered: [UInt32] = []
            var fits = true
            scan: for rgb in images {
                var index = 0
                while index < rgb.count {
                    let packed = UInt32(rgb[index]) << 16 | UInt32(rgb[index + 1]) << 8 | UInt32(rgb[index + 2])
                    if seen[packed] == nil {
                        guard ordered.count < 256 else {
                            fits = false
                            break scan
                        }
                        seen[packed] = UInt8(ordered.count)
                        ordered.append(packed)
                    }
                    index += 3
                }
            }
            if fits {
                colours = ordered.isEmpty ? [0] : ordered
                lookup = seen
            } else {
                colours = (0..<216).map { index in
                    let levels: [UInt32] = [0, 51, 102, 153, 204, 255]
                    return levels[index / 36] << 16 | levels[(index / 6) % 6] << 8 | levels[index % 6]
                }
                lookup = [:]
            }
            exact = fits
            var exponent = 1
            while (1 << exponent) < colours.count { exponent += 1 }
            sizeExponent = exponent
        }

        var table: [UInt8] {
            var bytes: [UInt8] = []
            for index in 0..<(1 << sizeExponent) {
                let colour = index < colours.count ? colours[index] : 0
                bytes.append(contentsOf: [UInt8(colour >> 16), UInt8(truncatingIfNeeded: colour >> 8), UInt8(truncatingIfNeeded: colour)])
            }
            return bytes
        }

        func indices(of rgb: [UInt8], width: Int, height: Int, frameWidth: Int, frameHeight: Int) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: frameWidth * frameHeight)
            for y in 0..<min(height, frameHeight) {
                for x in 0..<min(width, frameWidth) {
                    let base = (y * width + x) * 3
                    let r = rgb[base], g = rgb[base + 1], b = rgb[base + 2]
                    if exact {
                        result[y * frameWidth + x] = lookup[UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)] ?? 0
                    } else {
                        let level = { (channel: UInt8) in (Int(channel) + 25) / 51 }
                        result[y * frameWidth + x] = UInt8(level(r) * 36 + level(g) * 6 + level(b))
                    }
                }
            }
            return result
        }
    }
}

/// GIF's variable-width LZW.
enum LZW {
    static func encode(_ indices: [UInt8], minimumCodeSize: Int) -> [UInt8] {
        let clearCode = 1 << minimumCodeSize
        let endCode = clearCode + 1
        var writer = BitWriter()
        var codeSize = minimumCodeSize + 1
        var nextCode = endCode + 1
        var table: [Int: Int] = [:]
        writer.write(clearCode, bits: codeSize)
        guard var prefix = indices.first.map(Int.init) else {
            writer.write(endCode, bits: codeSize)
            return writer.bytes
        }
        for index in indices.dropFirst() {
            let key = prefix << 8 | Int(index)
            if let code = table[key] {
                prefix = code
                continue
            }
            writer.write(prefix, bits: codeSize)
            if nextCode < 4096 {
                table[key] = nextCode
                nextCode += 1
                if nextCode > (1 << codeSize) && codeSize < 12 { codeSize += 1 }
            } else {
                writer.write(clearCode, bits: codeSize)
                table.removeAll(keepingCapacity: true)
                codeSize = minimumCodeSize + 1
                nextCode = endCode + 1
            }
            prefix = Int(index)
        }
        writer.write(prefix, bits: codeSize)
        writer.write(endCode, bits: codeSize)
        return writer.bytes
    }

    /// Decodes GIF LZW data back to colour indices (used by the tests to check the encoder).
    static func decode(_ data: [UInt8], minimumCodeSize: Int) -> [UInt8] {
        let clearCode = 1 << minimumCodeSize
        let endCode = clearCode + 1
        var codeSize = minimumCodeSize + 1
        var dictionary: [[UInt8]] = (0..<clearCode).map { [UInt8($0)] } + [[], []]
        var previous: [UInt8]? = nil
        var output: [UInt8] = []
        var bitBuffer = 0, bitCount = 0, position = 0
        while true {
            while bitCount < codeSize {
                guard position < data.count else { return output }
                bitBuffer |= Int(data[position]) << bitCount
                bitCount += 8
                position += 1
            }
            let code = bitBuffer & ((1 << codeSize) - 1)
            bitBuffer >>= codeSize
            bitCount -= codeSize
            if code == clearCode {
                dictionary = (0..<clearCode).map { [UInt8($0)] } + [[], []]
                codeSize = minimumCodeSize + 1
                previous = nil
                continue
            }
            if code == endCode { return output }
            let entry: [UInt8]
            if code < dictionary.count {
                entry = dictionary[code]
            } else if let previous, code == dictionary.count {
                entry = previous + [previous[0]]
            } else {
                return output
            }
            output.append(contentsOf: entry)
            if let previous, dictionary.count < 4096 {
                dictionary.append(previous + [entry[0]])
                if dictionary.count == (1 << codeSize) && codeSize < 12 { codeSize += 1 }
            }
            previous = entry
        }
    }
}

/// Packs codes least-significant bit first, as GIF wants.
struct BitWriter {
    private var written: [UInt8] = []
    private var buffer = 0
    private var count = 0

    mutating func write(_ code: Int, bits: Int) {
        buffer |= code << count
        count += bits
        while count >= 8 {
            written.append(UInt8(buffer & 0xFF))
            buffer >>= 8
            count -= 8
        }
    }

    /// Everything written so far, the last partial byte padded with zeros.
    var bytes: [UInt8] { count > 0 ? written + [UInt8(buffer & 0xFF)] : written }
}

extension [UInt8] {
    mutating func appendLittleEndian16(_ value: Int) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }
}
