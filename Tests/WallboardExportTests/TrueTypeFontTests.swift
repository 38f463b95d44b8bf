import Testing
@testable import WallboardExport
import WallboardRender
import WallboardTestKit
import WallboardText

/// The TrueType made from a bitmap font, read back with a small reader of its own tables: the
/// outlines filled are the bitmap glyphs, the metrics are the font's, and the file's checksums hold.
@Suite struct TrueTypeFontTests {
    /// Ascent 5, descent 1: 中 with a stroke below the baseline, 'A', and a space.
    static func chain() throws -> FontChain {
        let font = try Font(bdf: Array(bdfText(ascent: 5, descent: 1, [
            TestGlyph(" ", advance: 3, box: (0, 0, 0, 0), []),
            TestGlyph("A", advance: 4, box: (3, 4, 0, 0), [".#.", "#.#", "###", "#.#"]),
            TestGlyph("中", advance: 6, box: (5, 6, 0, -1), ["..#..", "#####", "#.#.#", "#####", "..#..", "..#.."]),
        ]).utf8), name: "tiny")
        return FontChain(font)
    }

    /// Just enough of a TrueType reader for the fonts `TrueTypeFont` writes.
    struct Reader {
        let bytes: [UInt8]
        var tables: [String: (offset: Int, length: Int)] = [:]

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            let count = Int(u16(4))
            for index in 0..<count {
                let record = 12 + index * 16
                let tag = String(decoding: bytes[record..<record + 4], as: UTF8.self)
                tables[tag] = (Int(u32(record + 8)), Int(u32(record + 12)))
            }
        }

        func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1]) }
        func i16(_ at: Int) -> Int { Int(Int16(bitPattern: u16(at))) }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) << 16 | UInt32(u16(at + 2)) }
        func table(_ tag: String) -> Int { tables[tag]?.offset ?? 0 }

        var unitsPerEm: Int { Int(u16(table("head") + 18)) }
        var ascender: Int { i16(table("hhea") + 4) }
        var descender: Int { i16(table("hhea") + 6) }

        /// The glyph for `code` through the format 4 map.
        func glyph(for code: Int) -> Int {
            let map = table("cmap") + Int(u32(table("cmap") + 8))
            let segments = Int(u16(map + 6)) / 2
            let ends = map + 14, starts = ends + segments * 2 + 2, deltas = starts + segments * 2
            for segment in 0..<segments where Int(u16(ends + segment * 2)) >= code {
                guard Int(u16(starts + segment * 2)) <= code else { return 0 }
                return (code + Int(u16(deltas + segment * 2))) & 0xFFFF
            }
            return 0
        }

        func advance(of glyph: Int) -> Int { Int(u16(table("hmtx") + glyph * 4)) }

        /// The glyph's contours as lists of points, y up.
        func contours(of glyph: Int) -> [[(x: Int, y: Int)]] {
            let start = Int(u32(table("loca") + glyph * 4)), end = Int(u32(table("loca") + glyph * 4 + 4))
            guard end > start else { return [] }
            var at = table("glyf") + start
            let count = i16(at)
            at += 10
            let ends = (0..<count).map { Int(u16(at + $0 * 2)) }
            at += count * 2
            at += 2 + Int(u16(at))
            let points = (ends.last ?? -1) + 1
            var flags: [UInt8] = []
            while flags.count < points {
                let flag = bytes[at]
                at += 1
                flags.append(flag)
                if flag & 0x08 != 0 {
                    flags += repeatElement(flag, count: Int(bytes[at]))
                    at += 1
                }
            }
            func coordinates(short: UInt8, same: UInt8) -> [Int] {
                var value = 0
                return flags.map { flag in
                    if flag & short != 0 {
                        value += flag & same != 0 ? Int(bytes[at]) : -Int(bytes[at])
                        at += 1
                    } else if flag & same == 0 {
                        value += i16(at)
                        at += 2
                    }
                    return value
                }
            }
            let xs = coordinates(short: 0x02, same: 0x10), ys = coordinates(short: 0x04, same: 0x20)
            var first = 0
            return ends.map { last in
                defer { first = last + 1 }
                return (first...last).map { (xs[$0], ys[$0]) }
            }
        }

        /// The glyph filled into a picture `advance` wide and ascent + descent tall, at
        /// `unitsPerPixel` units a pixel; every contour must be a rectangle (as written).
        func picture(of glyph: Int, unitsPerPixel k: Int) -> Bitmap {
            var canvas = Canvas(width: advance(of: glyph) / k, height: (ascender - descender) / k, format: .mono)
            for contour in contours(of: glyph) {
                let xs = contour.map(\.x), ys = contour.map(\.y)
                guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { continue }
                canvas.fill(Rect(x: x0 / k, y: (ascender - y1) / k, width: (x1 - x0) / k, height: (y1 - y0) / k), .on)
            }
            return canvas.bitmap
        }
    }

    @Test func outlinesFilledAreTheBitmapGlyphs() throws {
        let chain = try Self.chain()
        let font = Reader(TrueTypeFont.make(chain: chain, family: "Tiny", codes: [0x20, 0x41, 0x4E2D, 0x42]))
        // A 6-pixel line is below the 16 units an em needs: three units a pixel.
        #expect(font.unitsPerEm == 18)
        #expect(font.ascender == 15 && font.descender == -3)
        #expect(font.glyph(for: 0x42) == 0, "a character the chain lacks is not mapped")
        #expect(font.contours(of: font.glyph(for: 0x20)).isEmpty)
        #expect(font.advance(of: font.glyph(for: 0x20)) == 9)
        expectPicture(font.picture(of: font.glyph(for: 0x41), unitsPerPixel: 3), """
            ....
            .#..
            #.#.
            ###.
            #.#.
            ....
            """)
        expectPicture(font.picture(of: font.glyph(for: 0x4E2D), unitsPerPixel: 3), """
            ..#...
            #####.
            #.#.#.
            #####.
            ..#...
            ..#...
            """)
        // A run repeated on the rows below joins them in one rectangle: 中's eight runs are seven.
        #expect(font.contours(of: font.glyph(for: 0x4E2D)).count == 7)
    }

    @Test func tablesAndChecksumsHold() throws {
        let bytes = TrueTypeFont.make(chain: try Self.chain(), family: "Tiny", codes: [0x41, 0x4E2D])
        let font = Reader(bytes)
        #expect(font.tables.keys.sorted() == ["OS/2", "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"])
        for (tag, table) in font.tables where tag != "head" {
            let padded = Array(bytes[table.offset..<min(bytes.count, (table.offset + table.length + 3) & ~3)])
            let record = 12 + (try #require(font.tables.keys.sorted().firstIndex(of: tag))) * 16
            #expect(TrueTypeFont.checksum(padded) == font.u32(record + 4), "\(tag)'s checksum")
        }
        #expect(bytes.count % 4 == 0)
        #expect(TrueTypeFont.checksum(bytes) == 0xB1B0_AFBA, "the whole font sums to the magic number")
        #expect(font.u16(font.table("maxp") + 4) == 3, ".notdef, A and 中")
    }
}
