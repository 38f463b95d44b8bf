import Foundation
import WallboardDispatch
import WallboardRender
import WallboardText
import WallboardYAML

/// `seatPanel:` a card per call-taker seat, coloured by its state: a title line, a detail line,
/// and the time in the current state counting on the right of the detail line. Seats that do not
/// all fit are shown a page at a time, `every` seconds each (8 by default): the text keeps its size.
struct SeatPanelKind: WidgetKind, Equatable {
    static let name = "seatPanel"
    static let keys: [String] = []

    var fonts: [String]
    /// Over a seat's fields (`name`, `dispatcher`, `state`, `callsToday`).
    var title: TextTemplate
    var detail: TextTemplate
    var columns: Int
    var colours: [SeatState: Color]
    var other: Color
    var pageSeconds: Double

    func inputs(mustacheFields: Set<String>) -> Set<String> { ["seats"] }
    var fontNames: Set<String> { Set(fonts) }
    func mostTextAreas(in rect: Rect) -> Int { 1 }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let chain = binding.fonts(fonts).first else { return nil }
        return SeatPanel(id: binding.id, rect: binding.rect, kind: self, chain: chain, seats: binding.context.items("seats"), memo: binding.renderer.memo)
    }

    static let standardColours: [SeatState: Color] = [.idle: .green, .talking: .red, .wrapUp: .amber, .away: .rgb(RGB(128, 128, 128))]

    static func parse(_ value: YAMLValue, fields widgetFields: YAMLMapping, rect: Rect, scope: Scope) throws -> SeatPanelKind {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["font", "title", "detail", "columns", "colours", "other", "every"])
        let seat = scope.context.items("seats").first ?? .object([:])
        func template(_ key: String, _ standard: String) throws -> TextTemplate {
            try fields.optional(key).map { try scope.template($0, against: seat) }
                ?? scope.template(source: standard, at: value.location, against: seat)
        }
        var colours = standardColours
        if let mapping = try fields.optional("colours")?.mapping() {
            for entry in mapping.entriesInOrder {
                guard let state = SeatState(rawValue: entry.key) else {
                    let names = SeatState.allCases.map(\.rawValue)
                    throw YAMLFileError(entry.keyLocation, "seat states are \(names.joined(separator: ", ")), not '\(entry.key)'\(suggestion(for: entry.key, among: names))")
                }
                colours[state] = try scope.colour(entry.value)
            }
        }
        return SeatPanelKind(
            fonts: try scope.fonts(fields.required("font")),
            title: try template("title", "{{name}} {{dispatcher}}"),
            detail: try template("detail", "{{state}} 接听{{callsToday}}"),
            columns: try fields.optional("columns")?.int(in: 1...64) ?? 1,
            colours: colours,
            other: try fields.optional("other").map(scope.colour) ?? .on,
            pageSeconds: try fields.optional("every")?.double(in: 0.5...3600) ?? 8
        )
    }
}

/// Seat cards in rows of `columns`, two lines each, with a bar of the state's colour on the left;
/// as many pages as the seats need.
struct SeatPanel: DrawnWidget {
    struct Card: Sendable, Equatable {
        var page: Int
        var bar: Rect
        var colour: Color
        var title: PlacedText
        var detail: PlacedText
        /// Where the time in state goes, and since when; nil when the seat has no time stamp.
        var timer: Rect
        var since: Date?
    }

    let id: Int
    let rect: Rect
    let chain: FontChain
    let cards: [Card]
    let pageCount: Int
    let pageSeconds: Double

    init(id: Int, rect: Rect, kind: SeatPanelKind, chain: FontChain, seats: [ContextValue], memo: LayoutMemo) {
        self.id = id
        self.rect = rect
        self.chain = chain
        let lineHeight = chain.lineHeight
        let cardWidth = rect.width / kind.columns, cardHeight = 2 * lineHeight + 2
        // Between columns, so that one card's timer never runs into the next card's text.
        let gutter = kind.columns > 1 ? lineHeight / 2 : 1
        let timerWidth = chain.measure("00:00:00")
        let perPage = kind.columns * max(1, rect.height / cardHeight)
        cards = seats.enumerated().map { overall, seat in
            let index = overall % perPage
            let card = Rect(x: rect.x + (index % kind.columns) * cardWidth, y: rect.y + (index / kind.columns) * cardHeight, width: cardWidth - gutter, height: cardHeight - 1)
            let colour = SeatState(rawValue: seat.lookup("stateCode")?.display ?? "").flatMap { kind.colours[$0] } ?? kind.other
            let barWidth = max(2, lineHeight / 4)
            let left = card.x + barWidth + 2, width = max(1, card.maxX - left)
            let title = kind.title.render(seat) { seat.mustacheValue }
            let detail = kind.detail.render(seat) { seat.mustacheValue }
            return Card(
                page: overall / perPage,
                bar: Rect(x: card.x, y: card.y, width: barWidth, height: card.height),
                colour: colour,
                title: PlacedText(title, chain: chain, memo: memo, in: Rect(x: left, y: card.y, width: width, height: lineHeight), colour: .on),
                detail: PlacedText(detail, chain: chain, memo: memo, in: Rect(x: left, y: card.y + lineHeight, width: max(1, width - timerWidth - 2), height: lineHeight), colour: colour),
                timer: Rect(x: card.maxX - timerWidth, y: card.y + lineHeight, width: timerWidth, height: lineHeight),
                since: seat.lookup("stateSince")?.date
            )
        }
        pageCount = (seats.count + perPage - 1) / perPage
        pageSeconds = kind.pageSeconds
    }

    var bounds: Rect { rect }
    var isAnimated: Bool { pageCount > 1 || cards.contains { $0.since != nil } }

    func page(at now: Date) -> Int { Pages.page(at: now, of: pageCount, every: pageSeconds) }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool {
        let shown = page(at: now)
        guard shown == page(at: earlier) else { return false }
        return cards.allSatisfy { card in
            guard card.page == shown, let since = card.since else { return true }
            return TimeFormatter.elapsedShowsTheSame(since: since, thresholds: Thresholds(base: card.colour, rules: []), at: now, asAt: earlier)
        }
    }

    func nextChange(after now: Date) -> Date? {
        let shown = page(at: now)
        let timers = cards.compactMap { card in
            card.page == shown ? card.since.map { TimeFormatter.nextElapsedChange(since: $0, thresholds: Thresholds(base: card.colour, rules: []), after: now) } : nil
        }
        return ([Pages.nextTurn(after: now, of: pageCount, every: pageSeconds)] + timers).compactMap { $0 }.min()
    }

    static func == (lhs: SeatPanel, rhs: SeatPanel) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.cards == rhs.cards && lhs.chain.name == rhs.chain.name
            && lhs.pageSeconds == rhs.pageSeconds
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var runs: [TextArea.Run] = []
        let shown = page(at: now)
        canvas.clipped(to: rect) { canvas in
            for card in cards where card.page == shown {
                canvas.fill(card.bar, card.colour)
                card.title.draw(on: &canvas, into: &output, runs: &runs)
                card.detail.draw(on: &canvas, into: &output, runs: &runs)
                if let since = card.since {
                    let text = TimeFormatter.elapsed(now.timeIntervalSince(since))
                    let timer = PlacedTimer(text: text, chain: chain, rect: card.timer, colour: card.colour)
                    timer.draw(on: &canvas, into: &output, runs: &runs)
                }
            }
        }
        output.textAreas.append(TextArea(id: id, rect: rect, runs: runs, fontHeight: chain.lineHeight))
    }
}

/// Text drawn right-aligned without a layout: a timer's digits, which change every second and
/// would only fill the layout memo.
private struct PlacedTimer {
    let text: String
    let chain: FontChain
    let rect: Rect
    let colour: Color

    func draw(on canvas: inout Canvas, into output: inout RenderOutput, runs: inout [TextArea.Run]) {
        let width = chain.measure(text)
        var drawn = DrawnText(advance: 0, missing: [])
        canvas.clipped(to: rect) { canvas in
            drawn = chain.draw(text, on: &canvas, x: rect.maxX - width, baseline: rect.y + (rect.height - chain.lineHeight) / 2 + chain.ascent, colour: colour)
        }
        output.record(text, missing: drawn.missing)
        runs.append(.init(text + " ", colour: colour))
    }
}
