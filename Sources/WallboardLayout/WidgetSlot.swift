/// A layout widget in its place in the layout tree, worked out once when a renderer is made.
///
/// Its place is its path: the index in its state and, inside pages, the page and the index in
/// the page. Area numbers follow the paths: the state's own widgets are 1, 2, 3 … in order, and
/// the widgets inside pages come after them, so that no two widgets of a state share one.
struct WidgetSlot: Sendable {
    let widget: Widget
    /// The number the widget's text areas carry.
    let areaID: Int
    /// Per page, the slots of a pages widget's widgets; empty for other kinds.
    let pages: [[WidgetSlot]]

    /// The slots of one state's widgets, and the first area number after all of them.
    static func slots(for widgets: [Widget]) -> (slots: [WidgetSlot], nextAreaID: Int) {
        var next = widgets.count + 1
        func nested(_ widget: Widget) -> [[WidgetSlot]] {
            widget.kind.pages.map { page in
                let first = next
                next += page.count
                return page.enumerated().map { index, child in
                    WidgetSlot(widget: child, areaID: first + index, pages: nested(child))
                }
            }
        }
        let slots = widgets.enumerated().map { index, widget in
            WidgetSlot(widget: widget, areaID: index + 1, pages: nested(widget))
        }
        return (slots, next)
    }
}
