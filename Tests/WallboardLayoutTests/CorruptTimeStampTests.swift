import Foundation
import Testing
import WallboardDispatch
@testable import WallboardLayout

/// Time stamps a dispatch database can hold by mistake: NaN, infinities, or finite values absurdly
/// far from now. Each is shown as something instead of trapping while it is converted to whole
/// seconds (found by `make fuzz`, target sqlite-rows).
@Suite struct CorruptTimeStampTests {
    @Test func elapsedTimeOfAnySpanIsText() {
        #expect(TimeFormatter.elapsed(3725.9) == "1:02:05")
        #expect(TimeFormatter.elapsed(.nan) == "0:00")
        #expect(TimeFormatter.elapsed(-.infinity) == "0:00")
        #expect(TimeFormatter.elapsed(-1e300) == "0:00")
        // Clamped to 10¹⁵ seconds.
        #expect(TimeFormatter.elapsed(1e300) == "277777777777:46:40")
        #expect(TimeFormatter.elapsed(.infinity) == "277777777777:46:40")
    }

    @Test func clockOfAnyMomentIsText() {
        let formatter = TimeFormatter(timeZone: Fixture.beijing)
        let pattern = "yyyy-MM-dd HH:mm:ss EEEE"
        #expect(formatter.string(Date(timeIntervalSince1970: -1e300), pattern: pattern) == formatter.string(Date(timeIntervalSince1970: -1e15), pattern: pattern))
        #expect(formatter.string(Date(timeIntervalSince1970: 1e300), pattern: pattern) == formatter.string(Date(timeIntervalSince1970: 1e15), pattern: pattern))
        #expect(formatter.string(Date(timeIntervalSince1970: .nan), pattern: pattern) == "1970-01-01 08:00:00 星期四")
    }

    /// A vehicle dispatched at -10³⁰⁰: the wall's ticker reports the longest wait it can count, and
    /// every shipped layout draws.
    @Test func aDispatchTimeFarInThePastDrawsOnEveryShippedLayout() throws {
        let snapshot = Fixture.snapshot(dispatchedSecondsAgo: 1e300)
        let context = ContextBuilder(identity: BoardIdentity(centreName: "中心", privacy: .internal, timeZone: Fixture.beijing)).context(for: snapshot)
        guard case .list(let alerts)? = context.lookup("alerts") else {
            Issue.record("no alerts in \(context)")
            return
        }
        let texts = alerts.compactMap { $0.lookup("text")?.display }
        #expect(texts.contains("急救3号 派车277777777777:46:40未出车"), "\(texts)")
        for layout in try PrivacyTests.layouts() {
            let (frame, _) = try Fixture.renderer(layout).render(snapshot, at: Fixture.now)
            #expect(frame.bitmap.width == layout.width, "\(layout.name)")
        }
    }
}
