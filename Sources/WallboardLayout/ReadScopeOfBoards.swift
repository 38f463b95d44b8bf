import WallboardDispatch

extension ReadScope {
    /// What boards showing these layouts can show, from the context paths their widgets read
    /// (`ContextField` declares what each field of the context needs). A board reads only its own
    /// station when everything it shows is of that station (`station`, `alert`) or of the centre
    /// as a whole without vehicles (calls waiting, the day's calls and runs); a board without a
    /// station that shows only the latter reads no station. A board that shows every vehicle,
    /// incident or station makes the instance read the whole centre. No boards: the whole centre.
    public init(boards: [(stationID: String?, layout: Layout)]) {
        guard !boards.isEmpty else {
            self = .wholeCentre
            return
        }
        var stationIDs: Set<String>? = []
        var parts: Parts = []
        for board in boards {
            let needs = Self.needs(of: board.layout.fieldPaths)
            parts.formUnion(needs.parts)
            if needs.wholeCentre {
                stationIDs = nil
            } else if let stationID = board.stationID {
                stationIDs?.insert(stationID)
            }
        }
        self.init(stationIDs: stationIDs, parts: parts)
    }

    /// What the context paths `paths` need read, as `ContextField` declares. A top-level name
    /// that is no `ContextField` is one inside a section, relative to it (a layout's names are
    /// checked against the builder's whole context when it loads): the section's own path says
    /// what it reads.
    static func needs(of paths: Set<String>) -> (wholeCentre: Bool, parts: Parts) {
        var wholeCentre = false
        var parts: Parts = []
        for path in paths {
            let names = path.split(separator: ".").map(String.init)
            guard let first = names.first, let field = ContextField(rawValue: first) else { continue }
            let reads = field.reads(names.dropFirst())
            wholeCentre = wholeCentre || reads.wholeCentre
            parts.formUnion(reads.parts)
        }
        return (wholeCentre, parts)
    }
}
