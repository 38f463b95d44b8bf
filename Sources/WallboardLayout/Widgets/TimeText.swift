import Foundation
import WallboardRender
import WallboardText

/// Text that follows the clock: the time of day, or the time elapsed since a time stamp.
struct TimeText: DrawnWidget {
    enum Source: Sendable {
        case clock(pattern: TimePattern, TimeFormatter)
        /// Elapsed since the date; the colour follows thresholds in seconds.
        case elapsed(since: Date, Thresholds)
    }

    let id: Int
    let rect: Rect
    let source: Source
    /// Tallest first: the first whose text fits is used.
    let chains: [FontChain]
    let style: TextStyle

    init(id: Int, rect: Rect, source: Source, chains: [FontChain], style: TextStyle) {
        self.id = id
        self.rect = rect
        self.source = source
        self.chains = chains.sorted { $0.lineHeight > $1.lineHeight }
        self.style = style
    }

    var bounds: Rect { rect }
    var isAnimated: Bool { true }
    var fingerprint: Int { rect.hashValue }

    func text(at now: Date) -> (String, Color) {
        switch source {
        case .clock(let pattern, let formatter):
            return (formatter.string(now, pattern: pattern), style.colour.base)
        case .elapsed(let since, let thresholds):
            let seconds = now.timeIntervalSince(since)
            return (TimeFormatter.elapsed(seconds), thresholds.colour(for: seconds))
        }
    }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool {
        switch source {
        case .clock:
            // Patterns go down to the second, and zone offsets change on whole seconds.
            return wholeSeconds(now.timeIntervalSince1970) == wholeSeconds(earlier.timeIntervalSince1970)
        case .elapsed(let since, let thresholds):
            return TimeFormatter.elapsedShowsTheSame(since: since, thresholds: thresholds, at: now, asAt: earlier)
        }
    }

    /// One line, no breaking: the tallest chain the text fits, else the shortest, clipped.
    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        let (text, colour) = text(at: now)
        guard let fallback = chains.last else { return }
        var chain = fallback
        var width = fallback.measure(text)
        for candidate in chains where candidate.lineHeight <= rect.height {
            let candidateWidth = candidate.measure(text)
            if candidateWidth <= rect.width {
                chain = candidate
                width = candidateWidth
                break
            }
        }
        let x: Int
        switch style.align {
        case .left: x = rect.x
        case .centre: x = rect.x + (rect.width - width) / 2
        case .right: x = rect.maxX - width
        }
        let top: Int
        switch style.valign {
        case .top: top = rect.y
        case .middle: top = rect.y + (rect.height - chain.lineHeight) / 2
        case .bottom: top = rect.maxY - chain.lineHeight
        }
        var drawn = DrawnText(advance: 0, missing: [])
        canvas.clipped(to: rect) { canvas in
            drawn = chain.draw(text, on: &canvas, x: x, baseline: top + chain.ascent, colour: colour)
        }
        output.record(text, missing: drawn.missing)
        output.textAreas.append(TextArea(id: id, rect: rect, runs: [.init(text, colour: colour)], alignment: .init(style.align), fontHeight: chain.lineHeight))
    }
}
