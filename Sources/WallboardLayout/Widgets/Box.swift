import Foundation
import WallboardRender
import WallboardYAML

/// `box:` a filled or outlined rectangle in a colour, for rules and frames.
struct BoxKind: WidgetKind {
    static let name = "box"
    static let maySpanBezels = true
    static let keys = ["filled"]

    let colour: Color
    let filled: Bool

    static func parse(_ value: YAMLValue, fields: YAMLMapping, rect: Rect, scope: Scope) throws -> BoxKind {
        BoxKind(colour: try scope.colour(value), filled: try fields.optional("filled")?.bool() ?? true)
    }

    func inputs(mustacheFields: Set<String>) -> Set<String> { [] }
    var fontNames: Set<String> { [] }
    func mostTextAreas(in rect: Rect) -> Int { 0 }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        Box(rect: binding.rect, colour: colour, filled: filled)
    }
}

/// A filled or outlined rectangle.
struct Box: DrawnWidget, Hashable {
    let rect: Rect
    let colour: Color
    let filled: Bool

    var bounds: Rect { rect }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        if filled {
            canvas.fill(rect, colour)
        } else {
            canvas.strokeRectangle(rect, colour)
        }
    }
}
