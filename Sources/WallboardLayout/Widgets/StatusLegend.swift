import Foundation
import WallboardDispatch
import WallboardRender
import WallboardText
import WallboardYAML

/// `legend:` what the vehicle status colours mean: a swatch and the status's name per code,
/// optionally with how many vehicles have it now.
struct LegendKind: WidgetKind, Equatable {
    static let name = "legend"
    static let keys: [String] = []

    var fonts: [String]
    /// The codes shown, in this order.
    var codes: [Int]
    var colours: StatusColours
    var columns: Int
    var counts: Bool
    var textColour: Color

    func inputs(mustacheFields: Set<String>) -> Set<String> { counts ? ["figures"] : [] }
    var fontNames: Set<String> { Set(fonts) }
    func mostTextAreas(in rect: Rect) -> Int { 1 }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let chain = binding.fonts(fonts).first else { return nil }
        var byCode: [Int: String] = [:]
        for status in binding.context.items("figures.byStatus") {
            if let code = status.finiteNumber("code") { byCode[Int(code)] = status.lookup("count")?.display }
        }
        return StatusLegend(id: binding.id, rect: binding.rect, kind: self, chain: chain, counts: byCode, memo: binding.renderer.memo)
    }

    static func parse(_ value: YAMLValue, fields widgetFields: YAMLMapping, rect: Rect, scope: Scope) throws -> LegendKind {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["font", "codes", "colours", "other", "columns", "counts", "colour"])
        let codes = try fields.optional("codes")?.sequence().map { try $0.int(in: 0...9) } ?? VehicleStatus.allCases.map(\.rawValue)
        return LegendKind(
            fonts: try scope.fonts(fields.required("font")),
            codes: codes,
            colours: try StatusColours.parse(fields, scope: scope),
            columns: try fields.optional("columns")?.int(in: 1...10) ?? 1,
            counts: try fields.optional("counts")?.bool() ?? false,
            textColour: try fields.optional("colour").map(scope.colour) ?? .on
        )
    }
}

/// Swatches and names in rows of `columns`, one line each.
struct StatusLegend: DrawnWidget {
    struct Entry: Sendable, Equatable {
        var box: Rect
        var swatch: Rect
        var colour: Color
        var text: PlacedText
    }

    let id: Int
    let rect: Rect
    let chain: FontChain
    let entries: [Entry]

    init(id: Int, rect: Rect, kind: LegendKind, chain: FontChain, counts: [Int: String], memo: LayoutMemo) {
        self.id = id
        self.rect = rect
        self.chain = chain
        let line = chain.lineHeight + 2
        let cellWidth = rect.width / kind.columns
        let size = max(1, chain.lineHeight - 2)
        var entries: [Entry] = []
        for (index, code) in kind.codes.enumerated() {
            let x = rect.x + (index % kind.columns) * cellWidth, y = rect.y + (index / kind.columns) * line
            guard y + line <= rect.maxY, let status = VehicleStatus(rawValue: code) else { continue }
            let label = kind.counts ? "\(status.chineseName) \(counts[code] ?? "0")" : status.chineseName
            entries.append(Entry(
                box: Rect(x: x, y: y, width: cellWidth, height: line).intersection(rect),
                swatch: Rect(x: x, y: y + (line - size) / 2, width: size, height: size),
                colour: kind.colours.colour(code: code),
                text: PlacedText(label, chain: chain, memo: memo, in: Rect(x: x + size + 2, y: y, width: max(1, cellWidth - size - 3), height: line), colour: kind.textColour)
            ))
        }
        self.entries = entries
    }

    var bounds: Rect { rect }

    static func == (lhs: StatusLegend, rhs: StatusLegend) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.entries == rhs.entries
    }

    /// The entries whose colour or count changed.
    func changedRects(since previous: any DrawnWidget) -> [Rect] {
        guard let previous = previous as? StatusLegend, previous.rect == rect, previous.entries.map(\.box) == entries.map(\.box) else {
            return wholeBounds(since: previous)
        }
        return coalesced(changedBoxes(entries, previous.entries, box: \.box), beyond: 4)
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var runs: [TextArea.Run] = []
        canvas.clipped(to: rect) { canvas in
            for entry in entries {
                guard entry.box.intersects(canvas.clip) else {
                    entry.text.record(into: &output, runs: &runs)
                    continue
                }
                canvas.fill(entry.swatch, entry.colour)
                entry.text.draw(on: &canvas, into: &output, runs: &runs)
            }
        }
        output.textAreas.append(TextArea(id: id, rect: rect, runs: runs, fontHeight: chain.lineHeight))
    }
}
