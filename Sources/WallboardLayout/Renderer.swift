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

    public init(layout: Layout, identity: BoardIdentity, fonts: FontSet) {
        self.layout = layout
        self.identity = identity
        self.fonts = fonts
        builder = ContextBuilder(identity: identity)
    }

    /// Binds the data: templates render and text is laid out here, once per snapshot, so that
    /// drawing a frame is only drawing. `staleSince` is when the last good snapshot was taken,
    /// when the source has stopped answering; nil `snapshot` means no data has arrived yet.
    public func bind(_ snapshot: DispatchSnapshot?, staleSince: Date?) -> BoundBoard {
        BoundBoard(renderer: self, snapshot: snapshot ?? .empty(at: staleSince ?? Date(timeIntervalSince1970: 0)), hasData: snapshot != nil, staleSince: staleSince)
    }

    /// The frame for `snapshot` at `now`, binding and drawing in one go.
    public func render(_ snapshot: DispatchSnapshot?, staleSince: Date? = nil, at now: Date) -> (frame: Frame, output: RenderOutput) {
        var bound = bind(snapshot, staleSince: staleSince)
        return bound.render(at: now)
    }

    func resolve(_ widgets: [Widget], context: ContextValue, idBase: Int = 0) -> [any DrawnWidget] {
        var drawn: [any DrawnWidget] = []
        for (index, widget) in widgets.enumerated() {
            if let when = widget.when, !when.holds(in: context) { continue }
            guard let resolved = resolve(widget, id: idBase + index + 1, context: context) else { continue }
            if let blink = widget.blink, blink.holds(in: context) {
                drawn.append(Blinking(content: resolved))
            } else {
                drawn.append(resolved)
            }
        }
        return drawn
    }

    private func resolve(_ widget: Widget, id: Int, context: ContextValue) -> (any DrawnWidget)? {
        let rect = widget.rect
        switch widget.kind {
        case .text(let template, let style):
            let text = template.render(context)
            let chains = fonts(style.fonts)
            let colourValue = style.colourBy.flatMap { context.lookup($0)?.number }
            if let block = TextBlock(id: id, rect: rect, text: text, style: style, chains: chains, colourValue: colourValue) { return block }
            guard let chain = chains.first else { return nil }
            return Marquee(id: id, rect: rect, text: text, chain: chain, speed: 32, colour: style.colour.base, valign: style.valign)
        case .marquee(let template, let style, let speed):
            guard let chain = fonts(style.fonts).first else { return nil }
            return Marquee(id: id, rect: rect, text: template.render(context), chain: chain, speed: speed, colour: style.colour.base, valign: style.valign)
        case .clock(let pattern, let style):
            return TimeText(id: id, rect: rect, source: .clock(pattern: pattern, TimeFormatter(timeZone: identity.timeZone)), chains: fonts(style.fonts), style: style)
        case .timer(let path, let style):
            guard let since = context.lookup(path)?.date else { return nil }
            return TimeText(id: id, rect: rect, source: .elapsed(since: since, style.colour), chains: fonts(style.fonts), style: style)
        case .table(let table):
            guard let chain = fonts(table.fonts).first, case .list(let items)? = context.lookup(table.rows) else { return nil }
            return TableWidget(id: id, rect: rect, table: table, chain: chain, items: items, root: context)
        case .statusGrid(let grid):
            guard let chain = fonts(grid.fonts).first, case .list(let vehicles)? = context.lookup("vehicles") else { return nil }
            return StatusGridWidget(id: id, rect: rect, grid: grid, chain: chain, vehicles: vehicles)
        case .kpi(let kpi):
            let labelChains = fonts(kpi.labelFonts), valueChains = fonts(kpi.valueFonts)
            guard !labelChains.isEmpty, !valueChains.isEmpty else { return nil }
            return KPITile(id: id, rect: rect, kpi: kpi, labelChains: labelChains, valueChains: valueChains, context: context)
        case .pages(let pages, let seconds):
            return Pages(pages: pages.enumerated().map { page, widgets in resolve(widgets, context: context, idBase: id * 10 + page * 100) }, seconds: seconds)
        case .box(let colour, let filled):
            return Box(rect: rect, colour: colour, filled: filled)
        }
    }
}

/// A board's layout bound to one snapshot: draws the frame for any moment.
public struct BoundBoard: Sendable {
    let renderer: BoardRenderer
    public let snapshot: DispatchSnapshot
    let hasData: Bool
    let staleSince: Date?
    /// Widgets bound per state and, on door boards, per alert on show.
    private var cache: [String: [any DrawnWidget]] = [:]
    private let staleBanner: (any DrawnWidget)?

    init(renderer: BoardRenderer, snapshot: DispatchSnapshot, hasData: Bool, staleSince: Date?) {
        self.renderer = renderer
        self.snapshot = snapshot
        self.hasData = hasData
        self.staleSince = staleSince
        staleBanner = (staleSince != nil || !hasData) ? BoundBoard.banner(renderer: renderer, since: hasData ? staleSince : nil) : nil
    }

    static func banner(renderer: BoardRenderer, since: Date?) -> (any DrawnWidget)? {
        let banner = renderer.layout.staleBanner
        let time = since.map { TimeFormatter(timeZone: renderer.identity.timeZone).string($0, pattern: "HH:mm:ss") } ?? "--:--:--"
        let text = banner.text.replacingOccurrences(of: "{time}", with: time)
        let style = TextStyle(fonts: banner.fonts, colour: Thresholds(base: banner.colour, rules: []), colourBy: nil, align: .centre, valign: .middle, overflow: .shrink)
        guard let block = TextBlock(id: 99, rect: banner.rect, text: text, style: style, chains: renderer.fonts(banner.fonts)) else { return nil }
        return StaleBannerWidget(block: block)
    }

    /// The door board's alerts at `now` (empty on other boards).
    public func doorState(at now: Date) -> DoorBoardState? {
        guard renderer.layout.kind == .door, let stationID = renderer.identity.stationID else { return nil }
        return DoorBoardState(snapshot: snapshot, stationID: stationID, now: now, hold: renderer.layout.hold)
    }

    /// The frame at `now`.
    public mutating func render(at now: Date) -> (frame: Frame, output: RenderOutput) {
        let layout = renderer.layout
        var canvas = Canvas(width: layout.width, height: layout.height, format: layout.format)
        var output = RenderOutput()
        for widget in widgets(at: now) {
            widget.draw(on: &canvas, at: now, into: &output)
        }
        if let staleBanner {
            staleBanner.draw(on: &canvas, at: now, into: &output)
        }
        let frame = Frame(bitmap: canvas.bitmap, textAreas: output.textAreas, missingCharacters: Set(output.missing.map(Character.init)))
        return (frame, output)
    }

    private mutating func widgets(at now: Date) -> [any DrawnWidget] {
        let layout = renderer.layout
        let state: String
        var key: String
        var alert: (index: Int, count: Int, alert: DoorAlert)?
        if layout.kind == .door {
            if let doorState = doorState(at: now), let current = doorState.current(at: now, rotation: layout.rotation) {
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
        if let cached = cache[key] { return cached }
        let context = renderer.builder.context(for: snapshot, alert: alert)
        let resolved = renderer.resolve(layout.states[state] ?? [], context: context)
        cache[key] = resolved
        return resolved
    }
}

/// The "data interrupted since" banner: drawn over whatever is beneath it.
struct StaleBannerWidget: DrawnWidget {
    let block: TextBlock

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        canvas.fill(block.rect, .off)
        block.draw(on: &canvas, at: now, into: &output)
    }
}

extension Layout {
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
