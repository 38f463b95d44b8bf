import Foundation
import WallboardRender
import WallboardText

/// Text laid out once when the data is bound, drawn aligned in its rectangle.
struct TextBlock: DrawnWidget {
    let id: Int
    let rect: Rect
    let text: String
    let layout: TextLayout
    let align: HorizontalAlignment
    let valign: VerticalAlignment
    let colour: Color
    /// The same text for a controller that draws its own: the lines as laid out.
    let textArea: TextArea

    /// Lays `text` out by the style's overflow rule; nil when the style scrolls and the text is
    /// too wide (the caller makes a marquee instead).
    init?(id: Int, rect: Rect, text: String, style: TextStyle, chains: [FontChain], colourValue: Double? = nil) {
        let wrap = style.overflow == .wrap || style.overflow == .shrink
        let laidOut: TextLayout?
        switch style.overflow {
        case .shrink:
            laidOut = TextLayout.largestFitting(text, chains: chains, width: rect.width, height: rect.height, wrap: wrap)
        case .scroll:
            guard let chain = chains.first, chain.measure(text) <= rect.width else { return nil }
            laidOut = TextLayout(text, chain: chain, width: rect.width, height: rect.height, wrap: false)
        case .truncate, .wrap:
            laidOut = chains.first.map { TextLayout(text, chain: $0, width: rect.width, height: rect.height, wrap: wrap) }
        }
        guard let laidOut else { return nil }
        self.id = id
        self.rect = rect
        self.text = text
        self.layout = laidOut
        self.align = style.align
        self.valign = style.valign
        self.colour = style.colour.colour(for: colourValue)
        textArea = TextArea(
            id: id, rect: rect, runs: [.init(laidOut.lines.map(\.text).joined(separator: "\n"), colour: colour)],
            alignment: .init(style.align), fontHeight: laidOut.chain.lineHeight
        )
    }

    var bounds: Rect { rect }

    var fingerprint: Int {
        var hasher = Hasher()
        hasher.combine(id)
        hasher.combine(rect)
        hasher.combine(layout.lines)
        hasher.combine(layout.chain.name)
        hasher.combine(colour)
        hasher.combine(align)
        hasher.combine(valign)
        return hasher.finalize()
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        let missing = layout.draw(on: &canvas, in: rect, horizontal: align, vertical: valign, colour: colour)
        output.record(text, missing: missing)
        output.textAreas.append(textArea)
    }
}
