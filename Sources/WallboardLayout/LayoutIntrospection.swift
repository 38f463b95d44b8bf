/// What a layout binds, draws with and whether it moves, asked of its widgets' kinds.
extension Layout {
    /// The top-level context fields the layout binds, so that only those are built.
    public var rootFields: Set<String> {
        Set(fieldPaths.map { path in path.split(separator: ".").first.map(String.init) ?? path })
    }

    /// Every context path the layout's widgets read (`figures.callsWaiting`); names inside a
    /// template's sections are as written.
    public var fieldPaths: Set<String> {
        Set(states.values.joined().flatMap { widget in widget.inputs(mustacheFields: []) })
    }

    /// The top-level fields that templates outside tables name.
    var templateRootFields: Set<String> {
        states.values.joined().reduce(into: []) { $0.formUnion($1.kind.templateRootFields) }
    }

    /// Every font name the layout uses.
    public var fontNames: Set<String> {
        states.values.joined().reduce(into: Set(staleBanner.fonts)) { $0.formUnion($1.kind.fontNames) }
    }

    /// The state that shows the most text areas at once, and how many (the stale banner
    /// included): what a controller that draws its own text must hold.
    public var mostTextAreasAtOnce: (state: String, count: Int) {
        let banner = 1
        let counts = states.map { (state: $0.key, count: Widget.mostTextAreas($0.value) + banner) }
        return counts.max { ($0.count, $1.state) < ($1.count, $0.state) } ?? ("", 0)
    }

    /// Whether the picture moves between whole seconds: marquees, scrolling text, blinking.
    public var animates: Bool {
        states.values.joined().contains(where: \.animates)
    }
}

extension Widget {
    /// The context paths the widget's binding reads; a template rendered by mustache may read
    /// any of `mustacheFields` (the fields in mustache's form of the context).
    func inputs(mustacheFields: Set<String>) -> Set<String> {
        var paths = kind.inputs(mustacheFields: mustacheFields)
        if let when { paths.insert(when.path) }
        if let blink { paths.formUnion([blink.path, Blinking.appearancePath]) }
        return paths
    }

    /// The most text areas `widgets`, drawn together, show at once.
    static func mostTextAreas(_ widgets: [Widget]) -> Int {
        widgets.reduce(0) { total, widget in total + widget.kind.mostTextAreas(in: widget.rect) }
    }

    /// Whether the widget moves between whole seconds.
    var animates: Bool { blink != nil || kind.animates }
}
