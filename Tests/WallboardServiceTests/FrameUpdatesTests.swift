import Testing
import WallboardRender
@testable import WallboardService

@Suite struct FrameUpdatesTests {
    @Test func firstFrameIsSentWhole() {
        let bitmap = Bitmap(width: 40, height: 20, format: .rgb)
        #expect(FrameUpdates.changedRegions(bitmap, since: nil) == [bitmap.bounds])
        let message = FrameUpdates.rawMessage(bitmap, regions: [bitmap.bounds]) ?? []
        #expect(message.count == 6 + 8 + 40 * 20 * 3)
        #expect(Array(message.prefix(6)) == [40, 0, 20, 0, 1, 0])
        #expect(inflate(FrameUpdates.message(bitmap, regions: [bitmap.bounds]) ?? []) == message, "what travels is the message deflated")
    }

    @Test func distantChangesTravelAsSmallRegions() {
        var before = Canvas(width: 1920, height: 1080, format: .rgb)
        before.fill(Rect(x: 0, y: 0, width: 1920, height: 1080), .on)
        var after = before
        after.fill(Rect(x: 1800, y: 10, width: 60, height: 20), .red)
        after.fill(Rect(x: 100, y: 900, width: 30, height: 8), .green)
        let regions = FrameUpdates.changedRegions(after.bitmap, since: before.bitmap)
        // The red box spans two bands with the same columns: they join into one region.
        #expect(regions == [Rect(x: 1800, y: 10, width: 60, height: 20), Rect(x: 100, y: 900, width: 30, height: 8)])
        let bytes = FrameUpdates.rawMessage(after.bitmap, regions: regions)?.count ?? 0
        #expect(bytes < 1920 * 1080 * 3 / 100, "well under 1% of the raw frame")
        #expect((FrameUpdates.message(after.bitmap, regions: regions)?.count ?? .max) < bytes / 10, "runs of one colour compress")
        #expect(FrameUpdates.message(after.bitmap, regions: FrameUpdates.changedRegions(after.bitmap, since: after.bitmap)) == nil)
    }

    @Test func paintingTheRegionsOverTheOldFrameGivesTheNewOne() {
        var before = Canvas(width: 64, height: 40, format: .bicolor)
        before.fill(Rect(x: 3, y: 3, width: 10, height: 30), .red)
        var after = before
        after.fill(Rect(x: 20, y: 18, width: 30, height: 5), .amber)
        after.fill(Rect(x: 3, y: 3, width: 2, height: 2), .off)
        let regions = FrameUpdates.changedRegions(after.bitmap, since: before.bitmap)
        var painted = before
        for region in regions {
            painted.blit(after.bitmap.cropped(to: region), x: region.x, y: region.y)
        }
        #expect(painted.bitmap == after.bitmap)
    }
}
