import Testing
import WallboardRender

/// Copies of a bitmap share its pixels until one is drawn on, in the heap's small buffers and the
/// kernel's large ones alike (a 4K frame is mapped, a door board's is not); a large one let go of
/// is taken again by the next of its size.
@Suite struct BitmapStorageTests {
    @Test(arguments: [(24, 8), (3840, 2160)])
    func aCopyKeepsItsPixelsWhenTheOriginalIsDrawnOn(width: Int, height: Int) throws {
        var canvas = Canvas(width: width, height: height, format: .rgb)
        #expect(canvas.bitmap.withUnsafePixels { $0.allSatisfy { $0 == 0 } }, "a new bitmap is all off")
        canvas.fill(Rect(x: 2, y: 2, width: 4, height: 3), .red)
        let kept = canvas.bitmap
        let copied = try #require(Bitmap(width: width, height: height, format: .rgb, pixels: kept.pixels))
        #expect(kept == copied && kept.hashValue == copied.hashValue)

        canvas.fill(Rect(x: width - 3, y: height - 2, width: 3, height: 2), .rgb(RGB(0, 0, 255)))
        canvas.setPixel(x: 2, y: 2, .off)
        #expect(kept == copied, "drawing on the canvas left the frame taken from it as it was")
        #expect(kept.colour(x: 3, y: 3) == .red && kept[2, 2] != 0 && kept[width - 1, height - 1] == 0)
        #expect(canvas.bitmap != kept)
        #expect(canvas.bitmap.changedRegion(since: kept) == Rect(x: 2, y: 2, width: width - 2, height: height - 2))
        #expect(canvas.bitmap.colour(x: width - 1, y: height - 1) == RGB(0, 0, 255) && canvas.bitmap[2, 2] == 0)
    }

    /// Each 4K frame here takes the memory the one before let go of, drawn all red: it must
    /// still start all off, and a copy made into such memory must hold exactly what it copies.
    @Test func framesTakingMemoryLetGoOfStartOffAndCopyExactly() {
        for round in 0..<3 {
            var canvas = Canvas(width: 3840, height: 2160, format: .rgb)
            #expect(canvas.bitmap.withUnsafePixels { $0.allSatisfy { $0 == 0 } }, "round \(round)")
            canvas.clear(.red)
            let shown = canvas.bitmap
            canvas.fill(Rect(x: 0, y: 0, width: 2, height: 2), .green)
            #expect(shown.withUnsafePixels { $0.allSatisfy { $0 == shown[0, 0] } } && shown.colour(x: 0, y: 0) == .red)
            #expect(canvas.bitmap.colour(x: 1, y: 1) == .green && canvas.bitmap.colour(x: 2, y: 2) == .red)
        }
    }
}
