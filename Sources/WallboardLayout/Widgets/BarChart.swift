import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// `bars:` one bar per item of a context list, with its label and its value, coloured by thresholds.
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

    func inputs(mustacheFields: Set<String>) -> Set<String> { [rows] }
    var fontNames: Set<String> { Set(fonts) }
    func mostTextAreas(in rect: Rect) -> Int { 1 }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let chain = binding.fonts(fonts).first else { return nil }
        return BarChart(id: binding.id, rect: binding.rect, kind: self, chain: chain, items: binding.context.items(rows), memo: binding.renderer.memo)
    }

    static func parse(_ value: YAMLValue, fields widgetFields: YAMLMapping, rect: Rect, scope: Scope) throws -> BarChartKind {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["rows", "label", "value", "font", "orientation", "colour", "thresholds", "labelColour", "labelWidth", "max"])
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
            scale: try fields.optional("max")?.double(in: 0.000001...1e12)
        )
    }
}

/// Bars with their labels and values. Horizontal: label, bar, value on each line. Vertical:
/// value above each bar, label under it.
struct BarChart: DrawnWidget {
    struct Bar: Sendable, Equatable {
        var rect: Rect
        var colour: Color
    }

    let id: Int
    let rect: Rect
    let chain: FontChain
    let bars: [Bar]
    let texts: [PlacedText]

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
        var bars: [Bar] = [], texts: [PlacedText] = []
        let lineHeight = chain.lineHeight
        switch kind.orientation {
        case .horizontal:
            let band = entries.isEmpty ? 0 : min(rect.height / entries.count, lineHeight * 2)
            let room = max(0, rect.width - kind.labelWidth - valueWidth)
            for (index, entry) in entries.enumerated() where band > 0 {
                let top = rect.y + index * band
                let length = Int((fraction(entry.value) * Double(room)).rounded())
                let thickness = max(1, min(band - 1, lineHeight))
                let barTop = top + (band - thickness) / 2
                bars.append(Bar(rect: Rect(x: rect.x + kind.labelWidth, y: barTop, width: length, height: thickness), colour: kind.colour.colour(for: entry.value)))
                texts.append(PlacedText(entry.label, chain: chain, memo: memo, in: Rect(x: rect.x, y: top, width: max(1, kind.labelWidth - 1), height: band), colour: kind.labelColour))
                texts.append(PlacedText(
                    entry.shown, chain: chain, memo: memo,
                    in: Rect(x: rect.x + kind.labelWidth + length + 1, y: top, width: valueWidth, height: band), colour: kind.labelColour
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
                bars.append(Bar(rect: Rect(x: left + (column - thickness) / 2, y: base - length, width: thickness, height: length), colour: kind.colour.colour(for: entry.value)))
                texts.append(PlacedText(entry.label, chain: chain, memo: memo, in: Rect(x: left, y: base, width: column, height: lineHeight), align: .centre, colour: kind.labelColour))
                texts.append(PlacedText(
                    entry.shown, chain: chain, memo: memo,
                    in: Rect(x: left, y: base - length - lineHeight, width: column, height: lineHeight), align: .centre, colour: kind.labelColour
                ))
            }
        }
        self.bars = bars
        self.texts = texts
    }

    var bounds: Rect { rect }

    static func == (lhs: BarChart, rhs: BarChart) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.bars == rhs.bars && lhs.texts == rhs.texts
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var runs: [TextArea.Run] = []
        canvas.clipped(to: rect) { canvas in
            for bar in bars { canvas.fill(bar.rect, bar.colour) }
            for text in texts { text.draw(on: &canvas, into: &output, runs: &runs) }
        }
        output.textAreas.append(TextArea(id: id, rect: rect, runs: runs, fontHeight: chain.lineHeight))
    }
}
