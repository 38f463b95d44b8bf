import WallboardTestKit
import WallboardText

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
