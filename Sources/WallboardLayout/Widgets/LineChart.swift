import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// `line:` series over the items of a context list (the hours of the day), as lines or areas,
/// with ticks along the bottom and a "now" marker.
struct LineChartKind: WidgetKind, Equatable {
    struct Series: Sendable, Equatable {
        /// The row field that holds the series' number; rows without a finite number are gaps.
        var value: String
        var colour: Color
        /// Filled down to the axis (an area), not only the line.
        var fill: Bool
    }

    static let name = "line"
    static let maySpanBezels = true
    static let keys: [String] = []

    var rows: String
    var series: [Series]
    var fonts: [String]
    /// The row field written under every `tickEvery`-th row.
    var tickLabel: String
    var tickEvery: Int
    var axisColour: Color
    /// A context number in rows (10.5: half-way through the eleventh row) where a marker goes.
    var now: String?
    var nowColour: Color
    var scale: Double?

    func inputs(mustacheFields: Set<String>) -> Set<String> { Set([rows] + (now.map { [$0] } ?? [])) }
    var fontNames: Set<String> { Set(fonts) }
    func mostTextAreas(in rect: Rect) -> Int { 1 }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let chain = binding.fonts(fonts).first else { return nil }
        return LineChart(
            id: binding.id, rect: binding.rect, kind: self, chain: chain, items: binding.context.items(rows),
            now: now.flatMap { binding.context.finiteNumber($0) }, memo: binding.renderer.memo
        )
    }

    static func parse(_ value: YAMLValue, fields widgetFields: YAMLMapping, rect: Rect, scope: Scope) throws -> LineChartKind {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["rows", "series", "font", "tick", "tickEvery", "axis", "now", "nowColour", "max"])
        let list = try scope.list(fields.required("rows"))
        let seriesValue = try fields.required("series")
        let series = try seriesValue.sequence().map { item -> Series in
            let entry = try item.mapping()
            try entry.rejectUnknownKeys(["value", "colour", "fill"])
            return Series(
                value: try scope.rowField(entry.required("value"), in: list.row, number: true),
                colour: try entry.optional("colour").map(scope.colour) ?? .green,
                fill: try entry.optional("fill")?.bool() ?? false
            )
        }
        guard !series.isEmpty else { throw seriesValue.error("a line chart needs at least one series") }
        return LineChartKind(
            rows: list.path, series: series,
            fonts: try scope.fonts(fields.required("font")),
            tickLabel: try scope.rowField(fields.required("tick"), in: list.row),
            tickEvery: try fields.optional("tickEvery")?.int(in: 1...1000) ?? 1,
            axisColour: try fields.optional("axis").map(scope.colour) ?? .on,
            now: try fields.optional("now").map(scope.numberPath),
            nowColour: try fields.optional("nowColour").map(scope.colour) ?? .red,
            scale: try fields.optional("max")?.double(in: 0.000001...1e12)
        )
    }
}

/// The series drawn in a plot area above an axis line; each row is a slot of equal width and
/// its point sits in the slot's middle.
struct LineChart: DrawnWidget {
    struct Trace: Sendable, Equatable {
        /// One y per row, nil for gaps.
        var points: [Int?]
        var colour: Color
        var fill: Bool
    }

    let id: Int
    let rect: Rect
    let plot: Rect
    let chain: FontChain
    let slots: Int
    let traces: [Trace]
    let ticks: [Int]
    let labels: [PlacedText]
    let axisColour: Color
    let nowX: Int?
    let nowColour: Color

    init(id: Int, rect: Rect, kind: LineChartKind, chain: FontChain, items: [ContextValue], now: Double?, memo: LayoutMemo) {
        self.id = id
        self.rect = rect
        self.chain = chain
        let plot = Rect(x: rect.x, y: rect.y, width: rect.width, height: max(1, rect.height - chain.lineHeight - 3))
        self.plot = plot
        slots = max(1, items.count)
        let values = kind.series.map { series in items.map { $0.finiteNumber(series.value) } }
        let largest = kind.scale ?? max(values.joined().compactMap { $0 }.max() ?? 0, 1)
        let baseline = plot.maxY - 1
        traces = zip(kind.series, values).map { series, column in
            Trace(
                points: column.map { value in
                    value.map { baseline - Int((min(1, max(0, $0 / largest)) * Double(plot.height - 1)).rounded()) }
                },
                colour: series.colour, fill: series.fill
            )
        }
        let slots = self.slots
        func centre(_ index: Int) -> Int { LineChart.centre(index, of: plot, slots: slots) }
        ticks = stride(from: 0, to: items.count, by: kind.tickEvery).map(centre)
        labels = stride(from: 0, to: items.count, by: kind.tickEvery).map { index in
            let text = items[index].lookup(kind.tickLabel)?.display ?? ""
            let width = chain.measure(text)
            let left = min(max(rect.x, centre(index) - width / 2), rect.maxX - width)
            return PlacedText(text, chain: chain, memo: memo, in: Rect(x: left, y: plot.maxY + 3, width: max(1, width), height: chain.lineHeight), colour: kind.axisColour)
        }
        axisColour = kind.axisColour
        nowX = now.flatMap { rows in
            let x = Double(plot.x) + (rows / Double(slots) * Double(plot.width)).rounded(.down)
            return x >= Double(plot.x) && x < Double(plot.maxX) ? Int(x) : nil
        }
        nowColour = kind.nowColour
    }

    var bounds: Rect { rect }

    static func == (lhs: LineChart, rhs: LineChart) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.traces == rhs.traces && lhs.labels == rhs.labels
            && lhs.axisColour == rhs.axisColour && lhs.nowX == rhs.nowX && lhs.nowColour == rhs.nowColour && lhs.chain.name == rhs.chain.name
    }

    /// The x of row `index`'s point: the middle of its slot.
    static func centre(_ index: Int, of plot: Rect, slots: Int) -> Int { plot.x + (2 * index + 1) * plot.width / (2 * slots) }

    private func centre(_ index: Int) -> Int { LineChart.centre(index, of: plot, slots: slots) }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var runs: [TextArea.Run] = []
        canvas.clipped(to: rect) { canvas in
            // The last series first, so that the first (today) lies on top.
            for trace in traces.reversed() {
                for index in trace.points.indices.dropLast() {
                    guard let y0 = trace.points[index], let y1 = trace.points[index + 1] else { continue }
                    let x0 = centre(index), x1 = centre(index + 1)
                    if trace.fill {
                        for x in x0...x1 {
                            let y = x1 == x0 ? y0 : y0 + (y1 - y0) * (x - x0) / (x1 - x0)
                            canvas.fill(Rect(x: x, y: y, width: 1, height: plot.maxY - y), trace.colour)
                        }
                    }
                    canvas.line(from: (x0, y0), to: (x1, y1), trace.colour)
                }
                if trace.points.count == 1, let y = trace.points[0] { canvas.setPixel(x: centre(0), y: y, trace.colour) }
            }
            canvas.fill(Rect(x: plot.x, y: plot.maxY, width: plot.width, height: 1), axisColour)
            for x in ticks { canvas.fill(Rect(x: x, y: plot.maxY + 1, width: 1, height: 2), axisColour) }
            if let nowX { canvas.fill(Rect(x: nowX, y: plot.y, width: 1, height: plot.height + 3), nowColour) }
            for label in labels { label.draw(on: &canvas, into: &output, runs: &runs) }
        }
        output.textAreas.append(TextArea(id: id, rect: rect, runs: runs, fontHeight: chain.lineHeight))
    }
}
