import Foundation
import WallboardDispatch
import WallboardRender
import WallboardText

/// The font chains a layout names, resolved once.
public struct FontSet: Sendable {
    let chains: [String: FontChain]

    /// `resolve` turns a layout's font name into a chain; it is asked once per name.
    public init(layout: Layout, resolve: (String) throws -> FontChain) throws {
        var chains: [String: FontChain] = [:]
        for name in layout.fontNames where chains[name] == nil {
            chains[name] = try resolve(name)
        }
        self.chains = chains
    }

    func callAsFunction(_ names: [String]) -> [FontChain] { names.compactMap { chains[$0] } }
}

/// Turns a layout and a snapshot into frames for one board.
public struct BoardRenderer: Sendable {
    public let layout: Layout
    public let identity: BoardIdentity
    let fonts: FontSet
    let builder: ContextBuilder
    let memo = LayoutMemo()
    /// The fields templates outside tables name: only these are converted for mustache.
    let templateFields: Set<String>
    /// Per state, per widget: the context paths the widget reads.
    let inputs: [String: [Set<String>]]

    public init(layout: Layout, identity: BoardIdentity, fonts: FontSet) {
        self.layout = layout
        self.identity = identity
        self.fonts = fonts
        builder = ContextBuilder(identity: identity, fields: layout.rootFields)
        templateFields = layout.templateRootFields
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

    func resolve(_ widgets: [Widget], context: ContextValue, prepared: @escaping () -> Any, idBase: Int = 0) -> [any DrawnWidget] {
        widgets.enumerated().flatMap { index, widget in
            resolveGroup(widget, id: idBase + index + 1, context: context, prepared: prepared)
        }
    }

    /// The widgets of `state`, one group per layout widget; a group is taken from `previous`
    /// when every context path its widget reads has the same value there.
    func resolveGroups(state: String, context: ContextValue, prepared: @escaping () -> Any, reusing previous: Resolution?) -> [[any DrawnWidget]] {
        let widgets = layout.states[state] ?? []
        let inputs = self.inputs[state] ?? []
        let earlier = previous.flatMap { $0.groups.count == widgets.count ? $0 : nil }
        return widgets.enumerated().map { index, widget in
            guard let earlier else { return resolveGroup(widget, id: index + 1, context: context, prepared: prepared) }
            if index < inputs.count, inputs[index].allSatisfy({ context.lookup($0) == earlier.context.lookup($0) }) {
                return earlier.groups[index]
            }
            return resolveGroup(widget, id: index + 1, context: context, prepared: prepared, replacing: earlier.groups[index])
        }
    }

    /// What one layout widget draws as: nothing when its condition fails; a table brings its
    /// timer columns, which redraw every second on their own while its text redraws per snapshot.
    /// `previous` is what the widget drew as in the binding before, whose parts it may keep.
    private func resolveGroup(
        _ widget: Widget, id: Int, context: ContextValue, prepared: @escaping () -> Any, replacing previous: [any DrawnWidget] = []
    ) -> [any DrawnWidget] {
        if let when = widget.when, !when.holds(in: context) { return [] }
        guard let resolved = resolve(widget, id: id, context: context, prepared: prepared, replacing: previous) else { return [] }
        let blinks = widget.blink?.holds(in: context) ?? false
        var drawn: [any DrawnWidget] = [blinks ? Blinking(content: resolved) : resolved]
        if let table = resolved as? TableWidget {
            drawn += table.elapsedColumns.map { column -> any DrawnWidget in blinks ? Blinking(content: column) : column }
        }
        return drawn
    }

    private func resolve(_ widget: Widget, id: Int, context: ContextValue, prepared: @escaping () -> Any, replacing previous: [any DrawnWidget]) -> (any DrawnWidget)? {
        let rect = widget.rect
        switch widget.kind {
        case .text(let template, let style):
            let text = template.render(context, prepared: prepared)
            let chains = fonts(style.fonts)
            let colourValue = style.colourBy.flatMap { context.lookup($0)?.number }
            if let block = TextBlock(id: id, rect: rect, text: text, style: style, chains: chains, colourValue: colourValue) { return block }
            guard let chain = chains.first else { return nil }
            return Marquee(id: id, rect: rect, text: text, chain: chain, speed: Marquee.defaultSpeed, colour: style.colour.colour(for: colourValue), valign: style.valign)
        case .marquee(let template, let style, let speed):
            guard let chain = fonts(style.fonts).first else { return nil }
            return Marquee(id: id, rect: rect, text: template.render(context, prepared: prepared), chain: chain, speed: speed, colour: style.colour.base, valign: style.valign)
        case .clock(let pattern, let style):
            return TimeText(id: id, rect: rect, source: .clock(pattern: TimePattern(pattern), TimeFormatter(timeZone: identity.timeZone)), chains: fonts(style.fonts), style: style)
        case .timer(let path, let style):
            guard let since = context.lookup(path)?.date else { return nil }
            return TimeText(id: id, rect: rect, source: .elapsed(since: since, style.colour), chains: fonts(style.fonts), style: style)
        case .table(let table):
            guard let chain = fonts(table.fonts).first, case .list(let items)? = context.lookup(table.rows) else { return nil }
            return TableWidget(id: id, rect: rect, table: table, chain: chain, items: items, memo: memo)
        case .statusGrid(let grid):
            guard let chain = fonts(grid.fonts).first, case .list(let vehicles)? = context.lookup("vehicles") else { return nil }
            return StatusGridWidget(
                id: id, rect: rect, grid: grid, chain: chain, vehicles: vehicles, memo: memo, reusing: previous.first as? StatusGridWidget
            )
        case .kpi(let kpi):
            let labelChains = fonts(kpi.labelFonts), valueChains = fonts(kpi.valueFonts)
            guard !labelChains.isEmpty, !valueChains.isEmpty else { return nil }
            return KPITile(id: id, rect: rect, kpi: kpi, labelChains: labelChains, valueChains: valueChains, context: context)
        case .pages(let pages, let seconds):
            return Pages(
                pages: pages.enumerated().map { page, widgets in resolve(widgets, context: context, prepared: prepared, idBase: id * 10 + page * 100) },
                seconds: seconds
            )
        case .box(let colour, let filled):
            return Box(rect: rect, colour: colour, filled: filled)
        }
    }
}

/// The widgets bound for one state key, and the context they were bound to.
struct Resolution: Sendable {
    let context: ContextValue
    /// One group per layout widget of the state.
    let groups: [[any DrawnWidget]]
    let widgets: [any DrawnWidget]
}

/// A board's layout bound to one snapshot: draws the frame for any moment.
///
/// Widgets that do not depend on the moment are drawn once into a layer per state; each frame
/// restores the animated widgets' rectangles from that layer and draws only them. Rebinding to
/// a newer snapshot rebuilds only the context rows that changed, binds again only the widgets
/// that read them, and redraws only the pixels of what changed.
public struct BoundBoard: Sendable {
    let renderer: BoardRenderer
    public private(set) var snapshot: DispatchSnapshot
    /// On a door board, the station's vehicles with an open task: the only ones that can alert.
    private var doorCandidates: [Vehicle] = []
    private var staleBanner: (any DrawnWidget)?
    /// This binding's context without the door-board alert, once built.
    private var basis: ContextBuilder.Basis?
    /// The last context built before this binding: its unchanged rows are kept.
    private var previousBasis: ContextBuilder.Basis?
    /// Widgets bound per state key (the state and, on door boards, the alert on show).
    private var widgetCache: [String: Resolution] = [:]
    /// Earlier bindings' widgets, kept where what they read did not change.
    private var previousResolutions: [String: Resolution] = [:]
    private var layers: [String: StaticLayer] = [:]
    /// The previous binding's layers, reused where their widgets did not change.
    private var inherited: [String: StaticLayer] = [:]
    /// The canvas frames are drawn on, kept between frames of the same state.
    private var working: Canvas?
    private var workingKey: String?
    /// Rectangles where the working canvas no longer matches its state's layer.
    private var pendingDirty: [Rect] = []
    /// What the last frame on the working canvas drew for each widget that moves, by position
    /// (the banner after the widgets), and the moment it drew it for.
    private var drawnMoving: [Int: (moment: Date, output: RenderOutput)] = [:]
    /// The door board's alerts as last worked out, and the moments they hold for.
    private var doorAlerts: (state: DoorBoardState, start: Date, end: Date)?

    /// The pixels and text areas of the widgets that do not move, for one state.
    struct StaticLayer: Sendable {
        var bitmap: Bitmap
        /// Per widget position: its text areas and strings.
        var outputs: [Int: RenderOutput]
        var fingerprints: [Int: Int]
        /// The widgets drawn in it, to tell where the next binding's widgets differ.
        var widgets: [any DrawnWidget]
        /// False when an animated widget lies under a static one drawn after it: such a state
        /// is drawn whole every frame so that the order of drawing stays right.
        var usable: Bool
    }

    init(renderer: BoardRenderer, snapshot: DispatchSnapshot?, staleSince: Date?, previous: [String: StaticLayer]?) {
        self.renderer = renderer
        self.snapshot = snapshot ?? .empty(at: staleSince ?? Date(timeIntervalSince1970: 0))
        self.inherited = previous ?? [:]
        staleBanner = BoundBoard.banner(renderer: renderer, snapshot: snapshot, staleSince: staleSince)
        doorCandidates = BoundBoard.doorCandidates(renderer: renderer, snapshot: self.snapshot)
    }

    static func doorCandidates(renderer: BoardRenderer, snapshot: DispatchSnapshot) -> [Vehicle] {
        guard renderer.layout.kind == .door, let stationID = renderer.identity.stationID else { return [] }
        return DoorBoardState.candidates(in: snapshot, stationID: stationID)
    }

    static func banner(renderer: BoardRenderer, snapshot: DispatchSnapshot?, staleSince: Date?) -> (any DrawnWidget)? {
        guard snapshot == nil || staleSince != nil else { return nil }
        let banner = renderer.layout.staleBanner
        let since = snapshot == nil ? nil : staleSince
        let time = since.map { TimeFormatter(timeZone: renderer.identity.timeZone).string($0, pattern: "HH:mm:ss") } ?? "--:--:--"
        let text = banner.text.replacingOccurrences(of: "{time}", with: time)
        let style = TextStyle(fonts: banner.fonts, colour: Thresholds(base: banner.colour, rules: []), colourBy: nil, align: .centre, valign: .middle, overflow: .shrink)
        guard let block = TextBlock(id: 99, rect: banner.rect, text: text, style: style, chains: renderer.fonts(banner.fonts)) else { return nil }
        return StaleBannerWidget(block: block)
    }

    /// Binds a newer snapshot, keeping what can be kept of the drawing.
    public mutating func rebind(_ snapshot: DispatchSnapshot?, staleSince: Date?) {
        self.snapshot = snapshot ?? .empty(at: staleSince ?? Date(timeIntervalSince1970: 0))
        doorCandidates = BoundBoard.doorCandidates(renderer: renderer, snapshot: self.snapshot)
        if let staleBanner { pendingDirty.append(staleBanner.bounds) }
        staleBanner = BoundBoard.banner(renderer: renderer, snapshot: snapshot, staleSince: staleSince)
        // Moved rather than copied, so that deriving the new layers does not copy their pixels.
        inherited = layers.merging(inherited) { current, _ in current }
        layers = [:]
        previousResolutions = widgetCache.merging(previousResolutions) { current, _ in current }
        widgetCache = [:]
        previousBasis = basis ?? previousBasis
        basis = nil
        drawnMoving = [:]
        doorAlerts = nil
    }

    /// The door board's alerts at `now` (empty on other boards).
    public func doorState(at now: Date) -> DoorBoardState? {
        guard renderer.layout.kind == .door, renderer.identity.stationID != nil else { return nil }
        return DoorBoardState(candidates: doorCandidates, snapshot: snapshot, now: now, hold: renderer.layout.hold)
    }

    /// `doorState(at:)`, worked out again only when `now` leaves the moments it holds for.
    private mutating func currentDoorState(at now: Date) -> DoorBoardState? {
        if let doorAlerts, doorAlerts.start <= now, now < doorAlerts.end { return doorAlerts.state }
        guard let state = doorState(at: now) else { return nil }
        let span = DoorBoardState.steadySpan(of: doorCandidates, hold: renderer.layout.hold, around: now)
        doorAlerts = (state, span.start, span.end)
        return state
    }

    /// The frame at `now`.
    ///
    /// On the canvas kept from the frame before, a widget that moves is drawn again only when it
    /// draws differently than it did then, or when something drawn again overlaps it.
    public mutating func render(at now: Date) -> (frame: Frame, output: RenderOutput) {
        let layout = renderer.layout
        let (key, widgets) = self.widgets(at: now)
        if layers[key] == nil { layers[key] = makeLayer(key: key, widgets: widgets) }
        guard let layer = layers[key] else { return (Frame(bitmap: Bitmap(width: layout.width, height: layout.height, format: layout.format)), RenderOutput()) }
        var canvas: Canvas
        var kept = drawnMoving
        let continuing = layer.usable && workingKey == key && working != nil
        if continuing, let previous = working {
            canvas = previous
            working = nil
        } else {
            canvas = layer.usable ? Canvas(bitmap: layer.bitmap) : Canvas(width: layout.width, height: layout.height, format: layout.format)
            kept = [:]
        }
        // Drawn every frame, by position: the widgets that move (all of them when the layer
        // cannot be used), then the banner.
        var moving: [(index: Int, widget: any DrawnWidget)] = widgets.enumerated().compactMap { index, widget in
            widget.isAnimated || !layer.usable ? (index, widget) : nil
        }
        if let staleBanner { moving.append((widgets.count, staleBanner)) }
        // Nothing is kept across a rebinding (see `rebind`), so the layer's changed rectangles
        // never fall on a kept widget.
        var redraw = moving.map { index, widget in
            guard let earlier = kept[index] else { return true }
            return !widget.drawsTheSame(at: now, asAt: earlier.moment)
        }
        // Restoring a rectangle from the layer wipes whatever else moves inside it: that draws again too.
        var spreading = true
        while spreading {
            spreading = false
            for position in moving.indices where !redraw[position] {
                let bounds = moving[position].widget.bounds
                if moving.indices.contains(where: { redraw[$0] && moving[$0].widget.bounds.intersects(bounds) }) {
                    redraw[position] = true
                    spreading = true
                }
            }
        }
        if continuing {
            for rect in pendingDirty { canvas.copy(rect, from: layer.bitmap) }
            for (position, entry) in moving.enumerated() where redraw[position] { canvas.copy(entry.widget.bounds, from: layer.bitmap) }
        }
        pendingDirty = []
        var drawn: [Int: (moment: Date, output: RenderOutput)] = [:]
        for (position, entry) in moving.enumerated() {
            if !redraw[position], let earlier = kept[entry.index] {
                drawn[entry.index] = earlier
                continue
            }
            var output = RenderOutput()
            entry.widget.draw(on: &canvas, at: now, into: &output)
            drawn[entry.index] = (now, output)
        }
        var merged = RenderOutput()
        for index in 0...widgets.count {
            guard let output = drawn[index]?.output ?? layer.outputs[index] else { continue }
            merged.textAreas += output.textAreas
            merged.strings += output.strings
            for scalar in output.missing where !merged.missing.contains(scalar) { merged.missing.append(scalar) }
        }
        let frame = Frame(bitmap: canvas.bitmap, textAreas: merged.textAreas, missingCharacters: Set(merged.missing.map(Character.init)))
        working = canvas
        workingKey = key
        drawnMoving = drawn
        return (frame, merged)
    }

    /// Draws the widgets that do not move; from the previous binding's layer where it can,
    /// redrawing only the rectangles of widgets whose content changed.
    private mutating func makeLayer(key: String, widgets: [any DrawnWidget]) -> StaticLayer {
        let layout = renderer.layout
        let usable = !widgets.indices.contains { animated in
            widgets[animated].isAnimated && widgets.indices.contains { later in
                later > animated && !widgets[later].isAnimated && widgets[later].bounds.intersects(widgets[animated].bounds)
            }
        }
        var fingerprints: [Int: Int] = [:]
        for (index, widget) in widgets.enumerated() where !widget.isAnimated { fingerprints[index] = widget.fingerprint }
        let bounds = Rect(x: 0, y: 0, width: layout.width, height: layout.height)
        guard usable else {
            return StaticLayer(
                bitmap: Bitmap(width: layout.width, height: layout.height, format: layout.format), outputs: [:], fingerprints: fingerprints, widgets: widgets, usable: false
            )
        }
        if var previous = inherited.removeValue(forKey: key), previous.usable, Set(previous.fingerprints.keys) == Set(fingerprints.keys) {
            let changed = fingerprints.keys.filter { previous.fingerprints[$0] != fingerprints[$0] }.sorted()
            var outputs = previous.outputs
            var canvas = Canvas(bitmap: previous.bitmap)
            // Let go of the old layer's pixels so that the canvas owns them and draws in place.
            previous.bitmap = Bitmap(width: 0, height: 0, format: layout.format)
            var refreshed: Set<Int> = []
            for index in changed {
                for dirty in widgets[index].changedRects(since: previous.widgets[index]) {
                    if key == workingKey { pendingDirty.append(dirty) }
                    canvas.clipped(to: dirty) { canvas in
                        canvas.clear()
                        for (other, widget) in widgets.enumerated() where !widget.isAnimated && widget.bounds.intersects(dirty) {
                            var output = RenderOutput()
                            widget.draw(on: &canvas, at: snapshot.takenAt, into: &output)
                            if changed.contains(other) {
                                outputs[other] = output
                                refreshed.insert(other)
                            }
                        }
                    }
                }
            }
            // A changed widget whose pixels did not change still has new text areas: drawn
            // through an empty clip, it makes them without touching a pixel.
            for index in changed where !refreshed.contains(index) {
                var output = RenderOutput()
                canvas.clipped(to: Rect(x: 0, y: 0, width: 0, height: 0)) { canvas in
                    widgets[index].draw(on: &canvas, at: snapshot.takenAt, into: &output)
                }
                outputs[index] = output
            }
            return StaticLayer(bitmap: canvas.bitmap, outputs: outputs, fingerprints: fingerprints, widgets: widgets, usable: true)
        }
        if key == workingKey { pendingDirty.append(bounds) }
        var canvas = Canvas(width: layout.width, height: layout.height, format: layout.format)
        var outputs: [Int: RenderOutput] = [:]
        for (index, widget) in widgets.enumerated() where !widget.isAnimated {
            var output = RenderOutput()
            widget.draw(on: &canvas, at: snapshot.takenAt, into: &output)
            outputs[index] = output
        }
        return StaticLayer(bitmap: canvas.bitmap, outputs: outputs, fingerprints: fingerprints, widgets: widgets, usable: true)
    }

    private mutating func widgets(at now: Date) -> (key: String, widgets: [any DrawnWidget]) {
        let layout = renderer.layout
        let state: String
        let key: String
        var alert: (index: Int, count: Int, alert: DoorAlert)?
        if layout.kind == .door {
            if let doorState = currentDoorState(at: now), let current = doorState.current(at: now, rotation: layout.rotation) {
                state = "alert"
                alert = (current.index, doorState.alerts.count, current.alert)
                key = "alert:\(current.alert.vehicle.id):\(current.index)/\(doorState.alerts.count)"
            } else {
                state = "idle"
                key = "idle"
            }
        } else {
            state = "main"
            key = "main"
        }
        if let cached = widgetCache[key] { return (key, cached.widgets) }
        let base = basis?.context ?? renderer.builder.base(for: snapshot, reusing: previousBasis)
        basis = ContextBuilder.Basis(snapshot: snapshot, context: base)
        let context = renderer.builder.adding(alert, to: base, of: snapshot)
        let groups = renderer.resolveGroups(
            state: state, context: context, prepared: MustacheForm(renderer: renderer, context: context).value, reusing: previousResolutions[key]
        )
        let resolution = Resolution(context: context, groups: groups, widgets: groups.flatMap { $0 })
        widgetCache[key] = resolution
        return (key, resolution.widgets)
    }
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

/// The "data interrupted since" banner: drawn over whatever is beneath it.
struct StaleBannerWidget: DrawnWidget {
    let block: TextBlock

    var bounds: Rect { block.rect }
    var isAnimated: Bool { true }
    var fingerprint: Int { block.fingerprint }

    /// Animated only so that it is drawn last, over what moves beneath it; it never moves itself.
    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool { true }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        canvas.fill(block.rect, .off)
        block.draw(on: &canvas, at: now, into: &output)
    }
}

extension Layout {
    /// The top-level context fields the layout binds, so that only those are built.
    public var rootFields: Set<String> {
        Set(states.values.joined().flatMap { widget in
            widget.inputs(mustacheFields: []).map { path in path.split(separator: ".").first.map(String.init) ?? path }
        })
    }

    /// The top-level fields that templates outside tables name.
    var templateRootFields: Set<String> {
        var fields: Set<String> = []
        func collect(_ widgets: [Widget]) {
            for widget in widgets {
                switch widget.kind {
                case .text(let template, _), .marquee(let template, _, _): fields.formUnion(template.rootFields)
                case .pages(let pages, _): pages.forEach(collect)
                default: break
                }
            }
        }
        states.values.forEach(collect)
        return fields
    }

    /// Every font name the layout uses.
    public var fontNames: Set<String> {
        var names = Set(staleBanner.fonts)
        func collect(_ widgets: [Widget]) {
            for widget in widgets {
                switch widget.kind {
                case .text(_, let style), .marquee(_, let style, _), .clock(_, let style), .timer(_, let style): names.formUnion(style.fonts)
                case .table(let table): names.formUnion(table.fonts)
                case .statusGrid(let grid): names.formUnion(grid.fonts)
                case .kpi(let kpi): names.formUnion(kpi.labelFonts + kpi.valueFonts)
                case .pages(let pages, _): pages.forEach(collect)
                case .box: break
                }
            }
        }
        states.values.forEach(collect)
        return names
    }
}

extension DispatchSnapshot {
    /// A snapshot with nothing in it, for boards before the first data arrives.
    static func empty(at moment: Date) -> DispatchSnapshot {
        DispatchSnapshot(
            takenAt: moment, dayStart: moment, sourceVersion: nil, stations: [], vehicles: [], incidents: [],
            waitingCalls: [], seats: [], figures: DispatchFigures(callsToday: [], runsToday: [], vehicles: [], stations: [], now: moment, dayStart: moment),
            issues: []
        )
    }
}

extension Widget {
    /// The context paths the widget's binding reads; a template rendered by mustache may read
    /// any of `mustacheFields` (the fields in mustache's form of the context).
    func inputs(mustacheFields: Set<String>) -> Set<String> {
        var paths: Set<String> = []
        if let when { paths.insert(when.path) }
        if let blink { paths.insert(blink.path) }
        switch kind {
        case .text(let template, let style), .marquee(let template, let style, _):
            paths.formUnion(template.rootFields)
            if template.needsMustache { paths.formUnion(mustacheFields) }
            if let colourBy = style.colourBy { paths.insert(colourBy) }
        case .clock, .box: break
        case .timer(let path, _): paths.insert(path)
        case .table(let table): paths.insert(table.rows)
        case .statusGrid: paths.insert("vehicles")
        case .kpi(let kpi): paths.insert(kpi.value)
        case .pages(let pages, _):
            for widget in pages.joined() { paths.formUnion(widget.inputs(mustacheFields: mustacheFields)) }
        }
        return paths
    }
}
