import Foundation
import WallboardRender
import WallboardText

/// What drawing a frame produced besides pixels.
public struct RenderOutput: Sendable {
    public var textAreas: [TextArea] = []
    /// Characters no font could draw (shown as replacement boxes).
    public var missing: [Unicode.Scalar] = []
    /// Every string drawn, in order: what the privacy tests read.
    public var strings: [String] = []

    mutating func record(_ text: String, missing newMissing: [Unicode.Scalar]) {
        strings.append(text)
        for scalar in newMissing where !missing.contains(scalar) { missing.append(scalar) }
    }
}

/// A widget with its data bound: all that is left is drawing it at a moment.
///
/// Two widgets are equal when they draw the same pixels and text areas at every moment: that is
/// how a new binding tells which widgets changed since the one before.
protocol DrawnWidget: Sendable, Equatable {
    /// Draws the widget as it is at `now` and adds its text areas (the same content, for
    /// font-card controllers) to `output`. Nothing is drawn outside `bounds`.
    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput)
    /// The rectangle the widget draws in.
    var bounds: Rect { get }
    /// True when the picture depends on `now` (clocks, timers, marquees, blinking, pages):
    /// such widgets are drawn every frame, the others once per snapshot.
    var isAnimated: Bool { get }
    /// True when the widget draws the same pixels and text areas at `now` as at `earlier`, so
    /// that a frame may keep what an earlier one drew. Always true of widgets that do not move.
    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool
    /// The earliest moment after `now` at which the widget may draw otherwise than at `now`:
    /// it draws the same at every moment from `now` until then. Nil: never by itself (only new
    /// data changes it); `now` itself: at any moment (a widget that cannot tell).
    func nextChange(after now: Date) -> Date?
    /// Where the pixels drawn differ from those `previous` (the widget bound in its place
    /// before, which draws otherwise) drew: outside these rectangles both drew the same.
    func changedRects(since previous: any DrawnWidget) -> [Rect]
    /// Widgets bound with this one and drawn after it (a table's timer columns).
    var companions: [any DrawnWidget] { get }
    /// True when drawing sets every pixel of `bounds`, so that nothing drawn before shows through.
    var isOpaque: Bool { get }
}

extension DrawnWidget {
    var isAnimated: Bool { false }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool { !isAnimated }

    func nextChange(after now: Date) -> Date? { isAnimated ? now : nil }

    func changedRects(since previous: any DrawnWidget) -> [Rect] { wholeBounds(since: previous) }

    var companions: [any DrawnWidget] { [] }

    var isOpaque: Bool { false }

    /// True when `other` is a widget of the same type that draws the same.
    func drawsLike(_ other: any DrawnWidget) -> Bool {
        guard let other = other as? Self else { return false }
        return self == other
    }

    /// Both widgets' rectangles: where anything may differ.
    func wholeBounds(since previous: any DrawnWidget) -> [Rect] {
        previous.bounds == bounds ? [bounds] : [bounds, previous.bounds]
    }

    /// The boxes of the parts that differ by position between `current` and `previous`: the
    /// box of each part that changed, appeared or went, before and after.
    func changedBoxes<Part: Equatable>(_ current: [Part], _ previous: [Part], box: (Part) -> Rect) -> [Rect] {
        var boxes: [Rect] = []
        for index in 0..<max(current.count, previous.count) {
            let now = index < current.count ? current[index] : nil, before = index < previous.count ? previous[index] : nil
            guard now != before else { continue }
            if let now { boxes.append(box(now)) }
            if let before, now.map(box) != box(before) { boxes.append(box(before)) }
        }
        return boxes
    }

    /// `rects`, or one rectangle around them all when there are more than `limit`: each
    /// rectangle redraws the widget once, and past a few one redraw costs less.
    func coalesced(_ rects: [Rect], beyond limit: Int) -> [Rect] {
        guard rects.count > limit, let first = rects.first else { return rects }
        return [rects.dropFirst().reduce(first) { $0.union($1) }]
    }
}

/// Shows its content only in the first half of every second: critical items. A new alert is
/// lit from its dispatch (`litUntil`) instead of waiting out a dark half second, as the drivers
/// of font cards send it (`BoardDriver.frameToSend`).
struct Blinking: DrawnWidget {
    let content: any DrawnWidget
    /// Before this moment the content shows whatever the phase; nil: it blinks from the start.
    let litUntil: Date?
    /// When what blinks appeared: on a door board, the dispatch of the alert on show.
    static let appearancePath = "alert.dispatchedAt"

    var bounds: Rect { content.bounds }
    var isAnimated: Bool { true }

    static func == (lhs: Blinking, rhs: Blinking) -> Bool { lhs.litUntil == rhs.litUntil && lhs.content.drawsLike(rhs.content) }

    static func isVisible(at now: Date) -> Bool {
        let fraction = now.timeIntervalSince1970 - now.timeIntervalSince1970.rounded(.down)
        return fraction < 0.5
    }

    /// Lit for a whole second at least after `appearing` (a dispatch reaches the board through
    /// the database and the source's poll in well under that), ending on a second so that the
    /// text then blinks in step with every other board.
    static func litUntil(appearing: Date) -> Date {
        Date(timeIntervalSince1970: (appearing.timeIntervalSince1970 + 1).rounded(.up))
    }

    func isVisible(at now: Date) -> Bool {
        Blinking.isVisible(at: now) || litUntil.map { now < $0 } ?? false
    }

    /// The next turn of the blinking phase after `now`: the next half or whole second.
    static func nextPhase(after now: Date) -> Date {
        let second = now.timeIntervalSince1970.rounded(.down)
        return Date(timeIntervalSince1970: isVisible(at: now) ? second + 0.5 : second + 1)
    }

    func nextChange(after now: Date) -> Date? {
        var phase = Blinking.nextPhase(after: now)
        // Lit throughout until `litUntil`: the phase first matters from then on.
        if let litUntil, now < litUntil {
            phase = Blinking.isVisible(at: litUntil) ? Blinking.nextPhase(after: litUntil) : litUntil
        }
        return [phase, content.nextChange(after: now)].compactMap { $0 }.min()
    }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool {
        isVisible(at: now) == isVisible(at: earlier) && content.drawsTheSame(at: now, asAt: earlier)
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var areas = RenderOutput()
        if isVisible(at: now) {
            content.draw(on: &canvas, at: now, into: &areas)
        } else {
            // Drawn through an empty clip: no pixels change, but the text areas are still made.
            let clip = canvas.clip
            canvas.clip = Rect(x: 0, y: 0, width: 0, height: 0)
            content.draw(on: &canvas, at: now, into: &areas)
            canvas.clip = clip
        }
        output.textAreas += areas.textAreas.map { area in
            var blinking = area
            blinking.blinks = true
            return blinking
        }
        for scalar in areas.missing where !output.missing.contains(scalar) { output.missing.append(scalar) }
        output.strings += areas.strings
    }
}

extension TextArea.Alignment {
    init(_ alignment: HorizontalAlignment) {
        switch alignment {
        case .left: self = .left
        case .centre: self = .centre
        case .right: self = .right
        }
    }
}
