import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// `bars:` one bar per item of a context list, with its label and its value, coloured by thresholds.
/// Horizontal bars that do not all fit a line of text each are shown a page at a time, `every`
/// seconds each (8 by default), on one scale: the text keeps its size.
struct BarChartKind: WidgetKind, Equatable {
    enum Orientation: String, Sendable, CaseIterable { case horizontal, vertical }

    static let name = "bars"
    static let maySpanBezels = true
    static let keys: [String] = []

    var rows: String
    /// Row fields: the label text and the number.
    var label: String
    var value: String
    var fonts: [String]
    var orientation: Orientation
    var colour: Thresholds
    var labelColour: Color
    /// Horizontal bars: the width of the label column.
    var labelWidth: Int
    /// The value a full bar stands for; nil: the largest value shown.
    var scale: Double?
    var pageSeconds: Double

    func inputs(mustacheFields: Set<String>) -> Set<String> { [rows] }
    var fontNames: Set<String> { Set(fonts) }
    func mostTextAreas(in rect: Rect) -> Int { 1 }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let chain = binding.fonts(fonts).first else { return nil }
        return BarChart(id: binding.id, rect: binding.rect, kind: self, chain: chain, items: binding.context.items(rows), memo: binding.renderer.memo)
    }

    static func parse(_ value: YAMLValue, fields widgetFields: YAMLMapping, rect: Rect, scope: Scope) throws -> BarChartKind {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["rows", "label", "value", "font", "orientation", "colour", "thresholds", "labelColour", "labelWidth", "max", "every"])
        let list = try scope.list(fields.required("rows"))
        return BarChartKind(
            rows: list.path,
            label: try scope.rowField(fields.required("label"), in: list.row),
            value: try scope.rowField(fields.required("value"), in: list.row, number: true),
            fonts: try scope.fonts(fields.required("font")),
            orientation: try fields.optional("orientation")?.choice(Orientation.allCases.map { ($0.rawValue, $0) }) ?? .horizontal,
            colour: try scope.thresholds(fields.optional("thresholds"), base: try fields.optional("colour").map(scope.colour) ?? .green),
            labelColour: try fields.optional("labelColour").map(scope.colour) ?? .on,
            labelWidth: try fields.optional("labelWidth")?.int(in: 0...rect.width) ?? rect.width / 4,
            scale: try fields.optional("max")?.double(in: 0.000001...1e12),
            pageSeconds: try fields.optional("every")?.double(in: 0.5...3600) ?? 8
        )
    }
}

/// Bars with their labels and values. Horizontal: label, bar, value on each line. Vertical:
/// value above each bar, label under it.
struct BarChart: DrawnWidget {
    struct Bar: Sendable, Equatable {
        var page: Int
        var rect: Rect
        var colour: Color
        var label: PlacedText
        var value: PlacedText
    }

    let id: Int
    let rect: Rect
    let chain: FontChain
    let bars: [Bar]
    let pageCount: Int
    let pageSeconds: Double

    init(id: Int, rect: Rect, kind: BarChartKind, chain: FontChain, items: [ContextValue], memo: LayoutMemo) {
        self.id = id
        self.rect = rect
        self.chain = chain
        let entries = items.map { item in
            (label: item.lookup(kind.label)?.display ?? "", value: item.finiteNumber(kind.value), shown: item.lookup(kind.value)?.display ?? "")
        }
        let largest = kind.scale ?? max(entries.compactMap(\.value).max() ?? 0, 0)
        let valueWidth = (entries.map { chain.measure($0.shown) }.max() ?? 0) + 2
        func fraction(_ value: Double?) -> Double {
            guard let value, largest > 0 else { return 0 }
            return min(1, max(0, value / largest))
        }
        var bars: [Bar] = []
        var pageCount = 1
        let lineHeight = chain.lineHeight
        switch kind.orientation {
        case .horizontal:
            let perPage = min(entries.count, max(1, rect.height / lineHeight))
            pageCount = perPage == 0 ? 1 : (entries.count + perPage - 1) / perPage
            let band = perPage == 0 ? 0 : min(rect.height / perPage, lineHeight * 2)
            let room = max(0, rect.width - kind.labelWidth - valueWidth)
            for (index, entry) in entries.enumerated() where band > 0 {
                let top = rect.y + index % perPage * band
                let length = Int((fraction(entry.value) * Double(room)).rounded())
                let thickness = max(1, min(band - 1, lineHeight))
                let barTop = top + (band - thickness) / 2
                bars.append(Bar(
                    page: index / perPage,
                    rect: Rect(x: rect.x + kind.labelWidth, y: barTop, width: length, height: thickness), colour: kind.colour.colour(for: entry.value),
                    label: PlacedText(entry.label, chain: chain, memo: memo, in: Rect(x: rect.x, y: top, width: max(1, kind.labelWidth - 1), height: band), colour: kind.labelColour),
                    value: PlacedText(
                        entry.shown, chain: chain, memo: memo,
                        in: Rect(x: rect.x + kind.labelWidth + length + 1, y: top, width: valueWidth, height: band), colour: kind.labelColour
                    )
                ))
            }
        case .vertical:
            let column = entries.isEmpty ? 0 : rect.width / entries.count
            let room = max(0, rect.height - 2 * lineHeight)
            for (index, entry) in entries.enumerated() where column > 0 {
                let left = rect.x + index * column
                let length = Int((fraction(entry.value) * Double(room)).rounded())
                let thickness = max(1, column * 2 / 3)
                let base = rect.maxY - lineHeight
                bars.append(Bar(
                    page: 0,
                    rect: Rect(x: left + (column - thickness) / 2, y: base - length, width: thickness, height: length), colour: kind.colour.colour(for: entry.value),
                    label: PlacedText(entry.label, chain: chain, memo: memo, in: Rect(x: left, y: base, width: column, height: lineHeight), align: .centre, colour: kind.labelColour),
                    value: PlacedText(
                        entry.shown, chain: chain, memo: memo,
                        in: Rect(x: left, y: base - length - lineHeight, width: column, height: lineHeight), align: .centre, colour: kind.labelColour
                    )
                ))
            }
        }
        self.bars = bars
        self.pageCount = pageCount
        pageSeconds = kind.pageSeconds
    }

    var bounds: Rect { rect }
    var isAnimated: Bool { pageCount > 1 }

    func page(at now: Date) -> Int { Pages.page(at: now, of: pageCount, every: pageSeconds) }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool { page(at: now) == page(at: earlier) }
    func nextChange(after now: Date) -> Date? { Pages.nextTurn(after: now, of: pageCount, every: pageSeconds) }

    static func == (lhs: BarChart, rhs: BarChart) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.bars == rhs.bars && lhs.pageSeconds == rhs.pageSeconds
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var runs: [TextArea.Run] = []
        let shown = page(at: now)
        canvas.clipped(to: rect) { canvas in
            let barsShown = bars.filter { $0.page == shown }
            for bar in barsShown { canvas.fill(bar.rect, bar.colour) }
            for bar in barsShown {
                bar.label.draw(on: &canvas, into: &output, runs: &runs)
                bar.value.draw(on: &canvas, into: &output, runs: &runs)
            }
        }
        output.textAreas.append(TextArea(id: id, rect: rect, runs: runs, fontHeight: chain.lineHeight))
    }
}
