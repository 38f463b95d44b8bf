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
    public static func bdf(name: String, glyphs: [Character: String], height: Int = 5) -> String {
        var lines = [
            "STARTFONT 2.1", "FONT \(name)", "SIZE \(height) 75 75",
            "FONTBOUNDINGBOX 8 \(height) 0 0", "STARTPROPERTIES 2", "FONT_ASCENT \(height)", "FONT_DESCENT 0",
            "ENDPROPERTIES", "CHARS \(glyphs.count)",
        ]
        for (character, picture) in glyphs.sorted(by: { $0.key < $1.key }) {
            let rows = picture.split(separator: "\n").map(String.init)
            let width = rows.map(\.count).max() ?? 0
            guard let scalar = character.unicodeScalars.first else { continue }
            lines += [
                "STARTCHAR U+\(String(scalar.value, radix: 16))", "ENCODING \(scalar.value)", "SWIDTH 500 0",
                "DWIDTH \(width + 1) 0", "BBX \(width) \(rows.count) 0 0", "BITMAP",
            ]
            for row in rows {
                var value = 0
                for (index, pixel) in row.enumerated() where pixel == "#" { value |= 0x80 >> index }
                let hex = String(value, radix: 16, uppercase: true)
                lines.append(hex.count == 1 ? "0" + hex : hex)
            }
            lines.append("ENDCHAR")
        }
        lines.append("ENDFONT")
        return lines.joined(separator: "\n") + "\n"
    }
}
