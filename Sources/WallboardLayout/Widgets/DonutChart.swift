import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// `donut:` the shares of a context list's items as a ring, clockwise from the top, with a legend
/// (a colour swatch, the label and the value per item) beside it.
struct DonutKind: WidgetKind, Equatable {
    static let name = "donut"
    static let maySpanBezels = true
    static let keys: [String] = []

    var rows: String
    var label: String
    var value: String
    var fonts: [String]
    /// Taken in turn by the items, from the first again when there are more items.
    var colours: [Color]
    var labelColour: Color
    /// The hole's radius as a share of the ring's (0: a pie).
    var hole: Double

    func inputs(mustacheFields: Set<String>) -> Set<String> { [rows] }
    var fontNames: Set<String> { Set(fonts) }
    func mostTextAreas(in rect: Rect) -> Int { 1 }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let chain = binding.fonts(fonts).first else { return nil }
        return DonutChart(id: binding.id, rect: binding.rect, kind: self, chain: chain, items: binding.context.items(rows), memo: binding.renderer.memo)
    }

    static func parse(_ value: YAMLValue, fields widgetFields: YAMLMapping, rect: Rect, scope: Scope) throws -> DonutKind {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["rows", "label", "value", "font", "colours", "labelColour", "hole"])
        let list = try scope.list(fields.required("rows"))
        return DonutKind(
            rows: list.path,
            label: try scope.rowField(fields.required("label"), in: list.row),
            value: try scope.rowField(fields.required("value"), in: list.row, number: true),
            fonts: try scope.fonts(fields.required("font")),
            colours: try fields.optional("colours").map(scope.colours) ?? [.red, .amber, .green, .rgb(RGB(0, 192, 255)), .rgb(RGB(255, 0, 255)), .on],
            labelColour: try fields.optional("labelColour").map(scope.colour) ?? .on,
            hole: try fields.optional("hole")?.double(in: 0...0.95) ?? 0.5
        )
    }
}

/// A ring of shares on the left of its rectangle (as tall as the rectangle), the legend to its right.
struct DonutChart: DrawnWidget {
    struct Share: Sendable, Equatable {
        /// Where the share ends, as a fraction of the whole turn.
        var end: Double
        var colour: Color
    }

    let id: Int
    let rect: Rect
    let chain: FontChain
    let ring: Rect
    let hole: Double
    let shares: [Share]
    let swatches: [(Rect, Color)]
    let texts: [PlacedText]

    init(id: Int, rect: Rect, kind: DonutKind, chain: FontChain, items: [ContextValue], memo: LayoutMemo) {
        self.id = id
        self.rect = rect
        self.chain = chain
        hole = kind.hole
        let diameter = min(rect.height, rect.width / 2)
        ring = Rect(x: rect.x, y: rect.y + (rect.height - diameter) / 2, width: diameter, height: diameter)
        let values = items.map { max(0, $0.finiteNumber(kind.value) ?? 0) }
        let total = values.reduce(0, +)
        var running = 0.0
        shares = total > 0 ? values.enumerated().map { index, value in
            running += value
            return Share(end: running / total, colour: kind.colours[index % kind.colours.count])
        } : []
        let line = chain.lineHeight + 2
        let left = ring.maxX + max(2, chain.lineHeight / 2)
        let shown = min(items.count, rect.height / max(1, line))
        let top = rect.y + (rect.height - shown * line) / 2
        var swatches: [(Rect, Color)] = [], texts: [PlacedText] = []
        for index in 0..<shown {
            let y = top + index * line
            let size = max(1, chain.lineHeight - 2)
            swatches.append((Rect(x: left, y: y + (line - size) / 2, width: size, height: size), kind.colours[index % kind.colours.count]))
            let text = "\(items[index].lookup(kind.label)?.display ?? "") \(items[index].lookup(kind.value)?.display ?? "")"
            texts.append(PlacedText(text, chain: chain, memo: memo, in: Rect(x: left + size + 2, y: y, width: max(1, rect.maxX - left - size - 2), height: line), colour: kind.labelColour))
        }
        self.swatches = swatches
        self.texts = texts
    }

    var bounds: Rect { rect }

    static func == (lhs: DonutChart, rhs: DonutChart) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.ring == rhs.ring && lhs.hole == rhs.hole && lhs.shares == rhs.shares
            && lhs.texts == rhs.texts && lhs.swatches.count == rhs.swatches.count
            && zip(lhs.swatches, rhs.swatches).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// The position in `shares` of the share a pixel's centre (`dx`, `dy` from the ring's centre)
    /// falls in, by its angle clockwise from the top; nil outside the ring.
    static func share(atX dx: Double, y dy: Double, radius: Double, hole: Double, shares: [Share]) -> Int? {
        let distance = (dx * dx + dy * dy).squareRoot()
        guard distance <= radius, distance >= radius * hole, !shares.isEmpty else { return nil }
        guard shares.count > 1 else { return 0 }
        var turn = atan2(dx, -dy) / (2 * Double.pi)
        if turn < 0 { turn += 1 }
        return shares.firstIndex { turn < $0.end } ?? shares.count - 1
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var runs: [TextArea.Run] = []
        canvas.clipped(to: rect) { canvas in
            let radius = Double(ring.width) / 2
            let values = shares.map { canvas.value(for: $0.colour) }
            // Each row in runs of one share.
            for y in ring.y..<ring.maxY {
                var run: (start: Int, share: Int)?
                for x in ring.x...ring.maxX {
                    let dx = Double(x - ring.x) + 0.5 - radius, dy = Double(y - ring.y) + 0.5 - radius
                    let share = x < ring.maxX ? DonutChart.share(atX: dx, y: dy, radius: radius, hole: hole, shares: shares) : nil
                    guard share != run?.share else { continue }
                    if let run { canvas.plotRun(x: run.start, y: y, count: x - run.start, values[run.share]) }
                    run = share.map { (x, $0) }
                }
            }
            for (swatch, colour) in swatches { canvas.fill(swatch, colour) }
            for text in texts { text.draw(on: &canvas, into: &output, runs: &runs) }
        }
        output.textAreas.append(TextArea(id: id, rect: rect, runs: runs, fontHeight: chain.lineHeight))
    }
}
