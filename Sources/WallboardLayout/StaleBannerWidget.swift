import Foundation
import WallboardDispatch
import WallboardRender

/// The "data interrupted since" banner: drawn over whatever is beneath it.
struct StaleBannerWidget: DrawnWidget {
    let text: TextWidget

    /// The banner for a board whose source stopped answering at `staleSince`, or that has no
    /// data yet (nil `snapshot`); nil when the data is fresh.
    init?(renderer: BoardRenderer, snapshot: DispatchSnapshot?, staleSince: Date?) {
        guard snapshot == nil || staleSince != nil else { return nil }
        let banner = renderer.layout.staleBanner
        let since = snapshot == nil ? nil : staleSince
        let time = since.map { TimeFormatter(timeZone: renderer.identity.timeZone).string($0, pattern: "HH:mm:ss") } ?? "--:--:--"
        let text = banner.text.replacingOccurrences(of: "{time}", with: time)
        let style = TextStyle(fonts: banner.fonts, colour: Thresholds(base: banner.colour, rules: []), colourBy: nil, align: .centre, valign: .middle, overflow: .shrink)
        guard let laidOut = TextWidget(id: renderer.bannerAreaID, rect: banner.rect, text: text, style: style, chains: renderer.fonts(banner.fonts)) else {
            return nil
        }
        self.text = laidOut
    }

    var bounds: Rect { text.rect }
    var isAnimated: Bool { true }

    /// Animated only so that it is drawn last, over what moves beneath it; it never moves itself.
    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool { true }
    func nextChange(after now: Date) -> Date? { nil }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        canvas.fill(text.rect, .off)
        text.draw(on: &canvas, at: now, into: &output)
    }
}
