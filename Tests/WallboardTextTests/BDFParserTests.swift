import Testing
import WallboardRender
import WallboardTestKit
import WallboardText

@Suite struct BDFParserTests {
    @Test func readsMetricsAndGlyphBoxes() throws {
        let font = try latinFont()
        #expect(font.ascent == 4)
        #expect(font.descent == 1)
        #expect(font.lineHeight == 5)
        #expect(font.glyphCount == 4)
        #expect(font.codePoints == [0x20, 0x41, 0x57, 0x67])
        #expect(font.metrics(for: "g") == GlyphMetrics(advance: 4, width: 3, height: 4, xOffset: 0, yOffset: -1))
        #expect(font.metrics(for: "W") == GlyphMetrics(advance: 3, width: 5, height: 2, xOffset: -1, yOffset: 1))
        #expect(font.metrics(for: "Z") == nil)
        #expect(font.contains("A"))
        #expect(!font.contains("中"))
    }

    @Test func negativeOffsetsAndGlyphsWiderThanTheirAdvanceAreDrawnWhole() throws {
        let chain = FontChain(try latinFont())
        var canvas = Canvas(width: 8, height: 5, format: .mono)
        let drawn = chain.draw("WW", on: &canvas, x: 1, baseline: 4, colour: .on)
        #expect(drawn == DrawnText(advance: 6, missing: []))
        #expect(chain.measure("WW") == 6)
        // The second W starts one pixel left of the pen (x 4 - 1) and overlaps the first.
        expectPicture(canvas.bitmap, """
            ........
            #.####.#
            .#.##.#.
            ........
            ........
            """)
    }

    @Test func crlfLineEndsPaddedRowsAndUnencodedGlyphs() throws {
        let text = """
            STARTFONT 2.1\r
            COMMENT made by hand\r
            FONTBOUNDINGBOX 4 3 0 0\r
            CHARS 2\r
            STARTCHAR unencoded\r
            ENCODING -1 7\r
            DWIDTH 4 0\r
            BBX 2 1 0 0\r
            BITMAP\r
            C0\r
            ENDCHAR\r
            STARTCHAR bar\r
            ENCODING 124\r
            DWIDTH 4 0\r
            BBX 2 3 1 0\r
            BITMAP\r
            400000\r
            C00000\r
            400000\r
            ENDCHAR\r
            ENDFONT\r

            """
        let font = try parse(text)
        #expect(font.codePoints == [124])
        #expect(font.ascent == 3 && font.descent == 0)
        var canvas = Canvas(width: 4, height: 3, format: .mono)
        #expect(font.draw("|", on: &canvas, x: 0, baseline: 3, colour: .on) == 4)
        expectPicture(canvas.bitmap, """
            ..#.
            .##.
            ..#.
            """)
    }

    @Test func glyphsWiderThan64PixelsKeepEveryColumn() throws {
        let row = String(repeating: "#.", count: 35)
        let font = try parse(bdfText(ascent: 1, descent: 0, [
            TestGlyph("-", advance: 70, box: (70, 1, 0, 0), [row]),
        ]))
        var canvas = Canvas(width: 70, height: 1, format: .mono)
        _ = font.draw("-", on: &canvas, x: 0, baseline: 1, colour: .on)
        expectPicture(canvas.bitmap, row)
    }

    @Test func fontWideAdvanceAppliesToGlyphsWithoutDWIDTH() throws {
        let text = """
            STARTFONT 2.1
            FONTBOUNDINGBOX 2 2 0 0
            DWIDTH 3 0
            CHARS 1
            STARTCHAR x
            ENCODING 120
            BBX 1 1 0 0
            BITMAP
            80
            ENDCHAR
            ENDFONT
            """
        #expect(try parse(text).metrics(for: "x")?.advance == 3)
    }

    // MARK: malformed files: each names the line and the problem

    private let goodGlyph = TestGlyph("A", advance: 4, box: (3, 2, 0, 0), ["#.#", "###"])

    @Test func emptyBytesAreNotAFont() {
        let error = parseError("")
        #expect(error?.line == 0)
        #expect(error?.description.contains("empty") == true)
        #expect(parseError("\u{89}PNG\r\n")?.description == "test:1: expected STARTFONT, found '\u{89}PNG': not a BDF font")
    }

    @Test func garbageLineInTheHeaderNamesItsLine() {
        var text = bdfText(ascent: 2, descent: 0, [goodGlyph])
        text = text.replacingFirst("SIZE", with: "hello world\nSIZE")
        let error = parseError(text)
        #expect(error?.line == 3)
        #expect(error?.message == "unexpected line 'hello world' in the font header")
    }

    @Test func garbageLineInsideAGlyphNamesItsLine() {
        let text = bdfText(ascent: 2, descent: 0, [goodGlyph]).replacingFirst("SWIDTH 500 0", with: "%%% noise")
        let error = parseError(text)
        #expect(error?.line == 12)
        #expect(error?.message == "unexpected line '%%% noise' in glyph 'glyph65'")
    }

    @Test func missingEncodingIsAnError() {
        let text = bdfText(ascent: 2, descent: 0, [goodGlyph]).replacingFirst("ENCODING 65\n", with: "")
        let error = parseError(text)
        #expect(error?.line == 14)
        #expect(error?.message == "glyph 'glyph65' (STARTCHAR at line 10) has no ENCODING before BITMAP")
    }

    @Test func missingBBXIsAnError() {
        let text = bdfText(ascent: 2, descent: 0, [goodGlyph]).replacingFirst("BBX 3 2 0 0\n", with: "")
        #expect(parseError(text)?.message.contains("has no BBX before BITMAP") == true)
    }

    @Test func negativeBoxSizeIsAnError() {
        let text = bdfText(ascent: 2, descent: 0, [goodGlyph]).replacingFirst("BBX 3 2 0 0", with: "BBX 3 -2 0 0")
        let error = parseError(text)
        #expect(error?.line == 14)
        #expect(error?.message == "BBX of glyph 'glyph65' has a negative size 3x-2")
    }

    @Test func nonNumericValuesAreErrors() {
        let text = bdfText(ascent: 2, descent: 0, [goodGlyph]).replacingFirst("BBX 3 2 0 0", with: "BBX 3 two 0 0")
        #expect(parseError(text)?.message == "BBX expects 4 whole numbers, found 'BBX 3 two 0 0'")
        let short = bdfText(ascent: 2, descent: 0, [goodGlyph]).replacingFirst("BBX 3 2 0 0", with: "BBX 3 2")
        #expect(parseError(short)?.message == "BBX expects 4 whole numbers, found 'BBX 3 2'")
    }

    @Test func bitmapRowsThatAreNotHexAreErrors() {
        let text = bdfText(ascent: 2, descent: 0, [goodGlyph]).replacingFirst("E0\n", with: "ZZ\n")
        let error = parseError(text)
        #expect(error?.line == 17)
        #expect(error?.message == "bitmap row 'ZZ' is not hexadecimal")
    }

    @Test func tooFewAndTooManyBitmapRowsAreErrors() {
        let fewer = bdfText(ascent: 2, descent: 0, [goodGlyph]).replacingFirst("E0\n", with: "")
        #expect(parseError(fewer)?.message == "glyph 'glyph65' has 1 bitmap rows but its BBX says 2")
        #expect(parseError(fewer)?.line == 17)
        let more = bdfText(ascent: 2, descent: 0, [goodGlyph]).replacingFirst("E0\n", with: "E0\nE0\n")
        let error = parseError(more)
        #expect(error?.line == 18)
        #expect(error?.message.contains("more bitmap rows than its BBX height 2") == true)
    }

    @Test func wrongGlyphCountAndTruncatedFilesAreErrors() {
        let counted = bdfText(ascent: 2, descent: 0, [goodGlyph]).replacingFirst("CHARS 1", with: "CHARS 2")
        #expect(parseError(counted)?.message == "CHARS says 2 glyphs but the file has 1")
        let truncated = String(bdfText(ascent: 2, descent: 0, [goodGlyph]).dropLast("ENDCHAR\nENDFONT\n".count))
        #expect(parseError(truncated)?.message.contains("has more bitmap rows than its BBX height 2, or no ENDCHAR") == true)
        let noEnd = String(bdfText(ascent: 2, descent: 0, [goodGlyph]).dropLast("ENDFONT\n".count))
        #expect(parseError(noEnd)?.message == "the file ends before ENDFONT")
    }

    @Test func errorsNameTheSourceFile() {
        do {
            _ = try Font(bdf: Array("STARTFONT 2.1\nbogus\n".utf8), name: "isas-16", source: "/fonts/isas-16.bdf")
            Issue.record("a malformed font parsed")
        } catch {
            #expect(error.description == "/fonts/isas-16.bdf:2: unexpected line 'bogus' in the font header")
        }
    }
}

extension String {
    /// The text with the first occurrence of `target` replaced (Foundation-free).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
