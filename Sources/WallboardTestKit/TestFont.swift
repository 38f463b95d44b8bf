/// BDF source for small fonts drawn as ASCII pictures, so tests can use fonts whose every pixel
/// they can see.
///
/// Each glyph is a picture of `#` (ink) and `.` rows, all `height` rows tall, sitting on the
/// baseline at the bottom; the advance is the picture's width plus one pixel of spacing.
public enum TestFont {
    /// A 3×5 font with the digits, `:`, `-`, a few letters and a space.
    public static let digits3x5: [Character: String] = [
        "0": "###\n#.#\n#.#\n#.#\n###", "1": ".#.\n##.\n.#.\n.#.\n###", "2": "###\n..#\n###\n#..\n###",
        "3": "###\n..#\n.##\n..#\n###", "4": "#.#\n#.#\n###\n..#\n..#", "5": "###\n#..\n###\n..#\n###",
        "6": "###\n#..\n###\n#.#\n###", "7": "###\n..#\n..#\n.#.\n.#.", "8": "###\n#.#\n###\n#.#\n###",
        "9": "###\n#.#\n###\n..#\n###", ":": "...\n.#.\n...\n.#.\n...", "-": "...\n...\n###\n...\n...",
        "A": ".#.\n#.#\n###\n#.#\n#.#", "B": "##.\n#.#\n##.\n#.#\n##.", "C": "###\n#..\n#..\n#..\n###",
        "X": "#.#\n#.#\n.#.\n#.#\n#.#", " ": "...\n...\n...\n...\n...",
    ]

    /// BDF text for `glyphs` (character → picture), every glyph `height` pixels tall.
    public static func bdf(glyphs: [Character: String], height: Int = 5) -> String {
        let glyphs = glyphs.sorted { $0.key < $1.key }.compactMap { character, picture -> TestGlyph? in
            guard let scalar = character.unicodeScalars.first else { return nil }
            let rows = picture.split(separator: "\n").map(String.init)
            let width = rows.map(\.count).max() ?? 0
            return TestGlyph(scalar, advance: width + 1, box: (width, rows.count, 0, 0), rows)
        }
        return bdfText(ascent: height, descent: 0, glyphs)
    }
}

/// A glyph for a BDF file written in a test, its bitmap drawn as rows of `#` and `.`.
public struct TestGlyph {
    public var code: Int
    public var advance: Int
    public var width: Int
    public var height: Int
    public var xOffset: Int
    public var yOffset: Int
    public var rows: [String]

    /// `box` is the BDF BBX: width, height, x offset, y offset (from the baseline).
    public init(_ character: Unicode.Scalar, advance: Int, box: (Int, Int, Int, Int), _ rows: [String]) {
        self.init(code: Int(character.value), advance: advance, box: box, rows)
    }

    public init(code: Int, advance: Int, box: (Int, Int, Int, Int), _ rows: [String]) {
        self.code = code
        self.advance = advance
        (width, height, xOffset, yOffset) = box
        self.rows = rows
    }

    /// The BDF lines for this glyph, rows padded to whole bytes as BDF requires.
    public var bdf: String {
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
public func bdfText(ascent: Int, descent: Int, _ glyphs: [TestGlyph]) -> String {
    let header = [
        "STARTFONT 2.1", "FONT -test-Test-Medium-R-Normal--\(ascent + descent)-0-75-75-C-0-ISO10646-1",
        "SIZE \(ascent + descent) 75 75", "FONTBOUNDINGBOX 8 \(ascent + descent) 0 \(-descent)",
        "STARTPROPERTIES 2", "FONT_ASCENT \(ascent)", "FONT_DESCENT \(descent)", "ENDPROPERTIES",
        "CHARS \(glyphs.count)",
    ]
    return (header + glyphs.map(\.bdf) + ["ENDFONT"]).joined(separator: "\n") + "\n"
}

