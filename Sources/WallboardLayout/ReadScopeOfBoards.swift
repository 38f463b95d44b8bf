import WallboardDispatch

extension ReadScope {
    /// What boards showing these layouts can show, from the context paths their widgets read
    /// (`ContextBuilder` builds each top-level field from the rows named here). A board reads
    /// only its own station when everything it shows is of that station (`station`, `alert`) or
    /// of the centre as a whole without vehicles (calls waiting, the day's calls and runs); a
    /// board without a station, or one that shows every vehicle, incident or station, makes the
    /// instance read the whole centre. No boards: the whole centre.
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
            if needs.wholeCentre || board.stationID == nil {
                stationIDs = nil
            } else if let stationID = board.stationID {
                stationIDs?.insert(stationID)
            }
        }
        self.init(stationIDs: stationIDs, parts: parts)
    }

    /// The figures counted from the day's calls and runs, which a station's instance reads as the
    /// whole centre's does; every other figure counts vehicles of the whole centre.
    static let tallyFigures: Set<String> = [
        "callsToday", "validCalls", "validCallRate", "answeredWithin10sRate", "callsWaiting", "longestWait",
        "dispatchesToday", "emptyRunsToday", "departedWithin3MinRate", "averageResponse",
    ]

    /// What the context paths `paths` need read. A top-level name the context builder never
    /// builds (a name inside a section, relative to it) reads nothing.
    static func needs(of paths: Set<String>) -> (wholeCentre: Bool, parts: Parts) {
        var wholeCentre = false
        var parts: Parts = []
        for path in paths {
            let names = path.split(separator: ".").map(String.init)
            switch names.first ?? "" {
            case "station":
                break
            // The free text of an incident is scrubbed of the numbers of the calls waiting about it.
            case "alert":
                parts.insert(.incidentCallers)
            case "calls":
                parts.insert(.waitingCalls)
            case "figures":
                parts.insert(.dayTallies)
                if names.count < 2 || !tallyFigures.contains(names[1]) { wholeCentre = true }
            case "incidents":
                wholeCentre = true
                parts.insert(.incidentCallers)
            case "alerts":
                wholeCentre = true
                parts.formUnion([.incidentCallers, .dayTallies])
            case "vehicles", "stations":
                wholeCentre = true
            case "seats", "day":
                wholeCentre = true
                parts.formUnion([.seats, .dayTallies, .figuresOverTheDay])
            default:
                break
            }
        }
        return (wholeCentre, parts)
    }
}
