import Foundation
import WallboardDispatch
import WallboardRender
import WallboardText

/// A board's layout bound to one snapshot: draws the frame for any moment.
///
/// Widgets that do not depend on the moment are drawn once into a layer per state; each frame
/// restores the animated widgets' rectangles from that layer and draws only them. The layer on
/// show lends its pixels to the working canvas and keeps only what lies under the animated
/// widgets, so that a board holds one frame's pixels, not two (75 MB on a 3×3 splicing wall).
/// Rebinding to a newer snapshot rebuilds only the context rows that changed, binds again only
/// the widgets that read them, and redraws only the pixels of what changed.
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
    /// (the banner after the widgets): the widget, the moment it drew it for and its output.
    /// Kept across a rebinding: a widget bound the same that nothing redrawn covers stays as drawn.
    private var drawnMoving: [Int: DrawnMoving] = [:]
    /// The number the next widgets bound for a state key take (see `Resolution.serial`).
    private var nextSerial = 0

    struct DrawnMoving: Sendable {
        var widget: any DrawnWidget
        /// The serial of the widgets it was one of: a widget of the same serial at the same
        /// position is this one, with no need to compare them.
        var serial: Int
        var moment: Date
        var output: RenderOutput
    }
    /// The door board's alerts as last worked out, and the moments they hold for.
    private var doorAlerts: (state: DoorBoardState, start: Date, end: Date)?
    /// The state key and widgets of the last frame, with its alert's turn: they hold while
    /// the turn and (on door boards) `doorAlerts` do, so that a frame need not work out its alert
    /// and look its widgets up by key again.
    private var shown: (slot: Int, key: String, widgets: [any DrawnWidget], serial: Int)?

    /// The pixels and text areas of the widgets that do not move, for one state.
    struct StaticLayer: Sendable {
        var bitmap: Bitmap
        /// Per widget position: its text areas and strings.
        var outputs: [Int: RenderOutput]
        /// The positions of the widgets that do not move.
        var still: [Int]
        /// The widgets drawn in it, to tell where the next binding's widgets differ.
        var widgets: [any DrawnWidget]
        /// False when an animated widget lies under a static one drawn after it: such a state
        /// is drawn whole every frame so that the order of drawing stays right.
        var usable: Bool
        /// Nil when `bitmap` holds the whole layer. When the layer has lent its pixels to the
        /// working canvas (`bitmap` is then empty), the parts it keeps: under the widgets that
        /// move. Everywhere else the working canvas shows the layer as it is.
        var held: [HeldPixels]? = nil

        /// Copies the layer's pixels in `area` onto `canvas`, which shows this layer.
        func restore(_ area: Rect, on canvas: inout Canvas) {
            guard let held else { return canvas.copy(area, from: bitmap) }
            for part in held { part.restore(area, on: &canvas) }
        }
    }

    /// A part of a layer lent to the working canvas: a rectangle and the layer's pixels there.
    struct HeldPixels: Sendable {
        let rect: Rect
        private(set) var pixels: Bitmap

        /// `board`'s pixels in `rect`.
        init(_ rect: Rect, of board: Bitmap) {
            self.rect = rect.intersection(board.bounds)
            pixels = board.cropped(to: rect)
        }

        /// Copies these pixels onto `canvas` where they meet `area`.
        func restore(_ area: Rect, on canvas: inout Canvas) {
            let part = area.intersection(rect)
            guard !part.isEmpty else { return }
            canvas.clipped(to: part) { canvas in canvas.blit(pixels, x: rect.x, y: rect.y) }
        }

        /// Takes the pixels of `source`, whose top-left corner lies at `origin` on the board,
        /// where it meets `area`.
        mutating func take(_ source: Bitmap, at origin: (x: Int, y: Int), within area: Rect) {
            let part = area.intersection(rect)
            guard !part.isEmpty else { return }
            var canvas = Canvas(bitmap: pixels)
            // Let go of the pixels so that the canvas owns them and draws in place.
            pixels = Bitmap(width: 0, height: 0, format: canvas.format)
            canvas.clipped(to: Rect(x: part.x - rect.x, y: part.y - rect.y, width: part.width, height: part.height)) { canvas in
                canvas.blit(source, x: origin.x - rect.x, y: origin.y - rect.y)
            }
            pixels = canvas.bitmap
        }
    }

    init(renderer: BoardRenderer, snapshot: DispatchSnapshot?, staleSince: Date?, previous: [String: StaticLayer]?) {
        self.renderer = renderer
        self.snapshot = snapshot ?? .empty(at: staleSince ?? Date(timeIntervalSince1970: 0))
        self.inherited = previous ?? [:]
        staleBanner = StaleBannerWidget(renderer: renderer, snapshot: snapshot, staleSince: staleSince)
        doorCandidates = BoundBoard.doorCandidates(renderer: renderer, snapshot: self.snapshot)
    }

    static func doorCandidates(renderer: BoardRenderer, snapshot: DispatchSnapshot) -> [Vehicle] {
        guard renderer.layout.kind == .door, let stationID = renderer.identity.stationID else { return [] }
        return DoorBoardState.candidates(in: snapshot, stationID: stationID)
    }

    /// Binds a newer snapshot, keeping what can be kept of the drawing.
    public mutating func rebind(_ snapshot: DispatchSnapshot?, staleSince: Date?) {
        self.snapshot = snapshot ?? .empty(at: staleSince ?? Date(timeIntervalSince1970: 0))
        doorCandidates = BoundBoard.doorCandidates(renderer: renderer, snapshot: self.snapshot)
        if let staleBanner { pendingDirty.append(staleBanner.bounds) }
        staleBanner = StaleBannerWidget(renderer: renderer, snapshot: snapshot, staleSince: staleSince)
        // Moved rather than copied, so that deriving the new layers does not copy their pixels.
        // Only states the new snapshot can still show are kept: an alert whose vehicle has no
        // open task will not come back as drawn, and keeping every alert a board ever showed
        // grew a door board's memory with each dispatch.
        let doorCandidates = doorCandidates
        func canShow(_ key: String) -> Bool {
            !key.hasPrefix(BoundBoard.alertKeyPrefix) || doorCandidates.contains { key.hasPrefix(BoundBoard.alertKeyPrefix + $0.id + ":") }
        }
        inherited = layers.merging(inherited) { current, _ in current }.filter { canShow($0.key) }
        layers = [:]
        previousResolutions = widgetCache.merging(previousResolutions) { current, _ in current }.filter { canShow($0.key) }
        widgetCache = [:]
        previousBasis = basis ?? previousBasis
        basis = nil
        doorAlerts = nil
        shown = nil
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

    /// How a door board's state key for an alert starts; the vehicle's id follows.
    static let alertKeyPrefix = "alert:"

    /// The state keys whose drawing or bound widgets the board keeps (`idle`, `main`, an alert's).
    var statesKept: Set<String> {
        Set(layers.keys).union(inherited.keys).union(widgetCache.keys).union(previousResolutions.keys)
    }

    /// The earliest moment after `now` at which the frame may differ from the one drawn at `now`
    /// (ask after drawing it), while the snapshot and the banner stay: when a widget on show
    /// moves next, and on a door board when the next alert takes its turn or a departed
    /// vehicle's hold runs out. Nil: never by itself; `now`: at any moment.
    public func nextChange(after now: Date) -> Date? {
        guard let shown else { return now }
        var moments = shown.widgets.map { $0.nextChange(after: now) } + [staleBanner?.nextChange(after: now)]
        if let doorAlerts {
            if doorAlerts.end > now { moments.append(doorAlerts.end) }
            if doorAlerts.state.alerts.count > 1, let turn = doorAlerts.state.turn(at: now, rotation: renderer.layout.rotation) {
                moments.append(turn.end)
            }
        }
        return moments.compactMap { $0 }.min()
    }

    /// The frame at `now`.
    ///
    /// On the canvas kept from the frame before, a widget that moves is drawn again only when it
    /// draws differently than it did then, or when something drawn again overlaps it.
    public mutating func render(at now: Date) -> (frame: Frame, output: RenderOutput) {
        let layout = renderer.layout
        let (key, widgets, serial) = self.widgets(at: now)
        if layers[key] == nil { layers[key] = makeLayer(key: key, widgets: widgets) }
        guard let usable = layers[key]?.usable else { return (Frame(bitmap: Bitmap(width: layout.width, height: layout.height, format: layout.format)), RenderOutput()) }
        // Drawn every frame, by position: the widgets that move (all of them when the layer
        // cannot be used), then the banner.
        var moving: [(index: Int, widget: any DrawnWidget)] = widgets.enumerated().compactMap { index, widget in
            widget.isAnimated || !usable ? (index, widget) : nil
        }
        if let staleBanner { moving.append((widgets.count, staleBanner)) }
        let movingBounds = moving.map(\.widget.bounds)
        var canvas: Canvas
        var kept = drawnMoving
        let continuing = usable && workingKey == key && working != nil
        if continuing, let previous = working {
            canvas = previous
            working = nil
            holdUnder(movingBounds, of: key, from: canvas)
        } else {
            releaseWorkingCanvas()
            canvas = usable ? lendLayer(key, keeping: movingBounds) : Canvas(width: layout.width, height: layout.height, format: layout.format)
            kept = [:]
        }
        guard let layer = layers[key] else { return (Frame(bitmap: canvas.bitmap), RenderOutput()) }
        // Restored from the layer: where the layer changed, and where a moving widget drawn
        // before is gone or bound otherwise since. Widgets drawn with this frame's serial are
        // this frame's, at the same positions: none of them is gone.
        var restore = pendingDirty
        if kept.values.contains(where: { $0.serial != serial }) {
            let current = Dictionary(moving.map { ($0.index, $0.widget) }) { first, _ in first }
            for (index, earlier) in kept where !(current[index].map { earlier.serial == serial || earlier.widget.drawsLike($0) } ?? false) {
                restore.append(earlier.widget.bounds)
            }
        }
        // A widget drawn before is kept if it is bound the same, draws the same now, and nothing
        // restored falls on it.
        var redraw = moving.map { index, widget in
            guard let earlier = kept[index], earlier.serial == serial || earlier.widget.drawsLike(widget) else { return true }
            return !widget.drawsTheSame(at: now, asAt: earlier.moment) || restore.contains { $0.intersects(widget.bounds) }
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
            for rect in restore { layer.restore(rect, on: &canvas) }
            for (position, entry) in moving.enumerated() where redraw[position] { layer.restore(entry.widget.bounds, on: &canvas) }
        }
        pendingDirty = []
        var drawn: [Int: DrawnMoving] = [:]
        for (position, entry) in moving.enumerated() {
            if !redraw[position], let earlier = kept[entry.index] {
                drawn[entry.index] = earlier
                continue
            }
            var output = RenderOutput()
            entry.widget.draw(on: &canvas, at: now, into: &output)
            drawn[entry.index] = DrawnMoving(widget: entry.widget, serial: serial, moment: now, output: output)
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
        // The working canvas now differs from the layer only under the widgets drawn on it: the
        // layer need keep no other part.
        layers[key]?.held?.removeAll { part in !movingBounds.contains { $0.intersects(part.rect) } }
        return (frame, merged)
    }

    /// A canvas of `key`'s layer for the working canvas: the layer's own pixels, the layer
    /// keeping a copy of only what lies under `rects` (so drawing on the canvas copies nothing).
    private mutating func lendLayer(_ key: String, keeping rects: [Rect]) -> Canvas {
        let layout = renderer.layout
        guard var layer = layers.removeValue(forKey: key) else { return Canvas(width: layout.width, height: layout.height, format: layout.format) }
        let canvas = Canvas(bitmap: layer.bitmap)
        layer.held = rects.filter { !$0.isEmpty }.map { HeldPixels($0, of: canvas.bitmap) }
        layer.bitmap = Bitmap(width: 0, height: 0, format: layout.format)
        layers[key] = layer
        return canvas
    }

    /// Has `key`'s layer, when lent to `canvas`, keep what lies under those of `rects` it does not
    /// keep yet: what the canvas shows there, but for the parts the layer already keeps.
    private mutating func holdUnder(_ rects: [Rect], of key: String, from canvas: Canvas) {
        guard let held = layers[key]?.held else { return }
        let missing = rects.filter { rect in !rect.isEmpty && !held.contains { $0.rect.contains(rect) } }
        guard !missing.isEmpty else { return }
        var kept = held
        for rect in missing {
            var part = HeldPixels(rect, of: canvas.bitmap)
            for earlier in held { part.take(earlier.pixels, at: (earlier.rect.x, earlier.rect.y), within: earlier.rect) }
            kept.append(part)
        }
        layers[key]?.held = kept
    }

    /// Gives the working canvas back to the layer it was lent by: with the parts the layer kept
    /// copied back, the canvas is the whole layer again.
    private mutating func releaseWorkingCanvas() {
        guard let key = workingKey, var canvas = working else { return }
        working = nil
        func giveBack(_ store: inout [String: StaticLayer]) -> Bool {
            guard var layer = store.removeValue(forKey: key) else { return false }
            guard let held = layer.held else {
                store[key] = layer
                return false
            }
            for part in held { part.restore(part.rect, on: &canvas) }
            layer.bitmap = canvas.bitmap
            layer.held = nil
            store[key] = layer
            return true
        }
        if !giveBack(&layers) { _ = giveBack(&inherited) }
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
        let still = widgets.indices.filter { !widgets[$0].isAnimated }
        let bounds = Rect(x: 0, y: 0, width: layout.width, height: layout.height)
        guard usable else {
            return StaticLayer(
                bitmap: Bitmap(width: layout.width, height: layout.height, format: layout.format), outputs: [:], still: still, widgets: widgets, usable: false
            )
        }
        if var previous = inherited.removeValue(forKey: key), previous.usable, previous.still == still,
           previous.held == nil || (key == workingKey && working != nil) {
            let changed = still.filter { !widgets[$0].drawsLike(previous.widgets[$0]) }
            var outputs = previous.outputs
            // A layer lent to the working canvas is redrawn there (what moves over a redrawn
            // rectangle is drawn again, as `pendingDirty` has it), and the parts it keeps with it.
            var canvas: Canvas
            if previous.held != nil, let shown = working {
                canvas = shown
                working = nil
            } else {
                canvas = Canvas(bitmap: previous.bitmap)
            }
            // Let go of the old layer's pixels so that the canvas owns them and draws in place.
            previous.bitmap = Bitmap(width: 0, height: 0, format: layout.format)
            var refreshed: Set<Int> = []
            var redrawn: [Rect] = []
            for index in changed {
                for dirty in widgets[index].changedRects(since: previous.widgets[index]) {
                    if key == workingKey { pendingDirty.append(dirty) }
                    redrawn.append(dirty)
                    // Nothing to clear where a widget that covers its rectangle is drawn over all of it.
                    let covered = widgets.contains { !$0.isAnimated && $0.isOpaque && $0.bounds.contains(dirty) }
                    canvas.clipped(to: dirty) { canvas in
                        if !covered { canvas.clear() }
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
            guard var held = previous.held else {
                return StaticLayer(bitmap: canvas.bitmap, outputs: outputs, still: still, widgets: widgets, usable: true)
            }
            for index in held.indices {
                for rect in redrawn { held[index].take(canvas.bitmap, at: (0, 0), within: rect) }
            }
            working = canvas
            return StaticLayer(bitmap: previous.bitmap, outputs: outputs, still: still, widgets: widgets, usable: true, held: held)
        }
        if key == workingKey { pendingDirty.append(bounds) }
        var canvas = Canvas(width: layout.width, height: layout.height, format: layout.format)
        var outputs: [Int: RenderOutput] = [:]
        for (index, widget) in widgets.enumerated() where !widget.isAnimated {
            var output = RenderOutput()
            widget.draw(on: &canvas, at: snapshot.takenAt, into: &output)
            outputs[index] = output
        }
        return StaticLayer(bitmap: canvas.bitmap, outputs: outputs, still: still, widgets: widgets, usable: true)
    }

    private mutating func widgets(at now: Date) -> (key: String, widgets: [any DrawnWidget], serial: Int) {
        let layout = renderer.layout
        let doorState = layout.kind == .door ? currentDoorState(at: now) : nil
        let turn = doorState?.turn(at: now, rotation: layout.rotation)
        let slot = turn?.number ?? 0
        if let shown, shown.slot == slot, layout.kind != .door || doorAlerts.map({ $0.start <= now && now < $0.end }) == true {
            return (shown.key, shown.widgets, shown.serial)
        }
        let state: String
        let key: String
        var alert: (index: Int, count: Int, alert: DoorAlert)?
        if layout.kind == .door {
            if let doorState, let turn {
                let current = doorState.alerts[turn.index]
                state = "alert"
                alert = (turn.index, doorState.alerts.count, current)
                key = BoundBoard.alertKeyPrefix + "\(current.vehicle.id):\(turn.index)/\(doorState.alerts.count)"
            } else {
                state = "idle"
                key = "idle"
            }
        } else {
            state = "main"
            key = "main"
        }
        if let cached = widgetCache[key] {
            shown = (slot, key, cached.widgets, cached.serial)
            return (key, cached.widgets, cached.serial)
        }
        let base = basis?.context ?? renderer.builder.base(for: snapshot, reusing: previousBasis)
        basis = ContextBuilder.Basis(snapshot: snapshot, context: base)
        let context = renderer.builder.adding(alert, to: base, of: snapshot)
        let groups = renderer.resolveGroups(
            state: state, context: context, prepared: MustacheForm(renderer: renderer, context: context).value, reusing: previousResolutions[key]
        )
        let resolution = Resolution(context: context, groups: groups, widgets: groups.flatMap { $0 }, serial: nextSerial)
        nextSerial += 1
        widgetCache[key] = resolution
        shown = (slot, key, resolution.widgets, resolution.serial)
        return (key, resolution.widgets, resolution.serial)
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
