import WallboardExport
import WallboardRender

/// The browser's frame messages: the regions of a frame that changed, as RGB, zlib-compressed
/// (LED pictures are few colours in long runs: a scrolling ticker band shrinks tens of times).
///
/// Layout before compression (little-endian): width u16, height u16, region count u16, then per
/// region x, y, w, h (u16 each) followed by w×h×3 bytes of RGB, row by row. The first message of
/// a connection holds the whole frame. The page inflates with `DecompressionStream('deflate')`.
public enum FrameUpdates {
    /// Rows compared per band: a clock in one corner and a timer in another make two small
    /// regions rather than one that spans the board.
    public static let bandHeight = 16

    /// The regions of `frame` that differ from `previous` (all of it when there is none, or its
    /// size or format differs), banded and trimmed to the changed columns.
    public static func changedRegions(_ frame: Bitmap, since previous: Bitmap?) -> [Rect] {
        guard let previous, previous.width == frame.width, previous.height == frame.height, previous.format == frame.format else {
            return [frame.bounds]
        }
        var regions: [Rect] = []
        var bandTop = 0
        while bandTop < frame.height {
            let band = bandTop..<min(frame.height, bandTop + bandHeight)
            let changed = frame.withUnsafePixels { new in
                previous.withUnsafePixels { old in changedRect(in: band, of: new, since: old, width: frame.width) }
            }
            if let region = changed {
                // Join a region to the one above it when they touch and share columns.
                if let above = regions.last, above.maxY == region.y, above.x == region.x, above.width == region.width {
                    regions[regions.count - 1] = Rect(x: above.x, y: above.y, width: above.width, height: above.height + region.height)
                } else {
                    regions.append(region)
                }
            }
            bandTop = band.upperBound
        }
        return regions
    }

    /// The smallest rectangle holding the pixels of `rows` where `new` differs from `old` (both
    /// `width` to a row); nil when those rows are the same.
    private static func changedRect(in rows: Range<Int>, of new: UnsafeBufferPointer<UInt32>, since old: UnsafeBufferPointer<UInt32>, width: Int) -> Rect? {
        var minX = width, maxX = -1, minY = rows.upperBound, maxY = -1
        for y in rows {
            let row = y * width
            var x = 0
            while x < width, new[row + x] == old[row + x] { x += 1 }
            guard x < width else { continue }
            var last = width - 1
            while new[row + last] == old[row + last] { last -= 1 }
            minX = min(minX, x)
            maxX = max(maxX, last)
            minY = min(minY, y)
            maxY = y
        }
        guard maxX >= 0 else { return nil }
        return Rect(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }

    /// The compressed message for `regions` of `frame`; nil when nothing changed.
    public static func message(_ frame: Bitmap, regions: [Rect]) -> [UInt8]? {
        // zlib at its fastest level: the service compresses every frame it sends.
        rawMessage(frame, regions: regions).map { Zlib.compress($0, level: .fastest) }
    }

    /// The uncompressed message.
    static func rawMessage(_ frame: Bitmap, regions: [Rect]) -> [UInt8]? {
        guard !regions.isEmpty else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(6 + regions.reduce(0) { $0 + 8 + $1.width * $1.height * 3 })
        func put(_ value: Int) {
            bytes.append(UInt8(value & 0xFF))
            bytes.append(UInt8((value >> 8) & 0xFF))
        }
        put(frame.width)
        put(frame.height)
        put(regions.count)
        let format = frame.format
        frame.withUnsafePixels { pixels in
            for region in regions {
                put(region.x)
                put(region.y)
                put(region.width)
                put(region.height)
                for y in region.y..<region.maxY {
                    let row = y * frame.width
                    for x in region.x..<region.maxX {
                        let rgb = format.colour(of: pixels[row + x])
                        bytes.append(rgb.r)
                        bytes.append(rgb.g)
                        bytes.append(rgb.b)
                    }
                }
            }
        }
        return bytes
    }
}
