import Testing
import WallboardRender
import WallboardTestKit

@Suite struct CanvasTests {
    @Test func fillIsClippedToTheCanvas() {
        var canvas = Canvas(width: 6, height: 3, format: .mono)
        canvas.fill(Rect(x: 4, y: 1, width: 5, height: 5), .on)
        expectPicture(canvas.bitmap, """
            ......
            ....##
            ....##
            """)
    }

    @Test func clipRestrictsDrawingAndIsRestored() {
        var canvas = Canvas(width: 5, height: 3, format: .bicolor)
        canvas.clipped(to: Rect(x: 1, y: 1, width: 2, height: 2)) { inner in
            inner.clear(.red)
        }
        canvas.setPixel(x: 4, y: 0, .green)
        expectPicture(canvas.bitmap, """
            ....g
            .rr..
            .rr..
            """)
    }

    @Test func outlineAndLines() {
        var canvas = Canvas(width: 5, height: 4, format: .bicolor)
        canvas.strokeRectangle(Rect(x: 0, y: 0, width: 5, height: 4), .amber)
        canvas.line(from: (1, 1), to: (3, 2), .green)
        expectPicture(canvas.bitmap, """
            aaaaa
            ag..a
            a.gga
            aaaaa
            """)
    }

    @Test func blitConvertsFormatsAndCanKeepOffTransparent() throws {
        let source = try #require(AsciiPicture.parse("""
            r.
            wb
            """, format: .rgb))
        var canvas = Canvas(width: 3, height: 2, format: .bicolor)
        canvas.clear(.amber)
        canvas.blit(source, x: 1, y: 0, transparentOff: true)
        expectPicture(canvas.bitmap, """
            ara
            aag
            """)
    }

    @Test func blitClipsAtNegativeOrigins() throws {
        let source = try #require(AsciiPicture.parse("""
            ##.
            #.#
            """, format: .mono))
        var canvas = Canvas(width: 2, height: 2, format: .mono)
        canvas.blit(source, x: -1, y: 1)
        expectPicture(canvas.bitmap, """
            ..
            #.
            """)
    }
}

@Suite struct PixelFormatTests {
    @Test(arguments: [
        (RGB(255, 0, 0), PixelFormat.bicolor, UInt32(1)),
        (RGB(0, 200, 0), .bicolor, 2),
        (RGB(255, 165, 0), .bicolor, 3),
        (RGB(0, 0, 255), .bicolor, 2),
        (RGB(60, 60, 60), .bicolor, 0),
        (RGB(0, 0, 200), .mono, 1),
        (RGB(100, 100, 100), .mono, 0),
        (RGB(18, 52, 86), .rgb, 0x123456),
    ])
    func quantisesRGB(colour: RGB, format: PixelFormat, expected: UInt32) {
        #expect(format.value(for: colour) == expected)
    }

    @Test func namedColoursOnEachFormat() {
        #expect(PixelFormat.mono.value(for: Color.red) == 1)
        #expect(PixelFormat.bicolor.value(for: Color.on) == 3)
        #expect(PixelFormat.rgb.value(for: Color.amber) == RGB.amber.packed)
        #expect(PixelFormat.rgb.value(for: Color.off) == 0)
    }

    @Test func colourNamesParse() {
        #expect(Color(name: "Amber") == .amber)
        #expect(Color(name: "#FF8800") == .rgb(RGB(255, 136, 0)))
        #expect(Color(name: "#FF88") == nil)
        #expect(Color(name: "purple") == nil)
    }

    @Test func conversionRoundTripsThroughEachFormat() throws {
        let picture = try #require(AsciiPicture.parse("rgaw.", format: .rgb))
        #expect(AsciiPicture.render(picture.converted(to: .bicolor)) == "rgaa.")
        #expect(AsciiPicture.render(picture.converted(to: .mono)) == "####.")
        #expect(AsciiPicture.render(picture.converted(to: .bicolor).converted(to: .rgb)) == "rgaa.")
    }

    @Test func changedRegionBoundsTheDifference() {
        let before = Bitmap(width: 8, height: 4, format: .mono)
        var after = before
        after[2, 1] = 1
        after[5, 2] = 1
        #expect(after.changedRegion(since: before) == Rect(x: 2, y: 1, width: 4, height: 2))
        #expect(before.changedRegion(since: before) == nil)
        #expect(after.cropped(to: Rect(x: 2, y: 1, width: 4, height: 2)).pixels == [1, 0, 0, 0, 0, 0, 0, 1])
    }

    @Test func malformedPicturesAreRejected() {
        #expect(AsciiPicture.parse("##\n#", format: .mono) == nil)
        #expect(AsciiPicture.parse("#r", format: .mono) == nil)
    }
}

@Suite struct RegionTests {
    @Test func copyRestoresOnlyTheRegion() throws {
        var layer = Canvas(width: 4, height: 2, format: .mono)
        layer.clear(.on)
        var canvas = Canvas(width: 4, height: 2, format: .mono)
        canvas.copy(Rect(x: 1, y: 1, width: 9, height: 9), from: layer.bitmap)
        expectPicture(canvas.bitmap, """
            ....
            .###
            """)
        canvas.copy(Rect(x: 0, y: 0, width: 4, height: 2), from: Bitmap(width: 3, height: 2, format: .mono))
        #expect(canvas.bitmap[1, 1] == 1, "a source of another size is ignored")
    }

    @Test func unionAndIntersects() {
        let a = Rect(x: 0, y: 0, width: 2, height: 2), b = Rect(x: 3, y: 1, width: 2, height: 2)
        #expect(a.union(b) == Rect(x: 0, y: 0, width: 5, height: 3))
        #expect(!a.intersects(b))
        #expect(a.intersects(Rect(x: 1, y: 1, width: 5, height: 5)))
        #expect(Rect(x: 0, y: 0, width: 0, height: 0).union(b) == b)
    }
}
