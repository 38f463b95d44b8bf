import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// `clock:` the time (or date) at `now`, with a `TimeFormatter` pattern.
struct ClockKind: StyledTextKind {
    static let name = "clock"

    let pattern: String
    let style: TextStyle

    static func parse(_ value: YAMLValue, fields: YAMLMapping, rect: Rect, scope: Scope) throws -> ClockKind {
        ClockKind(pattern: try value.string(), style: try scope.style(fields, rect: rect))
    }

    func inputs(mustacheFields: Set<String>) -> Set<String> { [] }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        let formatter = TimeFormatter(timeZone: binding.renderer.identity.timeZone)
        return TimeText(id: binding.id, rect: binding.rect, source: .clock(pattern: TimePattern(pattern), formatter), chains: binding.fonts(style.fonts), style: style)
    }
}

/// `timer:` the time elapsed since a context time stamp, coloured by thresholds in seconds.
struct TimerKind: StyledTextKind {
    static let name = "timer"

    let path: String
    let style: TextStyle

    static func parse(_ value: YAMLValue, fields: YAMLMapping, rect: Rect, scope: Scope) throws -> TimerKind {
        TimerKind(path: try scope.timePath(value), style: try scope.style(fields, rect: rect))
    }

    func inputs(mustacheFields: Set<String>) -> Set<String> { [path] }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let since = binding.context.lookup(path)?.date else { return nil }
        return TimeText(id: binding.id, rect: binding.rect, source: .elapsed(since: since, style.colour), chains: binding.fonts(style.fonts), style: style)
    }
}

/// Text that follows the clock: the time of day, or the time elapsed since a time stamp.
struct TimeText: DrawnWidget {
    enum Source: Sendable, Equatable {
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

    static func == (lhs: TimeText, rhs: TimeText) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.source == rhs.source && lhs.chains.map(\.name) == rhs.chains.map(\.name)
            && lhs.style == rhs.style
    }

    func text(at now: Date) -> (String, Color) {
        switch source {
        case .clock(let pattern, let formatter):
            return (formatter.string(now, pattern: pattern), style.colour.base)
        case .elapsed(let since, let thresholds):
            let run = ElapsedText(thresholds: thresholds).run(atElapsed: now.timeIntervalSince(since))
            return (run.text, run.colour)
        }
    }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool {
        switch source {
        case .clock(let pattern, let formatter):
            // Zone offsets change on whole seconds; within one second nothing changes. Across
            // seconds the text tells: an HH:mm clock draws the same for a minute.
            return wholeSeconds(now.timeIntervalSince1970) == wholeSeconds(earlier.timeIntervalSince1970)
                || formatter.string(now, pattern: pattern) == formatter.string(earlier, pattern: pattern)
        case .elapsed(let since, let thresholds):
            return TimeFormatter.elapsedShowsTheSame(since: since, thresholds: thresholds, at: now, asAt: earlier)
        }
    }

    func nextChange(after now: Date) -> Date? {
        switch source {
        case .clock(let pattern, let formatter):
            return formatter.nextChange(of: pattern, after: now)
        case .elapsed(let since, let thresholds):
            return TimeFormatter.nextElapsedChange(since: since, thresholds: thresholds, after: now)
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
        output.textAreas.append(
            TextArea(id: id, rect: rect, runs: [.init(text, colour: colour)], alignment: .init(style.align), fontHeight: chain.lineHeight, timeline: counting.map(TextArea.Timeline.counting)))
    }

    /// How a timer's text goes on counting; nil for a clock.
    var counting: TextArea.Counting? {
        guard case .elapsed(let since, let thresholds) = source else { return nil }
        return TextArea.Counting(since: since.timeIntervalSince1970, text: ElapsedText(thresholds: thresholds))
    }
}

/// A timer's text and colour at each moment: the time elapsed, coloured by thresholds in seconds.
struct ElapsedText: CountingText {
    let thresholds: Thresholds

    func run(atElapsed seconds: Double) -> TextArea.Run {
        .init(TimeFormatter.elapsed(seconds), colour: thresholds.colour(for: seconds))
    }
}
