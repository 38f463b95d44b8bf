/// Bitmaps as small ASCII pictures, for tests and for people reading a terminal.
///
/// `.` is off. Mono: `#` lit. Bicolor: `r` red, `g` green, `a` amber. RGB: the palette's
/// letters (`r` red, `g` green, `a` amber, `w` white, `b` blue, `y` yellow, `c` cyan, `m` magenta),
/// `?` for any other colour.
public enum AsciiPicture {
    public static let rgbPalette: [(Character, RGB)] = [
        ("r", .red), ("g", .green), ("a", .amber), ("w", .white), ("b", RGB(0, 0, 255)),
        ("y", RGB(255, 255, 0)), ("c", RGB(0, 255, 255)), ("m", RGB(255, 0, 255)),
    ]

    public static func character(for value: UInt32, format: PixelFormat) -> Character {
        if value == 0 && format != .rgb { return "." }
        switch format {
        case .mono:
            return "#"
        case .bicolor:
            switch value & 3 {
            case PixelFormat.bicolorRed: return "r"
            case PixelFormat.bicolorGreen: return "g"
            default: return "a"
            }
        case .rgb:
            if value == 0 { return "." }
            return rgbPalette.first { $0.1.packed == value }?.0 ?? "?"
        }
    }

    public static func value(for character: Character, format: PixelFormat) -> UInt32? {
        if character == "." { return 0 }
        switch format {
        case .mono:
            return character == "#" ? 1 : nil
        case .bicolor:
            switch character {
            case "r": return PixelFormat.bicolorRed
            case "g": return PixelFormat.bicolorGreen
            case "a": return PixelFormat.bicolorAmber
            default: return nil
            }
        case .rgb:
            return rgbPalette.first { $0.0 == character }?.1.packed
        }
    }

    /// The picture of a bitmap, one line per row, rows joined with newlines.
    public static func render(_ bitmap: Bitmap) -> String {
        var lines: [String] = []
        lines.reserveCapacity(bitmap.height)
        for y in 0..<bitmap.height {
            var line = ""
            for x in 0..<bitmap.width {
                line.append(character(for: bitmap[x, y], format: bitmap.format))
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Parses a picture; blank lines and leading/trailing spaces on each line are ignored.
    /// Returns nil when rows differ in length or a character is not in the format's alphabet.
    public static func parse(_ picture: String, format: PixelFormat) -> Bitmap? {
        let rows = picture.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingSpaces() }
            .filter { !$0.isEmpty }
        let width = rows.first?.count ?? 0
        var values: [UInt32] = []
        for row in rows {
            guard row.count == width else { return nil }
            for character in row {
                guard let value = value(for: character, format: format) else { return nil }
                values.append(value)
            }
        }
        return Bitmap(width: width, height: rows.count, format: format, pixels: values)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" || text.last == "\r" { text.removeLast() }
        return text
    }
}
