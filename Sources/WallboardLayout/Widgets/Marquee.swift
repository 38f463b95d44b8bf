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

/// Text scrolling right to left at a fixed speed, pixel-exact for any moment, in step on every
/// board showing it. A ticker (`marquee:`) enters at the right edge, leaves at the left, and
/// starts again. Text that scrolls because it does not fit (`overflow: scroll`) starts readable:
/// it rests at the left for `hold` seconds, scrolls, and is followed by itself after `gap`
/// pixels, so that a loop ends where the next begins and the line is never blank.
struct Marquee: DrawnWidget {
    let id: Int
    let rect: Rect
    let text: String
    let chain: FontChain
    let textWidth: Int
    /// Pixels per second.
    let speed: Double
    let colour: Color
    let valign: VerticalAlignment
    /// Seconds at the left before each loop; nil: the text enters from the right edge.
    let hold: Double?
    /// Pixels between the text's end and its next copy, in the holding mode.
    let gap: Int

    init(
        id: Int, rect: Rect, text: String, chain: FontChain, speed: Double, colour: Color, valign: VerticalAlignment,
        hold: Double? = nil
    ) {
        self.id = id
        self.rect = rect
        self.text = text
        self.chain = chain
        self.textWidth = chain.measure(text)
        self.speed = speed
        self.colour = colour
        self.valign = valign
        self.hold = hold
        // Two characters' room between the end and the next start.
        gap = chain.lineHeight * 2
    }

    var bounds: Rect { rect }
    var isAnimated: Bool { true }

    static func == (lhs: Marquee, rhs: Marquee) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.text == rhs.text && lhs.chain.name == rhs.chain.name
            && lhs.speed == rhs.speed && lhs.colour == rhs.colour && lhs.valign == rhs.valign && lhs.hold == rhs.hold
    }

    /// The pen's x for the moment `now`. Entering from the right, one cycle is the rectangle's
    /// width plus the text's; holding, it is the hold plus the time to move the text and the gap.
    func penX(at now: Date) -> Int {
        guard let hold else {
            let cycle = rect.width + textWidth
            guard cycle > 0 else { return rect.x }
            let travelled = Int((now.timeIntervalSince1970 * speed).rounded(.down)) % cycle
            return rect.maxX - travelled
        }
        let distance = textWidth + gap
        guard speed > 0, distance > 0 else { return rect.x }
        let cycle = hold + Double(distance) / speed
        let intoCycle = now.timeIntervalSince1970.truncatingRemainder(dividingBy: cycle)
        guard intoCycle.isFinite, intoCycle >= hold else { return rect.x }
        return rect.x - min(distance, Int(((intoCycle - hold) * speed).rounded(.down)))
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
        let pen = penX(at: now)
        canvas.clipped(to: rect) { canvas in
            drawn = chain.draw(text, on: &canvas, x: pen, baseline: top + chain.ascent, colour: colour)
            // Holding text is followed by its next loop, already on its way in.
            if hold != nil, pen + textWidth + gap < rect.maxX {
                _ = chain.draw(text, on: &canvas, x: pen + textWidth + gap, baseline: top + chain.ascent, colour: colour)
            }
        }
        output.record(text, missing: drawn.missing)
        let motion: TextArea.Motion = hold.map { .scrollToRead(hold: $0, speed: speed) } ?? .scrollLeft
        output.textAreas.append(TextArea(id: id, rect: rect, runs: [.init(text, colour: colour)], motion: motion, fontHeight: chain.lineHeight))
    }
}
