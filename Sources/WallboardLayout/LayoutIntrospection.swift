/// What a layout binds, draws with and whether it moves, asked of its widgets' kinds.
extension Layout {
    /// The top-level context fields the layout binds, so that only those are built.
    public var rootFields: Set<String> {
        Set(states.values.joined().flatMap { widget in
            widget.inputs(mustacheFields: []).map { path in path.split(separator: ".").first.map(String.init) ?? path }
        })
    }

    /// The top-level fields that templates outside tables name.
    var templateRootFields: Set<String> {
        states.values.joined().reduce(into: []) { $0.formUnion($1.kind.templateRootFields) }
    }

    /// Every font name the layout uses.
    public var fontNames: Set<String> {
        states.values.joined().reduce(into: Set(staleBanner.fonts)) { $0.formUnion($1.kind.fontNames) }
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
        if let blink { paths.insert(blink.path) }
        return paths
    }

    /// Whether the widget moves between whole seconds.
    var animates: Bool { blink != nil || kind.animates }
}
