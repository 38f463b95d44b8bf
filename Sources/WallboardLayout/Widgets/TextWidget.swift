import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// `text:` a template laid out in its rectangle by the style's overflow rule.
struct TextKind: StyledTextKind {
    static let name = "text"

    let template: TextTemplate
    let style: TextStyle

    static func parse(_ value: YAMLValue, fields: YAMLMapping, rect: Rect, scope: Scope) throws -> TextKind {
        TextKind(template: try scope.template(value), style: try scope.style(fields, rect: rect))
    }

    func inputs(mustacheFields: Set<String>) -> Set<String> { template.inputs(mustacheFields: mustacheFields, style: style) }
    var templateRootFields: Set<String> { template.rootFields }
    var animates: Bool { style.overflow == .scroll }

    /// Text that scrolls because it does not fit becomes a marquee.
    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        let text = template.render(binding.context, prepared: binding.prepared)
        let chains = binding.fonts(style.fonts)
        let colourValue = style.colourBy.flatMap { binding.context.lookup($0)?.number }
        if let laidOut = TextWidget(id: binding.id, rect: binding.rect, text: text, style: style, chains: chains, colourValue: colourValue) {
            return laidOut
        }
        guard let chain = chains.first else { return nil }
        return Marquee(
            id: binding.id, rect: binding.rect, text: text, chain: chain, speed: TextArea.Motion.readingSpeed,
            colour: style.colour.colour(for: colourValue), valign: style.valign, hold: TextArea.Motion.readingHold
        )
    }
}

/// Text laid out once when the data is bound, drawn aligned in its rectangle.
struct TextWidget: DrawnWidget {
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

    static func == (lhs: TextWidget, rhs: TextWidget) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.layout.lines == rhs.layout.lines && lhs.layout.chain.name == rhs.layout.chain.name
            && lhs.colour == rhs.colour && lhs.align == rhs.align && lhs.valign == rhs.valign
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        let missing = layout.draw(on: &canvas, in: rect, horizontal: align, vertical: valign, colour: colour)
        output.record(text, missing: missing)
        output.textAreas.append(textArea)
    }
}
