import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// `marquee:` a template that always scrolls right to left, `speed` pixels per second.
struct MarqueeKind: StyledTextKind {
    static let name = "marquee"
    static let keys = ["speed"] + Scope.styleKeys

    let template: TextTemplate
    let style: TextStyle
    let speed: Double

    static func parse(_ value: YAMLValue, fields: YAMLMapping, rect: Rect, scope: Scope) throws -> MarqueeKind {
        MarqueeKind(
            template: try scope.template(value), style: try scope.style(fields, rect: rect),
            speed: try fields.optional("speed")?.double(in: 1...2000) ?? 32
        )
    }

    func inputs(mustacheFields: Set<String>) -> Set<String> { template.inputs(mustacheFields: mustacheFields, style: style) }
    var templateRootFields: Set<String> { template.rootFields }
    var animates: Bool { true }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let chain = binding.fonts(style.fonts).first else { return nil }
        return Marquee(
            id: binding.id, rect: binding.rect, text: template.render(binding.context, prepared: binding.prepared),
            chain: chain, speed: speed, colour: style.colour.base, valign: style.valign
        )
    }
}

/// Text scrolling right to left at a fixed speed, pixel-exact for any moment: it enters at the
/// right edge, leaves at the left, and starts again, in step on every board showing it.
struct Marquee: DrawnWidget {
    /// Pixels per second for text that scrolls because it does not fit.
    static let defaultSpeed = 32.0

    let id: Int
    let rect: Rect
    let text: String
    let chain: FontChain
    let textWidth: Int
    /// Pixels per second.
    let speed: Double
    let colour: Color
    let valign: VerticalAlignment

    init(id: Int, rect: Rect, text: String, chain: FontChain, speed: Double, colour: Color, valign: VerticalAlignment) {
        self.id = id
        self.rect = rect
        self.text = text
        self.chain = chain
        self.textWidth = chain.measure(text)
        self.speed = speed
        self.colour = colour
        self.valign = valign
    }

    var bounds: Rect { rect }
    var isAnimated: Bool { true }

    static func == (lhs: Marquee, rhs: Marquee) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.text == rhs.text && lhs.chain.name == rhs.chain.name
            && lhs.speed == rhs.speed && lhs.colour == rhs.colour && lhs.valign == rhs.valign
    }

    /// The pen's x for the moment `now`: one cycle is the rectangle's width plus the text's.
    func penX(at now: Date) -> Int {
        let cycle = rect.width + textWidth
        guard cycle > 0 else { return rect.x }
        let travelled = Int((now.timeIntervalSince1970 * speed).rounded(.down)) % cycle
        return rect.maxX - travelled
    }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool { penX(at: now) == penX(at: earlier) }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        let top: Int
        switch valign {
        case .top: top = rect.y
        case .middle: top = rect.y + (rect.height - chain.lineHeight) / 2
        case .bottom: top = rect.maxY - chain.lineHeight
        }
        var drawn = DrawnText(advance: 0, missing: [])
        canvas.clipped(to: rect) { canvas in
            drawn = chain.draw(text, on: &canvas, x: penX(at: now), baseline: top + chain.ascent, colour: colour)
        }
        output.record(text, missing: drawn.missing)
        output.textAreas.append(TextArea(id: id, rect: rect, runs: [.init(text, colour: colour)], motion: .scrollLeft, fontHeight: chain.lineHeight))
    }
}
