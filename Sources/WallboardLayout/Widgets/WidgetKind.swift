import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// The widget kinds layouts may use, in the order error messages list them. A new kind is one
/// file that conforms to `WidgetKind` and one line here.
let registeredWidgetKinds: [any WidgetKind.Type] = [
    TextKind.self,
    MarqueeKind.self,
    ClockKind.self,
    TimerKind.self,
    TableKind.self,
    GridKind.self,
    KPIKind.self,
    PagesKind.self,
    BoxKind.self,
    BarChartKind.self,
    LineChartKind.self,
    DonutKind.self,
    StationPanelKind.self,
    SeatPanelKind.self,
    LegendKind.self,
    MapKind.self,
]

/// One kind of widget: how a layout file writes it, what it reads from the context, which fonts
/// it uses, whether it moves, and what it draws as once bound to the data.
protocol WidgetKind: Sendable {
    /// The key that names the kind in a layout file (`text: "…"`).
    static var name: String { get }
    /// The keys the widget takes beside its name and `rect`, `when` and `blink`.
    static var keys: [String] { get }
    /// True when the widget may leave out `rect` and then fills the board.
    static var fillsTheBoardWithoutRect: Bool { get }
    /// True when its rectangle may cross a splicing wall's bezels: charts, the map, boxes, and
    /// pages (whose widgets are checked one by one). Widgets that draw text may not.
    static var maySpanBezels: Bool { get }
    /// Reads the kind from its value and the widget's other fields, checked against `scope`.
    static func parse(_ value: YAMLValue, fields: YAMLMapping, rect: Rect, scope: Scope) throws -> Self

    /// The context paths binding reads; a template rendered by mustache may read any of
    /// `mustacheFields` (the fields in mustache's form of the context).
    func inputs(mustacheFields: Set<String>) -> Set<String>
    /// The top-level fields that its templates (outside tables) name.
    var templateRootFields: Set<String> { get }
    /// Every font name it uses.
    var fontNames: Set<String> { get }
    /// True when its picture moves between whole seconds (scrolling).
    var animates: Bool { get }
    /// The widgets of each page, for widgets that hold others.
    var pages: [[Widget]] { get }
    /// The most text areas it shows at once in `rect`: what a controller that draws its own
    /// text must hold.
    func mostTextAreas(in rect: Rect) -> Int
    /// What it draws as for the binding's context; nil when there is nothing to draw.
    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)?
}

extension WidgetKind {
    static var fillsTheBoardWithoutRect: Bool { false }
    static var maySpanBezels: Bool { false }
    var templateRootFields: Set<String> { [] }
    var animates: Bool { false }
    var pages: [[Widget]] { [] }
}

/// A kind that draws text in a `TextStyle`: it takes the style's keys and uses its fonts.
protocol StyledTextKind: WidgetKind {
    var style: TextStyle { get }
}

extension StyledTextKind {
    static var keys: [String] { Scope.styleKeys }
    var fontNames: Set<String> { Set(style.fonts) }
    func mostTextAreas(in rect: Rect) -> Int { 1 }
}

/// What a widget is bound with: its place, the context, and the board's fonts and memo.
struct WidgetBinding {
    let slot: WidgetSlot
    let renderer: BoardRenderer
    let context: ContextValue
    let prepared: () -> Any
    /// What the widget drew as in the binding before, whose parts it may keep.
    let previous: [any DrawnWidget]

    var id: Int { slot.areaID }
    var rect: Rect { slot.widget.rect }

    func fonts(_ names: [String]) -> [FontChain] { renderer.fonts(names) }

    /// The widgets of a page of this widget, bound to the same context.
    func bindPage(_ page: Int) -> [any DrawnWidget] {
        renderer.resolve(slot.pages[page], context: context, prepared: prepared)
    }
}
