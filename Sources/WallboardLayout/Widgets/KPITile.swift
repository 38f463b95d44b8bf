import Foundation
import WallboardRender
import WallboardText

/// A figure under its label, coloured against its target: the label on top, the value below
/// in the largest value font that fits.
struct KPITile: DrawnWidget {
    let id: Int
    let rect: Rect
    let label: TextLayout
    let value: TextLayout
    let labelColour: Color
    let valueColour: Color

    init(id: Int, rect: Rect, kpi: KPI, labelChains: [FontChain], valueChains: [FontChain], context: ContextValue) {
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

    var fingerprint: Int {
        var hasher = Hasher()
        hasher.combine(rect)
        hasher.combine(label.lines)
        hasher.combine(value.lines)
        hasher.combine(value.chain.name)
        hasher.combine(labelColour)
        hasher.combine(valueColour)
        return hasher.finalize()
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
