/// Where a glyph's row masks are in the font's mask table, and its metrics.
///
/// Each row of the bitmap box is `chunks` 64-bit masks, column 0 of a chunk in bit 63, the bits
/// past the box's width clear; drawing sets the pixels of the set bits.
@usableFromInline
struct GlyphRecord: Sendable {
    @usableFromInline let firstMask: Int32
    @usableFromInline let advance: Int16
    @usableFromInline let width: Int16
    @usableFromInline let height: Int16
    @usableFromInline let xOffset: Int16
    @usableFromInline let yOffset: Int16

    @usableFromInline var chunks: Int { (Int(width) + 63) >> 6 }
}

/// A glyph's metrics as the BDF file gives them.
public struct GlyphMetrics: Hashable, Sendable {
    /// How far the pen moves (`DWIDTH`).
    public let advance: Int
    /// The bitmap box (`BBX`): size and offset of its bottom-left corner from the pen position
    /// on the baseline, `yOffset` counting up.
    public let width: Int
    public let height: Int
    public let xOffset: Int
    public let yOffset: Int

    public init(advance: Int, width: Int, height: Int, xOffset: Int, yOffset: Int) {
        self.advance = advance
        self.width = width
        self.height = height
        self.xOffset = xOffset
        self.yOffset = yOffset
    }
}

/// A bitmap font, held as one 64-bit mask per glyph row so that loading is cheap and drawing is
/// a few `plotRun` calls per row.
///
/// Code points are found through a page table (256 code points a page), not a dictionary. A
/// class, so that a chain hands its fonts around without retaining every table per character.
public final class Font: Sendable {
    /// The name it was loaded under (for example `isas-16`).
    public let name: String
    public let family: String
    public let copyright: String
    public let pixelSize: Int
    /// Pixels above the baseline a line of this font needs.
    public let ascent: Int
    /// Pixels below the baseline.
    public let descent: Int

    @usableFromInline let glyphs: [GlyphRecord]
    @usableFromInline let masks: [UInt64]
    /// For each page of 256 code points, where its slots start in `slots`, or -1.
    @usableFromInline let pageStarts: [Int32]
    /// Glyph index per code point of each present page, or -1.
    @usableFromInline let slots: [Int32]
    /// Every code point the font draws, ascending.
    public let codePoints: [UInt32]

    init(_ parts: FontBuilder) {
        name = parts.name
        family = parts.family
        copyright = parts.copyright
        pixelSize = parts.pixelSize
        ascent = parts.ascent
        descent = parts.descent
        glyphs = parts.glyphs
        masks = parts.masks
        let codes = parts.codes
        var pageStarts = [Int32](repeating: -1, count: Font.pageCount)
        var slots: [Int32] = []
        for (index, code) in codes.enumerated() {
            let page = Int(code >> 8)
            if pageStarts[page] < 0 {
                pageStarts[page] = Int32(slots.count)
                slots.append(contentsOf: repeatElement(-1, count: 256))
            }
            let slot = Int(pageStarts[page]) + Int(code & 0xFF)
            // The first glyph for a code point wins, as in X11.
            if slots[slot] < 0 { slots[slot] = Int32(index) }
        }
        self.pageStarts = pageStarts
        self.slots = slots
        var ascending = true
        for index in codes.indices.dropFirst() where codes[index - 1] >= codes[index] {
            ascending = false
            break
        }
        self.codePoints = ascending ? codes : Array(Set(codes)).sorted()
    }

    @usableFromInline static let pageCount = 0x110000 >> 8

    public var lineHeight: Int { ascent + descent }
    public var glyphCount: Int { codePoints.count }

    /// The index of the glyph for `code`, or nil.
    @inlinable
    func glyphIndex(_ code: UInt32) -> Int? {
        let page = Int(code >> 8)
        guard page < Font.pageCount else { return nil }
        let start = pageStarts[page]
        guard start >= 0 else { return nil }
        let index = slots[Int(start) + Int(code & 0xFF)]
        return index >= 0 ? Int(index) : nil
    }

    public func contains(_ scalar: Unicode.Scalar) -> Bool { glyphIndex(scalar.value) != nil }

    public func metrics(for scalar: Unicode.Scalar) -> GlyphMetrics? {
        guard let index = glyphIndex(scalar.value) else { return nil }
        let glyph = glyphs[index]
        return GlyphMetrics(
            advance: Int(glyph.advance), width: Int(glyph.width), height: Int(glyph.height),
            xOffset: Int(glyph.xOffset), yOffset: Int(glyph.yOffset)
        )
    }
}

/// Collects glyphs while a BDF file is parsed.
struct FontBuilder {
    let name: String
    var family = ""
    var copyright = ""
    var pixelSize = 0
    var ascent = 0
    var descent = 0
    private(set) var glyphs: [GlyphRecord] = []
    private(set) var codes: [UInt32] = []
    private(set) var masks: [UInt64] = []
    private var glyphFirstMask = 0

    init(name: String) {
        self.name = name
    }

    /// Room for the glyphs and masks a file of `byteCount` bytes is likely to hold, so the
    /// tables grow without copying.
    mutating func reserve(forFileSize byteCount: Int) {
        masks.reserveCapacity(byteCount / 5)
        glyphs.reserveCapacity(byteCount / 120)
        codes.reserveCapacity(byteCount / 120)
    }

    mutating func beginGlyph() {
        glyphFirstMask = masks.count
    }

    @inline(__always)
    mutating func addMask(_ mask: UInt64) {
        masks.append(mask)
    }

    mutating func finishGlyph(code: UInt32, advance: Int, width: Int, height: Int, xOffset: Int, yOffset: Int) {
        glyphs.append(GlyphRecord(
            firstMask: Int32(glyphFirstMask), advance: Int16(clamping: advance), width: Int16(clamping: width),
            height: Int16(clamping: height), xOffset: Int16(clamping: xOffset), yOffset: Int16(clamping: yOffset)
        ))
        codes.append(code)
    }

    mutating func discardGlyph() {
        masks.removeSubrange(glyphFirstMask...)
    }
}

extension Font {
    /// How many code points of `range` the font has a glyph for.
    public func glyphCount(in range: ClosedRange<UInt32>) -> Int {
        firstIndex(atLeast: range.upperBound + 1) - firstIndex(atLeast: range.lowerBound)
    }

    /// The index of the first code point not below `code` (binary search).
    private func firstIndex(atLeast code: UInt32) -> Int {
        var low = 0, high = codePoints.count
        while low < high {
            let middle = (low + high) / 2
            if codePoints[middle] < code { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Unicode blocks the coverage reports count.
public enum UnicodeBlocks {
    public static let printableASCII: ClosedRange<UInt32> = 0x20...0x7E
    public static let cjkUnifiedIdeographs: ClosedRange<UInt32> = 0x4E00...0x9FFF
    public static let cjkExtensionA: ClosedRange<UInt32> = 0x3400...0x4DBF
}
