import WallboardRender

/// Fonts tried in order for each character: typically a Latin font before a CJK font, then a
/// fallback with wide coverage for what the others lack.
///
/// A character no font has is drawn as a replacement box and reported, never dropped.
public struct FontChain: Sendable {
    public let fonts: [Font]
    /// The largest ascent and descent of the fonts: a line of this chain fits any of them.
    public let ascent: Int
    public let descent: Int
    /// The font names joined with `+`, as `wallboard` options spell a chain.
    public let name: String

    public init(_ first: Font, fallbacks: [Font] = []) {
        fonts = [first] + fallbacks
        name = fonts.map(\.name).joined(separator: "+")
        ascent = fonts.map(\.ascent).max() ?? first.ascent
        descent = fonts.map(\.descent).max() ?? first.descent
    }

    /// A chain of `fonts` in order; nil when the list is empty.
    public init?(_ fonts: [Font]) {
        guard let first = fonts.first else { return nil }
        self.init(first, fallbacks: Array(fonts.dropFirst()))
    }

    public var lineHeight: Int { ascent + descent }

    /// How high the chain sets text, as the eye reads it: how tall an ideograph (中) stands in
    /// the smallest of its fonts (its pixel size for a font without one), since a character
    /// that only a fallback has is drawn at the fallback's size.
    public var textHeight: Int {
        fonts.map { font in font.metrics(for: "中")?.height ?? font.pixelSize }.min() ?? 0
    }

    /// The width of the box drawn for a character no font has, and the pen advance after it.
    public var replacementWidth: Int { max(3, lineHeight / 2 - 1) }
    public var replacementAdvance: Int { replacementWidth + 1 }

    /// Formatting characters with no picture of their own (zero-width spaces and joiners,
    /// variation selectors, the byte-order mark): they take no room and are not reported.
    @inlinable
    static func isInvisible(_ code: UInt32) -> Bool {
        (code >= 0x200B && code <= 0x200D) || code == 0x2060 || code == 0xFEFF || (code >= 0xFE00 && code <= 0xFE0F)
    }

    /// True when some font of the chain has a glyph for `scalar` (or it is an invisible
    /// formatting character).
    public func canDraw(_ scalar: Unicode.Scalar) -> Bool {
        FontChain.isInvisible(scalar.value) || fonts.contains { $0.glyphIndex(scalar.value) != nil }
    }

    /// The characters of `text` no font of the chain can draw, each once, in order of first use.
    public func missingCharacters(in text: String) -> [Unicode.Scalar] {
        var missing: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars where !canDraw(scalar) && !missing.contains(scalar) {
            missing.append(scalar)
        }
        return missing
    }

    /// How far the pen moves for `scalar`: its glyph's advance, the replacement box's when no
    /// font has it, 0 for invisible formatting characters.
    public func advance(of scalar: Unicode.Scalar) -> Int {
        let code = scalar.value
        for fontIndex in fonts.indices {
            if let index = fonts[fontIndex].glyphIndex(code) { return Int(fonts[fontIndex].glyphs[index].advance) }
        }
        return FontChain.isInvisible(code) ? 0 : replacementAdvance
    }

    /// The width of `text` on one line: the sum of the advances.
    public func measure(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars { width += advance(of: scalar) }
        return width
    }

    /// Draws `text` on one line with the pen starting at `x` on the baseline `baseline`.
    ///
    /// Returns the advance (the pen's movement) and the characters no font could draw, which
    /// appear as replacement boxes.
    @discardableResult
    public func draw(_ text: String, on canvas: inout Canvas, x: Int, baseline: Int, colour: Color) -> DrawnText {
        let stored = canvas.value(for: colour)
        // Far off-canvas positions are pulled in so that pen arithmetic cannot overflow.
        let limit = 1 << 40
        let x = min(max(x, -limit), limit)
        let baseline = min(max(baseline, -limit), limit)
        var pen = x
        var missing: [Unicode.Scalar] = []
        // Fonts are used in place (not copied per character): a copy would retain every table.
        fonts.withUnsafeBufferPointer { fonts in
            scalars: for scalar in text.unicodeScalars {
                let code = scalar.value
                for fontIndex in fonts.indices {
                    guard let index = fonts[fontIndex].glyphIndex(code) else { continue }
                    pen += fonts[fontIndex].drawGlyph(index, on: &canvas, x: pen, baseline: baseline, value: stored)
                    continue scalars
                }
                if FontChain.isInvisible(code) { continue }
                drawReplacement(on: &canvas, x: pen, baseline: baseline, value: stored)
                pen += replacementAdvance
                if !missing.contains(scalar) { missing.append(scalar) }
            }
        }
        return DrawnText(advance: pen - x, missing: missing)
    }

    /// A hollow box standing on the baseline, the width of `replacementWidth`.
    private func drawReplacement(on canvas: inout Canvas, x: Int, baseline: Int, value: UInt32) {
        let height = max(3, ascent - 2)
        let top = baseline - height
        let width = replacementWidth
        canvas.plotRun(x: x, y: top, count: width, value)
        canvas.plotRun(x: x, y: baseline - 1, count: width, value)
        for y in (top + 1)..<(baseline - 1) {
            canvas.plot(x, y, value)
            canvas.plot(x + width - 1, y, value)
        }
    }
}

/// What drawing a line of text did.
public struct DrawnText: Hashable, Sendable {
    /// How far the pen moved.
    public var advance: Int
    /// Characters no font could draw (shown as replacement boxes), each once, in order.
    public var missing: [Unicode.Scalar]

    public init(advance: Int, missing: [Unicode.Scalar]) {
        self.advance = advance
        self.missing = missing
    }
}

extension Font {
    /// Draws glyph `index` with the pen at `x` on `baseline`; returns its advance.
    @inlinable
    func drawGlyph(_ index: Int, on canvas: inout Canvas, x: Int, baseline: Int, value: UInt32) -> Int {
        let glyph = glyphs[index]
        let left = x + Int(glyph.xOffset)
        let top = baseline - Int(glyph.yOffset) - Int(glyph.height)
        let width = canvas.width, room = canvas.clip.maxX - left
        let box = Rect(x: left, y: top, width: Int(glyph.width), height: Int(glyph.height))
        // A glyph wholly inside the clip (nearly every one) is written straight into the pixels;
        // one wholly outside (the rest of a scrolling line) is not drawn at all.
        let inside = canvas.drawingInside(box) { pixels in
            paint(glyph, into: pixels, at: top * width + left, rowLength: width, room: room, value: value)
        }
        if !inside && canvas.clip.intersects(box) {
            forEachRun(of: glyph) { column, row, length in canvas.plotRun(x: left + column, y: top + row, count: length, value) }
        }
        return Int(glyph.advance)
    }

    /// Sets the lit pixels of `glyph`, its top-left corner at `origin` in `pixels` (`rowLength`
    /// to a row), which must hold the whole box and `room` columns from its left edge on each
    /// row. Eight columns at a time: each byte of the mask picks, through `Font.byteLanes`, which
    /// of eight pixels take `value`, in a few vector operations where following the mask's runs
    /// one by one cost a branch per run. The eight may reach past the glyph's box (its padding
    /// bits are clear), never past `room`: the pixels there are written back as they were.
    @inlinable
    func paint(_ glyph: GlyphRecord, into pixels: UnsafeMutableBufferPointer<UInt32>, at origin: Int, rowLength: Int, room: Int, value: UInt32) {
        guard let base = pixels.baseAddress else { return }
        let chunks = glyph.chunks
        let fill = SIMD8<UInt32>(repeating: value)
        Font.byteLanes.withUnsafeBufferPointer { lanes in
            masks.withUnsafeBufferPointer { masks in
                var maskIndex = Int(glyph.firstMask)
                for row in 0..<Int(glyph.height) {
                    let rowStart = base + origin + row * rowLength
                    for chunk in 0..<chunks {
                        var bits = masks[maskIndex]
                        maskIndex += 1
                        var column = chunk << 6
                        let end = min(room, column + 64)
                        while bits != 0 {
                            if column + 8 <= end {
                                let lit = lanes[Int(bits >> 56)]
                                let target = UnsafeMutableRawPointer(rowStart + column)
                                let shown = target.loadUnaligned(as: SIMD8<UInt32>.self)
                                target.storeBytes(of: (shown & ~lit) | (fill & lit), as: SIMD8<UInt32>.self)
                                bits <<= 8
                                column += 8
                            } else {
                                if bits >> 63 != 0 { rowStart[column] = value }
                                bits <<= 1
                                column += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// For each byte of a glyph's mask, the eight pixels it lights: all ones in the lanes of its
    /// set bits, the highest bit first.
    @usableFromInline
    static let byteLanes: [SIMD8<UInt32>] = (0..<256).map { byte in
        var lanes = SIMD8<UInt32>()
        for lane in 0..<8 where byte & (0x80 >> lane) != 0 { lanes[lane] = .max }
        return lanes
    }

    /// Calls `body` for each lit stretch of `glyph`'s mask: its column and row in the glyph's
    /// box, and its length.
    @inlinable
    func forEachRun(of glyph: GlyphRecord, _ body: (_ column: Int, _ row: Int, _ length: Int) -> Void) {
        let chunks = glyph.chunks
        masks.withUnsafeBufferPointer { masks in
            var maskIndex = Int(glyph.firstMask)
            for row in 0..<Int(glyph.height) {
                for chunk in 0..<chunks {
                    var bits = masks[maskIndex]
                    maskIndex += 1
                    // Skip the zeros, count the ones.
                    var column = chunk << 6
                    while bits != 0 {
                        let skip = bits.leadingZeroBitCount
                        bits <<= UInt64(skip)
                        let length = (~bits).leadingZeroBitCount
                        body(column + skip, row, length)
                        column += skip + length
                        bits = length == 64 ? 0 : bits << UInt64(length)
                    }
                }
            }
        }
    }

    /// Draws one character of this font alone: the glyph's advance, or nil when the font has no
    /// glyph for it (nothing is drawn then).
    public func draw(_ scalar: Unicode.Scalar, on canvas: inout Canvas, x: Int, baseline: Int, colour: Color) -> Int? {
        guard let index = glyphIndex(scalar.value) else { return nil }
        return drawGlyph(index, on: &canvas, x: x, baseline: baseline, value: canvas.value(for: colour))
    }
}
