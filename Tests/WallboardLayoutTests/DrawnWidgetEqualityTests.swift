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
}
