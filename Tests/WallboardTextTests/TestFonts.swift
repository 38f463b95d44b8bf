import WallboardText

/// A glyph for a BDF file written in a test, its bitmap drawn as rows of `#` and `.`.
struct TestGlyph {
    var code: Int
    var advance: Int
    var width: Int
    var height: Int
    var xOffset: Int
    var yOffset: Int
    var rows: [String]

    init(_ character: Unicode.Scalar, advance: Int, box: (Int, Int, Int, Int), _ rows: [String]) {
        self.init(code: Int(character.value), advance: advance, box: box, rows)
    }

    init(code: Int, advance: Int, box: (Int, Int, Int, Int), _ rows: [String]) {
        self.code = code
        self.advance = advance
        (width, height, xOffset, yOffset) = box
        self.rows = rows
    }

    /// The BDF lines for this glyph, rows padded to whole bytes as BDF requires.
    var bdf: String {
        var lines = [
            "STARTCHAR glyph\(code)", "ENCODING \(code)", "SWIDTH 500 0", "DWIDTH \(advance) 0",
            "BBX \(width) \(height) \(xOffset) \(yOffset)", "BITMAP",
        ]
        let digits = Array("0123456789ABCDEF")
        for row in rows {
            var pixels = Array(row)
            pixels += Array(repeating: ".", count: max(1, (width + 7) / 8) * 8 - pixels.count)
            var hex = ""
            for start in stride(from: 0, to: pixels.count, by: 4) {
                let nibble = pixels[start..<start + 4].reduce(0) { $0 << 1 | ($1 == "#" ? 1 : 0) }
                hex.append(digits[nibble])
            }
            lines.append(hex)
        }
        lines.append("ENDCHAR")
        return lines.joined(separator: "\n")
    }
}

/// A whole BDF file around `glyphs`.
func bdfText(ascent: Int, descent: Int, _ glyphs: [TestGlyph]) -> String {
    let header = [
        "STARTFONT 2.1", "FONT -test-Test-Medium-R-Normal--\(ascent + descent)-0-75-75-C-0-ISO10646-1",
        "SIZE \(ascent + descent) 75 75", "FONTBOUNDINGBOX 8 \(ascent + descent) 0 \(-descent)",
        "STARTPROPERTIES 2", "FONT_ASCENT \(ascent)", "FONT_DESCENT \(descent)", "ENDPROPERTIES",
        "CHARS \(glyphs.count)",
    ]
    return (header + glyphs.map(\.bdf) + ["ENDFONT"]).joined(separator: "\n") + "\n"
}

func parse(_ text: String, name: String = "test") throws(BDFError) -> Font {
    try Font(bdf: Array(text.utf8), name: name)
}

/// The parse error for `text`, or nil when it parses.
func parseError(_ text: String) -> BDFError? {
    do {
        _ = try parse(text)
        return nil
    } catch {
        return error
    }
}

/// A small Latin font: `A` (3 wide), `g` with a descender, `W` wider than its advance and
/// starting left of the pen, and a space. Ascent 4, descent 1.
func latinFont() throws -> Font {
    try parse(bdfText(ascent: 4, descent: 1, [
        TestGlyph(" ", advance: 2, box: (0, 0, 0, 0), []),
        TestGlyph("A", advance: 4, box: (3, 4, 0, 0), [".#.", "#.#", "###", "#.#"]),
        TestGlyph("g", advance: 4, box: (3, 4, 0, -1), ["###", "#.#", "###", "..#"]),
        TestGlyph("W", advance: 3, box: (5, 2, -1, 1), ["#.#.#", ".#.#."]),
    ]), name: "latin")
}

/// A small "CJK" font: 中 and 'A' (a different, full-width A), ascent 5, descent 1.
func cjkFont() throws -> Font {
    try parse(bdfText(ascent: 5, descent: 1, [
        TestGlyph("中", advance: 6, box: (5, 6, 0, -1), ["..#..", "#####", "#.#.#", "#####", "..#..", "..#.."]),
        TestGlyph("A", advance: 6, box: (5, 5, 0, 0), ["#####", "#...#", "#####", "#...#", "#...#"]),
    ]), name: "cjk")
}

/// A font where each of `characters` is a one-pixel dot with the same advance, for layout tests
/// where only widths matter. Ascent `ascent`, descent 1.
func blockFont(_ characters: String, advance: Int = 2, ascent: Int = 3, name: String = "block") throws -> Font {
    var glyphs = [TestGlyph(" ", advance: advance / 2, box: (0, 0, 0, 0), [])]
    for scalar in Set(characters.unicodeScalars).sorted(by: { $0.value < $1.value }) where scalar != " " {
        glyphs.append(TestGlyph(scalar, advance: advance, box: (1, 1, 0, 0), ["#"]))
    }
    return try parse(bdfText(ascent: ascent, descent: 1, glyphs), name: name)
}
