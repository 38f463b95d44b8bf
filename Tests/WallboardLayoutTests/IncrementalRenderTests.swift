import Foundation
import Testing
import WallboardTestKit
import WallboardDispatch
import WallboardLayout
import WallboardRender

/// Drawing from cached layers must give exactly the pixels and text of drawing from scratch.
@Suite struct IncrementalRenderTests {
    @Test(arguments: ShippedLayoutTests.files)
    func framesFromTheCacheMatchFreshFrames(file: String) throws {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        let renderer = try Fixture.renderer(layout)
        var changed = Fixture.snapshot(secondAlert: true)
        changed.vehicles[3].statusCode = 7
        changed.vehicles[3].status = .standby
        changed.incidents[1].complaint = "两车相撞 3人受伤"
        let snapshots = [Fixture.snapshot(), changed, Fixture.snapshot(departed: true), Fixture.snapshot()]
        var bound = renderer.bind(snapshots[0], staleSince: nil)
        for (step, snapshot) in snapshots.enumerated() {
            if step > 0 { bound.rebind(snapshot, staleSince: step == 2 ? Fixture.now.addingTimeInterval(-30) : nil) }
            for offset in [0.0, 0.5, 1.0, 7.25, 61] {
                let moment = Fixture.now.addingTimeInterval(offset)
                let cached = bound.render(at: moment)
                let fresh = renderer.render(snapshot, staleSince: step == 2 ? Fixture.now.addingTimeInterval(-30) : nil, at: moment)
                #expect(cached.frame.bitmap == fresh.frame.bitmap, "\(file) differs at step \(step), +\(offset) s")
                #expect(cached.output.strings == fresh.output.strings)
                #expect(cached.frame.textAreas == fresh.frame.textAreas)
            }
        }
    }

    @Test func localTimeFieldsMatchFoundationsCalendar() throws {
        var generator = SeededGenerator(seed: 9)
        let zones = ["Asia/Shanghai", "UTC", "America/New_York", "Asia/Kathmandu", "Pacific/Chatham"].compactMap(TimeZone.init(identifier:))
        #expect(zones.count == 5)
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double(generator.next() % 8_000_000_000) - 2_000_000_000)
            let zone = zones[Int(generator.next() % UInt64(zones.count))]
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
            let expected = String(format: "%04d-%02d-%02d %02d:%02d:%02d ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
                + TimeFormatter.weekdays[(parts.weekday ?? 1) - 1]
            #expect(TimeFormatter(timeZone: zone).string(date, pattern: "yyyy-MM-dd HH:mm:ss EEEE") == expected, "\(date) in \(zone.identifier)")
        }
    }
}
