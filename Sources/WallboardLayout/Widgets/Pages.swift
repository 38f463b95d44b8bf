import Foundation
import WallboardRender
import WallboardYAML

/// `pages:` groups of widgets shown in turn, `every` seconds each, on the wall clock's grid or
/// counted `from` a time stamp in the context.
struct PagesKind: WidgetKind {
    static let name = "pages"
    static let maySpanBezels = true
    static let keys = ["every", "from"]
    /// Pages hold widgets with rectangles of their own; they need none.
    static let fillsTheBoardWithoutRect = true

    let pages: [[Widget]]
    let seconds: Double
    /// The time stamp the first page shows from; nil: pages turn on the wall clock's grid.
    let originPath: String?

    static func parse(_ value: YAMLValue, fields: YAMLMapping, rect: Rect, scope: Scope) throws -> PagesKind {
        let pages = try value.sequence().map { page in try scope.widgets(page) }
        guard !pages.isEmpty else { throw value.error("'pages' needs at least one page") }
        return PagesKind(
            pages: pages, seconds: try fields.optional("every")?.double(in: 0.5...3600) ?? 8,
            originPath: try fields.optional("from").map { try scope.timePath($0, countedBy: "pages") })
    }

    func inputs(mustacheFields: Set<String>) -> Set<String> {
        pages.joined().reduce(into: Set(originPath.map { [$0] } ?? [])) { paths, widget in paths.formUnion(widget.inputs(mustacheFields: mustacheFields)) }
    }

    var templateRootFields: Set<String> { pages.joined().reduce(into: []) { $0.formUnion($1.kind.templateRootFields) } }
    var fontNames: Set<String> { pages.joined().reduce(into: []) { $0.formUnion($1.kind.fontNames) } }
    var animates: Bool { pages.joined().contains(where: \.animates) }

    /// One page shows at a time.
    func mostTextAreas(in rect: Rect) -> Int {
        pages.map(Widget.mostTextAreas).max() ?? 0
    }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        let origin = originPath.flatMap { binding.context.lookup($0)?.date }
        return Pages(pages: pages.indices.map(binding.bindPage), seconds: seconds, origin: origin?.timeIntervalSince1970 ?? 0)
    }
}

/// Groups of widgets shown in turn: the same page on every board at the same moment, or counted
/// from a moment of the data (the first page for a whole period after a dispatch).
struct Pages: DrawnWidget {
    let pages: [[any DrawnWidget]]
    let seconds: Double
    /// The moment the first page shows from, in seconds since 1970 on the frame's clock; 0 for
    /// the wall clock's grid.
    let origin: Double
    /// Every page's rectangles together, worked out once: a frame asks for them many times.
    let bounds: Rect
    /// The text area of each page that is one widget that does not move (the same at every
    /// moment), made once; nil for the other pages, drawn again when asked.
    let stillAreas: [TextArea?]

    init(pages: [[any DrawnWidget]], seconds: Double, origin: Double = 0) {
        self.pages = pages
        self.seconds = seconds
        self.origin = origin
        bounds = pages.joined().map(\.bounds).reduce(Rect(x: 0, y: 0, width: 0, height: 0)) { $0.union($1) }
        var scratch = Canvas(width: 1, height: 1, format: .mono)
        stillAreas = pages.map { page in
            guard pages.count > 1, page.count == 1, let widget = page.first, !widget.isAnimated else { return nil }
            var output = RenderOutput()
            Pages.drawAreas(of: widget, on: &scratch, at: Date(timeIntervalSince1970: 0), into: &output)
            return output.textAreas.count == 1 ? output.textAreas.first : nil
        }
    }

    /// Makes `widget`'s text areas at `now` through an empty clip: no pixels change.
    static func drawAreas(of widget: any DrawnWidget, on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        let clip = canvas.clip
        defer { canvas.clip = clip }
        canvas.clip = Rect(x: 0, y: 0, width: 0, height: 0)
        widget.draw(on: &canvas, at: now, into: &output)
    }

    var isAnimated: Bool { true }

    static func == (lhs: Pages, rhs: Pages) -> Bool {
        lhs.seconds == rhs.seconds && lhs.origin == rhs.origin && lhs.pages.count == rhs.pages.count && zip(lhs.pages, rhs.pages).allSatisfy { page, other in
            page.count == other.count && zip(page, other).allSatisfy { $0.drawsLike($1) }
        }
    }

    func page(at now: Date) -> Int { Pages.page(at: now, of: pages.count, every: seconds, from: origin) }

    /// Which of `count` pages shows at `now` when each shows for `seconds` from `origin` (seconds
    /// since 1970): with 0, the same page on every board at the same moment. Panels whose items
    /// do not all fit page this way too.
    static func page(at now: Date, of count: Int, every seconds: Double, from origin: Double = 0) -> Int {
        TextArea.Turning.page(at: now.timeIntervalSince1970, of: count, every: seconds, from: origin)
    }

    /// The first moment after `now` at which another of `count` pages shows, each for `seconds`
    /// from `origin`; nil for one page.
    static func nextTurn(after now: Date, of count: Int, every seconds: Double, from origin: Double = 0) -> Date? {
        guard count > 1, seconds > 0 else { return nil }
        let turns = ((now.timeIntervalSince1970 - origin) / seconds).rounded(.down) + 1
        guard turns.isFinite else { return nil }
        var next = origin + turns * seconds
        // Rounding may put the moment a hair before the turn that `page(at:)` sees.
        while ((next - origin) / seconds).rounded(.down) < turns { next = next.nextUp }
        return Date(timeIntervalSince1970: next)
    }

    func nextChange(after now: Date) -> Date? {
        let shown = pages.isEmpty ? [] : pages[page(at: now)].map { $0.nextChange(after: now) }
        return ([Pages.nextTurn(after: now, of: pages.count, every: seconds, from: origin)] + shown).compactMap { $0 }.min()
    }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool {
        let page = page(at: now)
        guard page == self.page(at: earlier) else { return false }
        return pages.isEmpty || pages[page].allSatisfy { $0.drawsTheSame(at: now, asAt: earlier) }
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        guard !pages.isEmpty else { return }
        let shown = page(at: now)
        let areasBefore = output.textAreas.count
        for widget in pages[shown] {
            widget.draw(on: &canvas, at: now, into: &output)
        }
        if output.textAreas.count == areasBefore + 1, let turning = turning(showing: output.textAreas[areasBefore], at: shown, moment: now, on: &canvas) {
            output.textAreas[areasBefore].timeline = .turning(turning)
        }
    }

    /// Every page's text area at `now`, where each page is one area at the same place, still or
    /// moving only to be read (the door board's address and complaint, its date and standby
    /// list): a controller that turns pages can then be sent them all at once. Nil where a page
    /// has more or fewer areas, or one that scrolls as a ticker, blinks, counts or turns by
    /// itself. Pages that do not move were made once; the others are drawn through an empty clip.
    private func turning(showing area: TextArea, at shown: Int, moment now: Date, on canvas: inout Canvas) -> TextArea.Turning? {
        func turns(_ page: TextArea) -> Bool {
            page.motion != .scrollLeft && !page.blinks && page.timeline == nil && page.rect == area.rect
        }
        guard pages.count > 1, turns(area) else { return nil }
        var areas: [TextArea] = []
        areas.reserveCapacity(pages.count)
        for (index, page) in pages.enumerated() {
            if index == shown {
                areas.append(area)
            } else if let still = stillAreas[index] {
                guard turns(still) else { return nil }
                areas.append(still)
            } else {
                var output = RenderOutput()
                for widget in page { Pages.drawAreas(of: widget, on: &canvas, at: now, into: &output) }
                guard output.textAreas.count == 1, let other = output.textAreas.first, turns(other) else { return nil }
                areas.append(other)
            }
        }
        return TextArea.Turning(pages: areas, seconds: seconds, origin: origin)
    }
}
