import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// `kpi:` a figure with a label, coloured against its target.
struct KPIKind: WidgetKind {
    static let name = "kpi"
    static let keys: [String] = []

    var label: String
    /// The context path of the figure.
    var value: String
    var labelFonts: [String]
    var valueFonts: [String]
    var colour: Thresholds
    var labelColour: Color

    func inputs(mustacheFields: Set<String>) -> Set<String> { [value] }
    var fontNames: Set<String> { Set(labelFonts + valueFonts) }
    func mostTextAreas(in rect: Rect) -> Int { 1 }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        let labelChains = binding.fonts(labelFonts), valueChains = binding.fonts(valueFonts)
        guard !labelChains.isEmpty, !valueChains.isEmpty else { return nil }
        return KPITile(id: binding.id, rect: binding.rect, kpi: self, labelChains: labelChains, valueChains: valueChains, context: binding.context)
    }

    static func parse(_ value: YAMLValue, fields widgetFields: YAMLMapping, rect: Rect, scope: Scope) throws -> KPIKind {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["label", "value", "font", "labelFont", "colour", "labelColour", "thresholds"])
        let path = try scope.numberPath(fields.required("value"))
        return KPIKind(
            label: try fields.required("label").string(),
            value: path,
            labelFonts: try scope.fonts(fields.optional("labelFont") ?? fields.required("font")),
            valueFonts: try scope.fonts(fields.required("font")),
            colour: try scope.thresholds(fields.optional("thresholds"), base: try fields.optional("colour").map(scope.colour) ?? .green),
            labelColour: try fields.optional("labelColour").map(scope.colour) ?? .on
        )
    }
}

/// A figure under its label, coloured against its target: the label on top, the value below
/// in the largest value font that fits.
struct KPITile: DrawnWidget {
    let id: Int
    let rect: Rect
    let label: TextLayout
    let value: TextLayout
    let labelColour: Color
    let valueColour: Color

    init(id: Int, rect: Rect, kpi: KPIKind, labelChains: [FontChain], valueChains: [FontChain], context: ContextValue) {
        self.id = id
        self.rect = rect
        let field = context.lookup(kpi.value)
        let labelHeight = labelChains.map(\.lineHeight).min() ?? 0
        let labelLayout = TextLayout.largestFitting(kpi.label, chains: labelChains, width: rect.width, height: max(labelHeight, rect.height / 3), wrap: false)
        label = labelLayout ?? TextLayout(kpi.label, chain: labelChains[0], width: rect.width, height: labelHeight, wrap: false)
        let valueHeight = rect.height - label.height
        value = TextLayout.largestFitting(field?.display ?? "—", chains: valueChains, width: rect.width, height: valueHeight, wrap: false)
            ?? TextLayout(field?.display ?? "—", chain: valueChains[0], width: rect.width, height: valueHeight, wrap: false)
        labelColour = kpi.labelColour
        valueColour = kpi.colour.colour(for: field?.number)
    }

    var bounds: Rect { rect }

    static func == (lhs: KPITile, rhs: KPITile) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.label.lines == rhs.label.lines && lhs.label.chain.name == rhs.label.chain.name
            && lhs.value.lines == rhs.value.lines && lhs.value.chain.name == rhs.value.chain.name
            && lhs.labelColour == rhs.labelColour && lhs.valueColour == rhs.valueColour
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        let labelRect = Rect(x: rect.x, y: rect.y, width: rect.width, height: label.height)
        let valueRect = Rect(x: rect.x, y: rect.y + label.height, width: rect.width, height: rect.height - label.height)
        let labelText = label.lines.map(\.text).joined()
        let valueText = value.lines.map(\.text).joined()
        output.record(labelText, missing: label.draw(on: &canvas, in: labelRect, horizontal: .centre, vertical: .top, colour: labelColour))
        output.record(valueText, missing: value.draw(on: &canvas, in: valueRect, horizontal: .centre, vertical: .middle, colour: valueColour))
        output.textAreas.append(TextArea(
            id: id, rect: rect, runs: [.init(labelText + " ", colour: labelColour), .init(valueText, colour: valueColour)],
            alignment: .centre, fontHeight: label.chain.lineHeight
        ))
    }
}
