import WallboardRender
import WallboardText

/// A TrueType font made from a bitmap font chain, for pages that must show the project's own
/// glyphs on machines with no CJK font.
///
/// Every lit pixel becomes part of a square-cornered outline, whole font units to a pixel, with
/// the em as tall as the chain's line: a page that sets `font-size` to the line height (or a
/// whole multiple of it) gets the bitmap glyphs exactly, pixel for pixel.
public enum TrueTypeFont {
    /// The font for the code points `codes` of `chain` (those it has; each from the first font of
    /// the chain that draws it). `family` names it in its `name` table.
    public static func make(chain: FontChain, family: String, codes: [UInt32]) -> [UInt8] {
        let unitsPerPixel = unitsPerPixel(lineHeight: chain.lineHeight)
        var glyphs = [Glyph(advance: chain.replacementAdvance * unitsPerPixel, rectangles: [])]
        var mapped: [(code: UInt32, glyph: Int)] = []
        for code in Set(codes).sorted() where code <= 0xFFFF {
            guard let scalar = Unicode.Scalar(code), let glyph = Glyph(scalar, chain: chain, unitsPerPixel: unitsPerPixel) else { continue }
            mapped.append((code, glyphs.count))
            glyphs.append(glyph)
        }
        let metrics = FontMetrics(
            unitsPerEm: chain.lineHeight * unitsPerPixel, ascent: chain.ascent * unitsPerPixel, descent: chain.descent * unitsPerPixel,
            unitsPerPixel: unitsPerPixel
        )
        var glyf = ByteWriter(), loca = ByteWriter()
        for glyph in glyphs {
            loca.u32(UInt32(glyf.bytes.count))
            glyph.write(to: &glyf)
            glyf.pad()
        }
        loca.u32(UInt32(glyf.bytes.count))
        let tables: [(tag: String, bytes: [UInt8])] = [
            ("OS/2", os2(metrics, glyphs: glyphs, mapped: mapped)),
            ("cmap", cmap(mapped)),
            ("glyf", glyf.bytes),
            ("head", head(metrics, glyphs: glyphs)),
            ("hhea", hhea(metrics, glyphs: glyphs)),
            ("hmtx", hmtx(glyphs)),
            ("loca", loca.bytes),
            ("maxp", maxp(glyphs)),
            ("name", name(family: family)),
            ("post", post(metrics)),
        ]
        return assemble(tables)
    }

    /// Font units per pixel: one, or more where the line is shorter than the 16 units an em needs at least.
    public static func unitsPerPixel(lineHeight: Int) -> Int {
        max(1, (16 + lineHeight - 1) / max(1, lineHeight))
    }

    struct FontMetrics {
        var unitsPerEm: Int
        var ascent: Int
        var descent: Int
        var unitsPerPixel: Int
    }

    /// A glyph as rectangles in font units, y up from the baseline.
    struct Glyph {
        var advance: Int
        var rectangles: [(x0: Int, y0: Int, x1: Int, y1: Int)]

        init(advance: Int, rectangles: [(x0: Int, y0: Int, x1: Int, y1: Int)]) {
            self.advance = advance
            self.rectangles = rectangles
        }

        /// The glyph of the first font of `chain` that has `scalar`, its pixel runs merged
        /// downwards into rectangles; nil when no font has it.
        init?(_ scalar: Unicode.Scalar, chain: FontChain, unitsPerPixel k: Int) {
            guard let font = chain.fonts.first(where: { $0.contains(scalar) }), let metrics = font.metrics(for: scalar) else { return nil }
            advance = metrics.advance * k
            rectangles = []
            guard metrics.width > 0, metrics.height > 0 else { return }
            var canvas = Canvas(width: metrics.width, height: metrics.height, format: .mono)
            _ = font.draw(scalar, on: &canvas, x: -metrics.xOffset, baseline: metrics.height + metrics.yOffset, colour: .on)
            let bitmap = canvas.bitmap
            // Runs still growing downwards: columns [start, end) → the row they began on.
            var open: [Range<Int>: Int] = [:]
            func close(_ run: Range<Int>, from top: Int, to bottom: Int) {
                let yTop = metrics.yOffset + metrics.height - top, yBottom = metrics.yOffset + metrics.height - bottom
                rectangles.append(((metrics.xOffset + run.lowerBound) * k, yBottom * k, (metrics.xOffset + run.upperBound) * k, yTop * k))
            }
            for row in 0...bitmap.height {
                var runs: [Range<Int>] = []
                if row < bitmap.height {
                    var x = 0
                    while x < bitmap.width {
                        guard bitmap.isLit(x: x, y: row) else {
                            x += 1
                            continue
                        }
                        let start = x
                        while x < bitmap.width, bitmap.isLit(x: x, y: row) { x += 1 }
                        runs.append(start..<x)
                    }
                }
                let continuing = Set(runs)
                for (run, top) in open where !continuing.contains(run) {
                    close(run, from: top, to: row)
                    open[run] = nil
                }
                for run in runs where open[run] == nil { open[run] = row }
            }
            rectangles.sort { ($0.y1, $0.x0) > ($1.y1, $1.x0) }
        }

        var bounds: (x0: Int, y0: Int, x1: Int, y1: Int)? {
            guard let first = rectangles.first else { return nil }
            return rectangles.dropFirst().reduce(first) { (min($0.x0, $1.x0), min($0.y0, $1.y0), max($0.x1, $1.x1), max($0.y1, $1.y1)) }
        }

        var pointCount: Int { rectangles.count * 4 }

        /// A simple glyph: each rectangle one clockwise contour of four on-curve points.
        func write(to out: inout ByteWriter) {
            guard let bounds else { return }
            out.i16(rectangles.count)
            out.i16(bounds.x0)
            out.i16(bounds.y0)
            out.i16(bounds.x1)
            out.i16(bounds.y1)
            for index in rectangles.indices { out.u16(index * 4 + 3) }
            out.u16(0)
            var points: [(Int, Int)] = []
            for r in rectangles {
                points += [(r.x0, r.y0), (r.x0, r.y1), (r.x1, r.y1), (r.x1, r.y0)]
            }
            var flags: [UInt8] = [], xs = ByteWriter(), ys = ByteWriter()
            var (px, py) = (0, 0)
            for (x, y) in points {
                var flag: UInt8 = 0x01
                flag |= Self.delta(x - px, short: 0x02, same: 0x10, into: &xs)
                flag |= Self.delta(y - py, short: 0x04, same: 0x20, into: &ys)
                flags.append(flag)
                (px, py) = (x, y)
            }
            out.bytes += flags
            out.bytes += xs.bytes
            out.bytes += ys.bytes
        }

        /// Writes one coordinate delta in its shortest form and returns its flag bits.
        static func delta(_ value: Int, short: UInt8, same: UInt8, into out: inout ByteWriter) -> UInt8 {
            if value == 0 { return same }
            if abs(value) <= 255 {
                out.bytes.append(UInt8(abs(value)))
                return value > 0 ? short | same : short
            }
            out.i16(value)
            return 0
        }
    }

    static func head(_ metrics: FontMetrics, glyphs: [Glyph]) -> [UInt8] {
        let all = glyphs.compactMap(\.bounds)
        var out = ByteWriter()
        out.u32(0x0001_0000)
        out.u32(0x0001_0000)
        out.u32(0)  // checkSumAdjustment, set when the font is assembled
        out.u32(0x5F0F_3CF5)
        // Baseline at y = 0, left side bearing at x = 0, integer scaling.
        out.u16(0x000B)
        out.u16(metrics.unitsPerEm)
        out.u32(0); out.u32(0); out.u32(0); out.u32(0)
        out.i16(all.map(\.x0).min() ?? 0)
        out.i16(all.map(\.y0).min() ?? 0)
        out.i16(all.map(\.x1).max() ?? 0)
        out.i16(all.map(\.y1).max() ?? 0)
        out.u16(0)
        out.u16(8)
        out.i16(2)
        out.i16(1)  // long loca offsets
        out.i16(0)
        return out.bytes
    }

    static func hhea(_ metrics: FontMetrics, glyphs: [Glyph]) -> [UInt8] {
        var out = ByteWriter()
        out.u32(0x0001_0000)
        out.i16(metrics.ascent)
        out.i16(-metrics.descent)
        out.i16(0)
        out.u16(glyphs.map(\.advance).max() ?? 0)
        out.i16(glyphs.compactMap(\.bounds?.x0).min() ?? 0)
        out.i16(glyphs.compactMap { glyph in glyph.bounds.map { glyph.advance - $0.x1 } }.min() ?? 0)
        out.i16(glyphs.compactMap(\.bounds?.x1).max() ?? 0)
        out.i16(1)
        out.i16(0)
        out.i16(0)
        for _ in 0..<5 { out.i16(0) }
        out.u16(glyphs.count)
        return out.bytes
    }

    static func hmtx(_ glyphs: [Glyph]) -> [UInt8] {
        var out = ByteWriter()
        for glyph in glyphs {
            out.u16(glyph.advance)
            out.i16(glyph.bounds?.x0 ?? 0)
        }
        return out.bytes
    }

    static func maxp(_ glyphs: [Glyph]) -> [UInt8] {
        var out = ByteWriter()
        out.u32(0x0001_0000)
        out.u16(glyphs.count)
        out.u16(glyphs.map(\.pointCount).max() ?? 0)
        out.u16(glyphs.map(\.rectangles.count).max() ?? 0)
        out.u16(0); out.u16(0)
        out.u16(2)
        for _ in 0..<8 { out.u16(0) }
        return out.bytes
    }

    static func os2(_ metrics: FontMetrics, glyphs: [Glyph], mapped: [(code: UInt32, glyph: Int)]) -> [UInt8] {
        let k = metrics.unitsPerPixel
        let advances = glyphs.dropFirst().map(\.advance)
        var out = ByteWriter()
        out.u16(4)
        out.i16(advances.isEmpty ? 0 : advances.reduce(0, +) / advances.count)
        out.u16(400)
        out.u16(5)
        out.u16(0)  // fsType: installable embedding
        // Sub- and superscript sizes and offsets, strikeout size and position.
        for value in [metrics.unitsPerEm / 2, metrics.unitsPerEm / 2, 0, k, metrics.unitsPerEm / 2, metrics.unitsPerEm / 2, 0, metrics.ascent / 2, k, metrics.ascent / 3] {
            out.i16(value)
        }
        out.i16(0)
        out.bytes += [UInt8](repeating: 0, count: 10)
        out.u32(0); out.u32(0); out.u32(0); out.u32(0)
        out.bytes += Array("WLBD".utf8)
        out.u16(0x00C0)  // regular, use the typographic metrics
        out.u16(Int(mapped.first?.code ?? 0))
        out.u16(Int(mapped.last?.code ?? 0))
        out.i16(metrics.ascent)
        out.i16(-metrics.descent)
        out.i16(0)
        out.u16(metrics.ascent)
        out.u16(metrics.descent)
        out.u32(0); out.u32(0)
        out.i16(metrics.ascent / 2)
        out.i16(metrics.ascent * 3 / 4)
        out.u16(0)
        out.u16(0x20)
        out.u16(1)
        return out.bytes
    }

    /// A format 4 map: one segment per stretch of consecutive code points (their glyphs are consecutive too).
    static func cmap(_ mapped: [(code: UInt32, glyph: Int)]) -> [UInt8] {
        var segments: [(start: Int, end: Int, glyph: Int)] = []
        for (code, glyph) in mapped {
            if let last = segments.last, last.end + 1 == Int(code), last.glyph + (last.end - last.start) + 1 == glyph {
                segments[segments.count - 1].end = Int(code)
            } else {
                segments.append((Int(code), Int(code), glyph))
            }
        }
        if segments.last?.end == 0xFFFF { segments[segments.count - 1].end = 0xFFFE }
        segments.append((0xFFFF, 0xFFFF, 0))
        let count = segments.count
        var power = 1, log = 0
        while power * 2 <= count {
            power *= 2
            log += 1
        }
        var table = ByteWriter()
        table.u16(4)
        table.u16(16 + count * 8)
        table.u16(0)
        table.u16(count * 2)
        table.u16(power * 2)
        table.u16(log)
        table.u16(count * 2 - power * 2)
        for segment in segments { table.u16(segment.end) }
        table.u16(0)
        for segment in segments { table.u16(segment.start) }
        for segment in segments { table.u16((segment.glyph - segment.start + 0x10000) & 0xFFFF) }
        for _ in segments { table.u16(0) }
        var out = ByteWriter()
        out.u16(0)
        out.u16(1)
        out.u16(3)
        out.u16(1)
        out.u32(12)
        return out.bytes + table.bytes
    }

    static func name(family: String) -> [UInt8] {
        let postScript = String(family.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) }.map(Character.init))
        let records: [(id: Int, text: String)] = [
            (1, family), (2, "Regular"), (3, family + " Regular"), (4, family), (5, "Version 1.0"), (6, postScript.isEmpty ? "Wallboard" : postScript),
        ]
        var strings = ByteWriter(), out = ByteWriter()
        out.u16(0)
        out.u16(records.count)
        out.u16(6 + records.count * 12)
        for (id, text) in records {
            let start = strings.bytes.count
            for unit in text.utf16 { strings.u16(Int(unit)) }
            out.u16(3)
            out.u16(1)
            out.u16(0x0409)
            out.u16(id)
            out.u16(strings.bytes.count - start)
            out.u16(start)
        }
        return out.bytes + strings.bytes
    }

    static func post(_ metrics: FontMetrics) -> [UInt8] {
        var out = ByteWriter()
        out.u32(0x0003_0000)
        out.u32(0)
        out.i16(-metrics.unitsPerPixel)
        out.i16(metrics.unitsPerPixel)
        for _ in 0..<5 { out.u32(0) }
        return out.bytes
    }

    /// The table directory, the tables padded to four bytes, and the whole font's checksum in `head`.
    static func assemble(_ tables: [(tag: String, bytes: [UInt8])]) -> [UInt8] {
        var power = 1, log = 0
        while power * 2 <= tables.count {
            power *= 2
            log += 1
        }
        var out = ByteWriter()
        out.u32(0x0001_0000)
        out.u16(tables.count)
        out.u16(power * 16)
        out.u16(log)
        out.u16(tables.count * 16 - power * 16)
        var offset = 12 + tables.count * 16
        var headOffset = 0
        for table in tables {
            out.bytes += Array(table.tag.utf8)
            out.u32(checksum(table.bytes))
            out.u32(UInt32(offset))
            out.u32(UInt32(table.bytes.count))
            if table.tag == "head" { headOffset = offset }
            offset += (table.bytes.count + 3) & ~3
        }
        for table in tables {
            out.bytes += table.bytes
            out.pad()
        }
        let adjustment = 0xB1B0_AFBA &- checksum(out.bytes)
        let position = headOffset + 8
        for index in 0..<4 { out.bytes[position + index] = UInt8(truncatingIfNeeded: adjustment >> (24 - 8 * UInt32(index))) }
        return out.bytes
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var sum: UInt32 = 0
        var index = 0
        while index < bytes.count {
            var word: UInt32 = 0
            for offset in 0..<4 {
                word = word << 8 | UInt32(index + offset < bytes.count ? bytes[index + offset] : 0)
            }
            sum = sum &+ word
            index += 4
        }
        return sum
    }
}

/// Big-endian numbers into a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u16(_ value: Int) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func i16(_ value: Int) { u16(value & 0xFFFF) }

    mutating func u32(_ value: UInt32) {
        for shift in [24, 16, 8, 0] { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func pad() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }
}
