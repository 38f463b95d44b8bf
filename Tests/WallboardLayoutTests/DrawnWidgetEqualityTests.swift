import Foundation
import Testing
import WallboardRender
@testable import WallboardLayout

/// Whether a widget draws the same as the one bound in its place before is a comparison of
/// what it draws, not of a hash that leaves things out.
@Suite struct DrawnWidgetEqualityTests {
    static func marquee(text: String = "急救3号", colour: Color = .red, speed: Double = 32) -> Marquee {
        Marquee(
            id: 1, rect: Rect(x: 0, y: 0, width: 12, height: 5), text: text, chain: WidgetPictureTests.tiny,
            speed: speed, colour: colour, valign: .middle
        )
    }

    @Test func marqueesWithTheSameTextAndZoneButAnotherColourOrSpeedDrawOtherwise() {
        #expect(Self.marquee().drawsLike(Self.marquee()))
        #expect(!Self.marquee().drawsLike(Self.marquee(colour: .green)), "a red and a green marquee draw other pixels")
        #expect(!Self.marquee().drawsLike(Self.marquee(speed: 7)))
        #expect(!Self.marquee().drawsLike(Self.marquee(text: "急救5号")))
    }

    @Test func widgetsOfAnotherTypeNeverDrawAlike() {
        let box = Box(rect: Rect(x: 0, y: 0, width: 12, height: 5), colour: .red, filled: true)
        #expect(!Self.marquee().drawsLike(box))
        #expect(box.drawsLike(Box(rect: box.rect, colour: .red, filled: true)))
        #expect(!box.drawsLike(Box(rect: box.rect, colour: .red, filled: false)))
    }

    /// A clock draws the same while its text is the same: an HH:mm clock for a minute, an
    /// HH:mm:ss clock for a second.
    @Test func aClockDrawsTheSameWhileItsTextIsTheSame() throws {
        let zone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let style = TextStyle(fonts: [], colour: Thresholds(base: .red, rules: []), colourBy: nil, align: .centre, valign: .middle, overflow: .shrink)
        func clock(_ pattern: String) -> TimeText {
            TimeText(id: 1, rect: Rect(x: 0, y: 0, width: 30, height: 7), source: .clock(pattern: TimePattern(pattern), TimeFormatter(timeZone: zone)),
                     chains: [WidgetPictureTests.tiny], style: style)
        }
        let minuteStart = Date(timeIntervalSince1970: 1_780_000_020)  // 04:27:00 in Shanghai
        #expect(clock("HH:mm").drawsTheSame(at: minuteStart.addingTimeInterval(59.5), asAt: minuteStart))
        #expect(!clock("HH:mm").drawsTheSame(at: minuteStart.addingTimeInterval(60), asAt: minuteStart.addingTimeInterval(59.5)))
        #expect(!clock("HH:mm:ss").drawsTheSame(at: minuteStart.addingTimeInterval(1), asAt: minuteStart))
        #expect(clock("HH:mm:ss").drawsTheSame(at: minuteStart.addingTimeInterval(0.9), asAt: minuteStart))
    }
}
