import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// `stationPanel:` a card per station: its name, a line of counts (standby, on task) and its
/// vehicles as chips coloured by status. Stations that do not all fit are shown a page at a
/// time, `every` seconds each (8 by default): the text keeps its size.
struct StationPanelKind: WidgetKind, Equatable {
    static let name = "stationPanel"
    static let keys: [String] = []

    var fonts: [String]
    /// Over a station's fields (`standbyCount`, `onTaskCount`, …).
    var counts: TextTemplate
    var columns: Int
    var chipWidth: Int
    var chipHeight: Int
    var colours: StatusColours
    var nameColour: Color
    var countsColour: Color
    var frame: Color?
    var pageSeconds: Double

    func inputs(mustacheFields: Set<String>) -> Set<String> { ["stations"] }
    var fontNames: Set<String> { Set(fonts) }
    func mostTextAreas(in rect: Rect) -> Int { 1 }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let chain = binding.fonts(fonts).first else { return nil }
        return StationPanel(id: binding.id, rect: binding.rect, kind: self, chain: chain, stations: binding.context.items("stations"), memo: binding.renderer.memo)
    }

    static func parse(_ value: YAMLValue, fields widgetFields: YAMLMapping, rect: Rect, scope: Scope) throws -> StationPanelKind {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["font", "counts", "columns", "chip", "colours", "other", "nameColour", "countsColour", "frame", "every"])
        let station = scope.context.items("stations").first ?? .object([:])
        var chip = (16, 8)
        if let chipValue = fields.optional("chip") {
            let size = try chipValue.sequence()
            guard size.count == 2 else { throw chipValue.error("'chip' is [width, height]") }
            chip = (try size[0].int(in: 2...256), try size[1].int(in: 2...256))
        }
        let counts = try fields.optional("counts").map { try scope.template($0, against: station) }
            ?? scope.template(source: "待命{{standbyCount}} 任务{{onTaskCount}}", at: value.location, against: station)
        return StationPanelKind(
            fonts: try scope.fonts(fields.required("font")),
            counts: counts,
            columns: try fields.optional("columns")?.int(in: 1...64) ?? 1,
            chipWidth: chip.0, chipHeight: chip.1,
            colours: try StatusColours.parse(fields, scope: scope),
            nameColour: try fields.optional("nameColour").map(scope.colour) ?? .on,
            countsColour: try fields.optional("countsColour").map(scope.colour) ?? .green,
            frame: try fields.optional("frame").map(scope.colour),
            pageSeconds: try fields.optional("every")?.double(in: 0.5...3600) ?? 8
        )
    }
}

/// Station cards in rows of `columns`: name on the left and counts on the right of the first
/// line, the vehicles' chips below, wrapping within the card; as many pages as the stations need.
struct StationPanel: DrawnWidget {
    struct Card: Sendable, Equatable {
        var page: Int
        var frame: Rect
        var chips: [Rect]
        var chipColours: [Color]
        var texts: [PlacedText]
    }

    let id: Int
    let rect: Rect
    let chain: FontChain
    let frameColour: Color?
    let cards: [Card]
    let pageCount: Int
    let pageSeconds: Double

    init(id: Int, rect: Rect, kind: StationPanelKind, chain: FontChain, stations: [ContextValue], memo: LayoutMemo) {
        self.id = id
        self.rect = rect
        self.chain = chain
        frameColour = kind.frame
        let inset = kind.frame == nil ? 0 : 2
        let lineHeight = chain.lineHeight
        let cardWidth = rect.width / kind.columns
        // As many chip rows as the fullest station needs, so that every card is the same height.
        let chipsPerRow = max(1, (cardWidth - 2 * inset + 1) / (kind.chipWidth + 1))
        let mostVehicles = stations.map { $0.items("vehicles").count }.max() ?? 0
        let chipRows = max(1, (mostVehicles + chipsPerRow - 1) / chipsPerRow)
        let cardHeight = 2 * inset + lineHeight + 1 + chipRows * (kind.chipHeight + 1)
        let perPage = kind.columns * max(1, rect.height / cardHeight)
        var cards: [Card] = []
        for (overall, station) in stations.enumerated() {
            let index = overall % perPage
            let frame = Rect(x: rect.x + (index % kind.columns) * cardWidth, y: rect.y + (index / kind.columns) * cardHeight, width: cardWidth - 1, height: cardHeight - 1)
            var card = Card(page: overall / perPage, frame: frame, chips: [], chipColours: [], texts: [])
            let inner = Rect(x: frame.x + inset, y: frame.y + inset, width: frame.width - 2 * inset, height: frame.height - 2 * inset)
            let countsText = kind.counts.render(station) { station.mustacheValue }
            let countsWidth = min(inner.width, chain.measure(countsText))
            let line = Rect(x: inner.x, y: inner.y, width: inner.width, height: lineHeight)
            card.texts.append(PlacedText(
                station.lookup("name")?.display ?? "", chain: chain, memo: memo,
                in: Rect(x: line.x, y: line.y, width: max(1, line.width - countsWidth - 2), height: lineHeight), colour: kind.nameColour
            ))
            card.texts.append(PlacedText(
                countsText, chain: chain, memo: memo, in: Rect(x: line.maxX - countsWidth, y: line.y, width: max(1, countsWidth), height: lineHeight),
                align: .right, colour: kind.countsColour
            ))
            for (position, vehicle) in station.items("vehicles").enumerated() {
                let row = position / chipsPerRow, column = position % chipsPerRow
                card.chips.append(Rect(
                    x: inner.x + column * (kind.chipWidth + 1), y: inner.y + lineHeight + 1 + row * (kind.chipHeight + 1),
                    width: kind.chipWidth, height: kind.chipHeight
                ))
                card.chipColours.append(kind.colours.colour(of: vehicle))
            }
            cards.append(card)
        }
        self.cards = cards
        pageCount = (stations.count + perPage - 1) / perPage
        pageSeconds = kind.pageSeconds
    }

    var bounds: Rect { rect }
    var isAnimated: Bool { pageCount > 1 }

    func page(at now: Date) -> Int { Pages.page(at: now, of: pageCount, every: pageSeconds) }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool { page(at: now) == page(at: earlier) }
    func nextChange(after now: Date) -> Date? { Pages.nextTurn(after: now, of: pageCount, every: pageSeconds) }

    static func == (lhs: StationPanel, rhs: StationPanel) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.frameColour == rhs.frameColour && lhs.cards == rhs.cards
            && lhs.pageSeconds == rhs.pageSeconds
    }

    /// The cards that changed, appeared or went: a vehicle changing status redraws its station's card.
    func changedRects(since previous: any DrawnWidget) -> [Rect] {
        guard let previous = previous as? StationPanel, previous.rect == rect, previous.frameColour == frameColour,
              previous.pageCount == 1, pageCount == 1
        else { return wholeBounds(since: previous) }
        return coalesced(changedBoxes(cards, previous.cards, box: \.frame), beyond: 4)
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var runs: [TextArea.Run] = []
        let shown = page(at: now)
        canvas.clipped(to: rect) { canvas in
            for card in cards where card.page == shown {
                // Cards outside the clip (redrawing only changed cards) are not drawn, but their
                // text still goes into the output.
                guard card.frame.intersects(canvas.clip) else {
                    for text in card.texts { text.record(into: &output, runs: &runs) }
                    continue
                }
                if let frameColour { canvas.strokeRectangle(card.frame, frameColour) }
                for (chip, colour) in zip(card.chips, card.chipColours) { canvas.fill(chip, colour) }
                for text in card.texts { text.draw(on: &canvas, into: &output, runs: &runs) }
            }
        }
        output.textAreas.append(TextArea(id: id, rect: rect, runs: runs, fontHeight: chain.lineHeight))
    }
}
