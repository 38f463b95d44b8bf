/// A malformed BDF file: what is wrong and on which line.
public struct BDFError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file name or other label the bytes came from, for the message.
    public let source: String
    /// 1-based line number; 0 when the problem is the file as a whole.
    public let line: Int
    public let message: String

    public var description: String {
        line > 0 ? "\(source):\(line): \(message)" : "\(source): \(message)"
    }
}

extension Font {
    /// Parses a BDF 2.1 font from its bytes.
    ///
    /// Every glyph keeps its own `BBX` offsets and `DWIDTH`; glyphs with `ENCODING -1` (no code
    /// point) are skipped. Anything the format does not allow (an unknown keyword, a glyph with no
    /// `ENCODING` or `BBX`, a bitmap row that is not hex or a wrong number of rows) throws a
    /// `BDFError` naming the line of `source` (the file path; `name` when not given).
    public convenience init(bdf bytes: UnsafeBufferPointer<UInt8>, name: String, source: String? = nil) throws(BDFError) {
        var parser = BDFParser(bytes: bytes, name: name, source: source ?? name)
        self.init(try parser.parse())
    }

    /// Parses a BDF 2.1 font from its bytes; see `init(bdf:name:source:)`.
    public convenience init(bdf bytes: [UInt8], name: String, source: String? = nil) throws(BDFError) {
        let result: Result<FontBuilder, BDFError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = BDFParser(bytes: buffer, name: name, source: source ?? name)
            return Result { () throws(BDFError) -> FontBuilder in try parser.parse() }
        }
        self.init(try result.get())
    }
}

/// One pass over the bytes, line by line, building the glyph and mask tables as it goes.
struct BDFParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    private var position = 0
    private var lineNumber = 0
    /// The current line's byte range.
    private var lineStart = 0
    private var lineEnd = 0
    private var builder: FontBuilder

    init(bytes: UnsafeBufferPointer<UInt8>, name: String, source: String) {
        self.bytes = bytes
        self.source = source
        self.builder = FontBuilder(name: name)
        builder.reserve(forFileSize: bytes.count)
    }

    private func error(_ message: String, line: Int? = nil) -> BDFError {
        BDFError(source: source, line: line ?? lineNumber, message: message)
    }

    /// Moves to the next line that is not blank; false at the end of the bytes.
    @inline(__always)
    private mutating func nextLine() -> Bool {
        while position < bytes.count {
            lineNumber += 1
            lineStart = position
            while position < bytes.count && bytes[position] != 0x0A { position += 1 }
            lineEnd = position
            if position < bytes.count { position += 1 }
            while lineEnd > lineStart && (bytes[lineEnd - 1] == 0x0D || bytes[lineEnd - 1] == 0x20 || bytes[lineEnd - 1] == 0x09) {
                lineEnd -= 1
            }
            while lineStart < lineEnd && (bytes[lineStart] == 0x20 || bytes[lineStart] == 0x09) { lineStart += 1 }
            if lineEnd > lineStart { return true }
        }
        return false
    }

    /// The first word of the current line.
    private var keyword: Substring {
        var end = lineStart
        while end < lineEnd && bytes[end] != 0x20 && bytes[end] != 0x09 { end += 1 }
        return Substring(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<end]), as: UTF8.self)
    }

    @inline(__always)
    private func keywordIs(_ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard lineEnd - lineStart >= length else { return false }
        let pointer = word.utf8Start
        for index in 0..<length where bytes[lineStart + index] != pointer[index] { return false }
        return lineEnd - lineStart == length || bytes[lineStart + length] == 0x20 || bytes[lineStart + length] == 0x09
    }

    /// Up to four whole numbers after a keyword, without allocating.
    struct Numbers {
        var values: (Int, Int, Int, Int) = (0, 0, 0, 0)
        var count = 0
        subscript(index: Int) -> Int {
            switch index {
            case 0: values.0
            case 1: values.1
            case 2: values.2
            default: values.3
            }
        }
    }

    /// The whole numbers after the keyword `word`; throws unless there are at least `count`.
    private func integers(_ count: Int, after word: StaticString) throws(BDFError) -> Numbers {
        var numbers = Numbers()
        var index = lineStart + word.utf8CodeUnitCount
        while index < lineEnd {
            while index < lineEnd && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
            guard index < lineEnd else { break }
            var negative = false
            if bytes[index] == 0x2D {
                negative = true
                index += 1
            } else if bytes[index] == 0x2B {
                index += 1
            }
            var value = 0
            var digits = 0
            while index < lineEnd, bytes[index] >= 0x30, bytes[index] <= 0x39, digits < 10 {
                value = value * 10 + Int(bytes[index] - 0x30)
                digits += 1
                index += 1
            }
            guard digits > 0, index == lineEnd || bytes[index] == 0x20 || bytes[index] == 0x09 else {
                throw error("\(word) expects \(count) whole numbers, found '\(lineText)'")
            }
            if negative { value = -value }
            switch numbers.count {
            case 0: numbers.values.0 = value
            case 1: numbers.values.1 = value
            case 2: numbers.values.2 = value
            case 3: numbers.values.3 = value
            default: break
            }
            numbers.count += 1
        }
        guard numbers.count >= count else {
            throw error("\(word) expects \(count) whole numbers, found '\(lineText)'")
        }
        return numbers
    }

    private var lineText: String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<min(lineEnd, lineStart + 80)]), as: UTF8.self)
    }

    /// The text after the keyword, without surrounding quotes.
    private func stringValue(after word: String) -> String {
        var text = Substring(lineText.dropFirst(word.count)).drop { $0 == " " }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        return String(text)
    }

    mutating func parse() throws(BDFError) -> FontBuilder {
        guard nextLine() else { throw error("the file is empty, not a BDF font", line: 0) }
        guard keywordIs("STARTFONT") else { throw error("expected STARTFONT, found '\(lineText)': not a BDF font") }

        var boundingBox: (width: Int, height: Int, x: Int, y: Int)?
        var declaredCount: Int?
        var defaultAdvance: Int?
        var ascent: Int?
        var descent: Int?
        var pixelSize: Int?

        header: while true {
            guard nextLine() else { throw error("the file ends before CHARS and ENDFONT", line: lineNumber) }
            switch keyword {
            case "COMMENT", "FONT", "SIZE", "CONTENTVERSION", "METRICSSET", "SWIDTH", "SWIDTH1", "DWIDTH1", "VVECTOR", "STARTFONT":
                continue
            case "FONTBOUNDINGBOX":
                let values = try integers(4, after: "FONTBOUNDINGBOX")
                boundingBox = (values[0], values[1], values[2], values[3])
            case "DWIDTH":
                defaultAdvance = try integers(1, after: "DWIDTH")[0]
            case "STARTPROPERTIES":
                while true {
                    guard nextLine() else { throw error("the file ends inside STARTPROPERTIES", line: lineNumber) }
                    if keywordIs("ENDPROPERTIES") { break }
                    switch keyword {
                    case "FONT_ASCENT": ascent = try integers(1, after: "FONT_ASCENT")[0]
                    case "FONT_DESCENT": descent = try integers(1, after: "FONT_DESCENT")[0]
                    case "PIXEL_SIZE": pixelSize = try integers(1, after: "PIXEL_SIZE")[0]
                    case "FAMILY_NAME": builder.family = stringValue(after: "FAMILY_NAME")
                    case "COPYRIGHT": builder.copyright = stringValue(after: "COPYRIGHT")
                    default: continue
                    }
                }
            case "CHARS":
                declaredCount = try integers(1, after: "CHARS")[0]
                break header
            default:
                throw error("unexpected line '\(lineText)' in the font header")
            }
        }
        guard let box = boundingBox else { throw error("CHARS comes before FONTBOUNDINGBOX, which every BDF font needs") }
        builder.ascent = ascent ?? (box.height + box.y)
        builder.descent = descent ?? -box.y
        builder.pixelSize = pixelSize ?? (builder.ascent + builder.descent)

        var glyphsRead = 0
        while true {
            guard nextLine() else { throw error("the file ends before ENDFONT", line: lineNumber) }
            if keywordIs("ENDFONT") { break }
            if keywordIs("COMMENT") { continue }
            guard keywordIs("STARTCHAR") else { throw error("expected STARTCHAR or ENDFONT, found '\(lineText)'") }
            try parseGlyph(defaultAdvance: defaultAdvance)
            glyphsRead += 1
        }
        if let declaredCount, declaredCount != glyphsRead {
            throw error("CHARS says \(declaredCount) glyphs but the file has \(glyphsRead)")
        }
        return builder
    }

    private mutating func parseGlyph(defaultAdvance: Int?) throws(BDFError) {
        let startLine = lineNumber
        // The name is only needed for messages: keep where it is, make the string on demand.
        var nameStart = lineStart + 9
        while nameStart < lineEnd && (bytes[nameStart] == 0x20 || bytes[nameStart] == 0x09) { nameStart += 1 }
        let nameRange = nameStart..<max(nameStart, lineEnd)
        var glyphName: String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[nameRange.clamped(to: 0..<bytes.count)]), as: UTF8.self)
        }
        var encoding: Int?
        var advance = defaultAdvance
        var box: Numbers?
        while true {
            guard nextLine() else { throw error("the file ends inside glyph '\(glyphName)' (STARTCHAR at line \(startLine))") }
            if keywordIs("ENCODING") {
                // `ENCODING -1 n` names a glyph outside the standard encoding: no code point.
                encoding = try integers(1, after: "ENCODING")[0]
            } else if keywordIs("SWIDTH") || keywordIs("SWIDTH1") || keywordIs("DWIDTH1") || keywordIs("VVECTOR") || keywordIs("COMMENT") {
                continue
            } else if keywordIs("DWIDTH") {
                advance = try integers(2, after: "DWIDTH")[0]
            } else if keywordIs("BBX") {
                let values = try integers(4, after: "BBX")
                guard values[0] >= 0, values[1] >= 0 else {
                    throw error("BBX of glyph '\(glyphName)' has a negative size \(values[0])x\(values[1])")
                }
                guard values[0] <= 4096, values[1] <= 4096 else {
                    throw error("BBX of glyph '\(glyphName)' is \(values[0])x\(values[1]), larger than any bitmap font")
                }
                box = values
            } else if keywordIs("BITMAP") {
                guard let code = encoding else {
                    throw error("glyph '\(glyphName)' (STARTCHAR at line \(startLine)) has no ENCODING before BITMAP")
                }
                guard let box else { throw error("glyph '\(glyphName)' (STARTCHAR at line \(startLine)) has no BBX before BITMAP") }
                guard let advance else {
                    throw error("glyph '\(glyphName)' (STARTCHAR at line \(startLine)) has no DWIDTH and the font sets none")
                }
                builder.beginGlyph()
                let rowsRead = try parseBitmap(width: box[0], height: box[1])
                guard rowsRead == box[1] else {
                    throw error("glyph '\(glyphName)' has \(rowsRead) bitmap rows but its BBX says \(box[1])")
                }
                guard nextLine(), keywordIs("ENDCHAR") else {
                    throw error("glyph '\(glyphName)' has more bitmap rows than its BBX height \(box[1]), or no ENDCHAR")
                }
                if code >= 0 && code <= 0x10FFFF {
                    builder.finishGlyph(code: UInt32(code), advance: advance, width: box[0], height: box[1], xOffset: box[2], yOffset: box[3])
                } else {
                    builder.discardGlyph()
                }
                return
            } else {
                throw error("unexpected line '\(lineText)' in glyph '\(glyphName)'")
            }
        }
    }

    /// Reads up to `height` hex rows into the builder's masks (`chunks` masks a row). Stops
    /// early at an ENDCHAR line, which is then the current line; returns the rows read.
    private mutating func parseBitmap(width: Int, height: Int) throws(BDFError) -> Int {
        let digitsNeeded = (width + 3) / 4
        for row in 0..<height {
            if width <= 64, let bits = fastRow(width: width, digitsNeeded: digitsNeeded) {
                builder.addMask(bits)
                continue
            }
            guard nextLine() else { throw error("the file ends inside a glyph's bitmap") }
            if keywordIs("ENDCHAR") { return row }
            guard lineEnd - lineStart >= digitsNeeded else {
                throw error("bitmap row '\(lineText)' is shorter than the glyph's BBX width \(width)")
            }
            var index = lineStart
            var chunkStart = 0
            while chunkStart < width {
                let digits = (min(64, width - chunkStart) + 3) / 4
                var bits: UInt64 = 0
                for _ in 0..<digits {
                    guard let nibble = hexValue(bytes[index]) else {
                        throw error("bitmap row '\(lineText)' is not hexadecimal")
                    }
                    bits = bits << 4 | UInt64(nibble)
                    index += 1
                }
                builder.addMask(masked(bits << UInt64(64 - digits * 4), columns: min(64, width - chunkStart)))
                chunkStart += 64
            }
            while index < lineEnd {
                guard hexValue(bytes[index]) != nil else {
                    throw error("bitmap row '\(lineText)' is not hexadecimal")
                }
                index += 1
            }
        }
        return height
    }

    /// The common case of a bitmap row: only hex digits, then the line end. Returns the row's
    /// bits (column 0 at bit 63, padding cleared) and moves past the line; nil, moving nothing,
    /// for anything else, which the general path then reads or reports.
    @inline(__always)
    private mutating func fastRow(width: Int, digitsNeeded: Int) -> UInt64? {
        var index = position
        var bits: UInt64 = 0
        var digits = 0
        while index < bytes.count, let nibble = hexValue(bytes[index]) {
            if digits < digitsNeeded { bits = bits << 4 | UInt64(nibble) }
            digits += 1
            index += 1
        }
        guard digits >= digitsNeeded, digits > 0 else { return nil }
        if index < bytes.count && bytes[index] == 0x0D { index += 1 }
        if index < bytes.count {
            guard bytes[index] == 0x0A else { return nil }
            index += 1
        }
        position = index
        lineNumber += 1
        guard digitsNeeded > 0 else { return 0 }
        return masked(bits << UInt64(64 - digitsNeeded * 4), columns: width)
    }
}

/// `bits` with everything right of the first `columns` columns (the row padding) cleared.
@inline(__always)
private func masked(_ bits: UInt64, columns: Int) -> UInt64 {
    columns >= 64 ? bits : bits & ~(UInt64.max >> UInt64(columns))
}

@inline(__always)
private func hexValue(_ byte: UInt8) -> UInt8? {
    let digit = byte &- 0x30
    if digit < 10 { return digit }
    // Setting bit 5 folds upper-case letters onto lower-case ones.
    let letter = (byte | 0x20) &- 0x61
    return letter < 6 ? letter + 10 : nil
}
