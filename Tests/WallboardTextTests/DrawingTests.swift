import Testing
import WallboardRender
import WallboardTestKit
import WallboardText

@Suite struct DrawingTests {
    @Test func drawsOnTheBaselineAndReturnsTheAdvance() throws {
        let chain = FontChain(try latinFont())
        var canvas = Canvas(width: 10, height: 6, format: .mono)
        let drawn = chain.draw("A g", on: &canvas, x: 0, baseline: 4, colour: .on)
        #expect(drawn == DrawnText(advance: 10, missing: []))
        #expect(chain.measure("A g") == 10)
        expectPicture(canvas.bitmap, """
            .#........
            #.#...###.
            ###...#.#.
            #.#...###.
            ........#.
            ..........
            """)
    }

    @Test func chainTakesEachCharacterFromTheFirstFontThatHasIt() throws {
        let chain = FontChain(try latinFont(), fallbacks: [try cjkFont()])
        #expect(chain.ascent == 5)
        #expect(chain.descent == 1)
        #expect(chain.lineHeight == 6)
        var canvas = Canvas(width: 10, height: 6, format: .bicolor)
        let drawn = chain.draw("A中", on: &canvas, x: 0, baseline: 5, colour: .red)
        // The Latin font's narrow A, not the CJK font's full-width one.
        #expect(drawn == DrawnText(advance: 10, missing: []))
        expectPicture(canvas.bitmap, """
            ......r...
            .r..rrrrr.
            r.r.r.r.r.
            rrr.rrrrr.
            r.r...r...
            ......r...
            """)
    }

    @Test func missingCharactersDrawABoxAndAreReportedOnce() throws {
        let chain = FontChain(try latinFont())
        #expect(chain.replacementWidth == 3)
        var canvas = Canvas(width: 13, height: 5, format: .mono)
        let drawn = chain.draw("A😀A😀", on: &canvas, x: 0, baseline: 4, colour: .on)
        #expect(drawn == DrawnText(advance: 16, missing: ["😀"]))
        #expect(chain.missingCharacters(in: "A😀浐A") == ["😀", "浐"])
        #expect(chain.canDraw("A"))
        #expect(!chain.canDraw("浐"))
        expectPicture(canvas.bitmap, """
            .#.......#...
            #.#.###.#.#.#
            ###.#.#.###.#
            #.#.###.#.#.#
            .............
            """)
    }

    @Test func controlCharactersAreReportedNotDropped() throws {
        let chain = FontChain(try latinFont())
        var canvas = Canvas(width: 8, height: 5, format: .mono)
        let drawn = chain.draw("A\u{7}\t", on: &canvas, x: 0, baseline: 4, colour: .on)
        #expect(drawn.missing == ["\u{7}", "\t"])
        #expect(drawn.advance == 4 + 2 * chain.replacementAdvance)
    }

    @Test func zeroWidthFormattingCharactersTakeNoRoom() throws {
        let chain = FontChain(try latinFont())
        var canvas = Canvas(width: 8, height: 5, format: .mono)
        let drawn = chain.draw("A\u{200B}A\u{FE0F}", on: &canvas, x: 0, baseline: 4, colour: .on)
        #expect(drawn == DrawnText(advance: 8, missing: []))
    }

    @Test func drawingOffTheCanvasIsClippedNotACrash() throws {
        let chain = FontChain(try latinFont(), fallbacks: [try cjkFont()])
        var canvas = Canvas(width: 4, height: 3, format: .mono)
        // 中's bottom rows at the left edge, then the top of A's lower half.
        chain.draw("中A", on: &canvas, x: -3, baseline: 2, colour: .on)
        chain.draw("AAAA", on: &canvas, x: 2, baseline: 100, colour: .on)
        chain.draw("AAAA", on: &canvas, x: Int.min, baseline: Int.min, colour: .on)
        chain.draw("AAAA", on: &canvas, x: Int.max, baseline: Int.max, colour: .on)
        expectPicture(canvas.bitmap, """
            ##.#
            ...#
            ....
            """)
    }

    /// A glyph with room to its right is set eight pixels at a time; at the clip's edge, one at
    /// a time. Either way its unlit pixels, and those past its box, keep what was under them.
    @Test func glyphsSetOnlyTheirLitPixelsWithRoomOrAtTheEdge() throws {
        let font = try parse(bdfText(ascent: 3, descent: 0, [
            TestGlyph("X", advance: 12, box: (11, 3, 0, 0), ["#.#.#.#.#.#", "##.....##.#", ".#########."]),
        ]))
        var canvas = Canvas(width: 24, height: 3, format: .bicolor)
        canvas.clear(.green)
        // At 1, 23 columns of room from the glyph's left edge; at 13, 11: its own width.
        _ = font.draw("X", on: &canvas, x: 1, baseline: 3, colour: .red)
        _ = font.draw("X", on: &canvas, x: 13, baseline: 3, colour: .red)
        expectPicture(canvas.bitmap, """
            grgrgrgrgrgrgrgrgrgrgrgr
            grrgggggrrgrgrrgggggrrgr
            ggrrrrrrrrrgggrrrrrrrrrg
            """)
    }

    @Test func drawsInEachPixelFormat() throws {
        let chain = FontChain(try latinFont())
        var rgb = Canvas(width: 4, height: 4, format: .rgb)
        chain.draw("A", on: &rgb, x: 0, baseline: 4, colour: .rgb(RGB(0, 0, 255)))
        expectPicture(rgb.bitmap, """
            .b..
            b.b.
            bbb.
            b.b.
            """)
    }
}
