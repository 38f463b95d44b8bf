import Foundation
import WallboardDispatch
import WallboardRender
import WallboardText

/// Turns a layout and a snapshot into frames for one board.
public struct BoardRenderer: Sendable {
    public let layout: Layout
    public let identity: BoardIdentity
    let fonts: FontSet
    let builder: ContextBuilder
    let memo = LayoutMemo()
    /// The fields templates outside tables name: only these are converted for mustache.
    let templateFields: Set<String>
    /// Per state, the widgets in their places in the layout tree.
    let slots: [String: [WidgetSlot]]
    /// The stale banner's area number: after every widget's.
    let bannerAreaID: Int
    /// Per state, per widget: the context paths the widget reads.
    let inputs: [String: [Set<String>]]

    public init(layout: Layout, identity: BoardIdentity, fonts: FontSet) {
        self.layout = layout
        self.identity = identity
        self.fonts = fonts
        builder = ContextBuilder(identity: identity, fields: layout.rootFields)
        templateFields = layout.templateRootFields
        let numbered = layout.states.mapValues(WidgetSlot.slots)
        slots = numbered.mapValues(\.slots)
        bannerAreaID = numbered.values.map(\.nextAreaID).max() ?? 1
        inputs = layout.states.mapValues { [templateFields] widgets in widgets.map { $0.inputs(mustacheFields: templateFields) } }
    }

    /// The context in mustache's form, with only the fields templates name.
    func prepared(_ context: ContextValue) -> Any {
        guard case .object(let fields) = context else { return context.mustacheValue }
        return fields.filter { templateFields.contains($0.key) }.mapValues(\.mustacheValue)
    }

    /// Binds the data: templates render and text is laid out here, once per snapshot, so that
    /// drawing a frame is only drawing. `staleSince` is when the last good snapshot was taken,
    /// when the source has stopped answering; nil `snapshot` means no data has arrived yet.
    public func bind(_ snapshot: DispatchSnapshot?, staleSince: Date?) -> BoundBoard {
        BoundBoard(renderer: self, snapshot: snapshot, staleSince: staleSince, previous: nil)
    }

    /// The frame for `snapshot` at `now`, binding and drawing in one go.
    public func render(_ snapshot: DispatchSnapshot?, staleSince: Date? = nil, at now: Date) -> (frame: Frame, output: RenderOutput) {
        var bound = bind(snapshot, staleSince: staleSince)
        return bound.render(at: now)
    }

    func resolve(_ slots: [WidgetSlot], context: ContextValue, prepared: @escaping () -> Any) -> [any DrawnWidget] {
        slots.flatMap { slot in resolveGroup(slot, context: context, prepared: prepared) }
    }

    /// The widgets of `state`, one group per layout widget; a group is taken from `previous`
    /// when every context path its widget reads has the same value there.
    func resolveGroups(state: String, context: ContextValue, prepared: @escaping () -> Any, reusing previous: Resolution?) -> [[any DrawnWidget]] {
        let slots = self.slots[state] ?? []
        let inputs = self.inputs[state] ?? []
        let earlier = previous.flatMap { $0.groups.count == slots.count ? $0 : nil }
        return slots.enumerated().map { index, slot in
            guard let earlier else { return resolveGroup(slot, context: context, prepared: prepared) }
            if index < inputs.count, inputs[index].allSatisfy({ context.lookup($0) == earlier.context.lookup($0) }) {
                return earlier.groups[index]
            }
            return resolveGroup(slot, context: context, prepared: prepared, replacing: earlier.groups[index])
        }
    }

    /// What one layout widget draws as: nothing when its condition fails; a table brings its
    /// timer columns, which redraw every second on their own while its text redraws per snapshot.
    /// `previous` is what the widget drew as in the binding before, whose parts it may keep.
    private func resolveGroup(
        _ slot: WidgetSlot, context: ContextValue, prepared: @escaping () -> Any, replacing previous: [any DrawnWidget] = []
    ) -> [any DrawnWidget] {
        let widget = slot.widget
        if let when = widget.when, !when.holds(in: context) { return [] }
        let binding = WidgetBinding(slot: slot, renderer: self, context: context, prepared: prepared, previous: previous)
        guard let resolved = widget.kind.bind(binding) else { return [] }
        let drawn = [resolved] + resolved.companions
        guard widget.blink?.holds(in: context) == true else { return drawn }
        let litUntil = context.lookup(Blinking.appearancePath)?.date.map(Blinking.litUntil(appearing:))
        return drawn.map { Blinking(content: $0, litUntil: litUntil) as any DrawnWidget }
    }
}

/// The widgets bound for one state key, and the context they were bound to.
struct Resolution: Sendable {
    let context: ContextValue
    /// One group per layout widget of the state.
    let groups: [[any DrawnWidget]]
    let widgets: [any DrawnWidget]
    /// Numbers the resolutions of one binding and those after it: the same serial, the same
    /// widgets. A frame compares a widget with the one drawn before by serial alone, where
    /// comparing a page of text widgets field by field cost a door board a fifth of its frame.
    let serial: Int
}

/// The context in mustache's form, converted on first use: only templates with sections need it.
final class MustacheForm {
    private let renderer: BoardRenderer
    private let context: ContextValue
    private var converted: Any?

    init(renderer: BoardRenderer, context: ContextValue) {
        self.renderer = renderer
        self.context = context
    }

    func value() -> Any {
        if let converted { return converted }
        let value = renderer.prepared(context)
        converted = value
        return value
    }
}
