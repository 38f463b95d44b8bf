import Foundation
import WallboardRender
import WallboardText

/// Text that follows the clock: the time of day, or the time elapsed since a time stamp.
struct TimeText: DrawnWidget {
    enum Source: Sendable {
        case clock(pattern: String, TimeFormatter)
        /// Elapsed since the date; the colour follows thresholds in seconds.
        case elapsed(since: Date, Thresholds)
    }

    let id: Int
    let rect: Rect
    let source: Source
    let chains: [FontChain]
    let style: TextStyle

    func text(at now: Date) -> (String, Color) {
        switch source {
        case .clock(let pattern, let formatter):
            return (formatter.string(now, pattern: pattern), style.colour.base)
        case .elapsed(let since, let thresholds):
            let seconds = now.timeIntervalSince(since)
            return (TimeFormatter.elapsed(seconds), thresholds.colour(for: seconds))
        }
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        let (text, colour) = text(at: now)
        guard let layout = TextLayout.largestFitting(text, chains: chains, width: rect.width, height: rect.height, wrap: false) else { return }
        let missing = layout.draw(on: &canvas, in: rect, horizontal: style.align, vertical: style.valign, colour: colour)
        output.record(text, missing: missing)
        output.textAreas.append(TextArea(id: id, rect: rect, runs: [.init(text, colour: colour)], alignment: .init(style.align), fontHeight: layout.chain.lineHeight))
    }
}
