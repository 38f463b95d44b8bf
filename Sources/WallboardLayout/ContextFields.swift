import WallboardDispatch

/// The top-level fields `ContextBuilder` builds, each with what of the dispatch state a board
/// that shows it needs read: `ReadScope(boards:)` decides from these alone. Every field the
/// builder builds is a case here (`ContextFieldTests` holds the builder's whole context to
/// them), and the switches have no `default`, so a new case must say what it reads.
enum ContextField: String, CaseIterable {
    /// The centre's name, from the board's identity.
    case centre
    /// The board's own station and its vehicles.
    case station
    /// The door board's alert: a vehicle of the station and its incident.
    case alert
    case figures, day, vehicles, stations, incidents, calls, seats, alerts

    /// What a board that shows `path` inside this field (`["callsWaiting"]` for
    /// `figures.callsWaiting`; empty for the whole field) needs read besides its stations.
    func reads(_ path: ArraySlice<String>) -> (wholeCentre: Bool, parts: ReadScope.Parts) {
        switch self {
        case .centre, .station:
            return (false, [])
        // An incident's free text is scrubbed of the numbers of the calls waiting about it.
        case .alert:
            return (false, [.incidentCallers])
        case .calls:
            return (false, [.waitingCalls])
        case .figures:
            guard let name = path.first, let figure = Figure(rawValue: name) else { return (true, [.dayTallies]) }
            return (!figure.isCountedFromTheDaysCallsAndRuns, [.dayTallies])
        case .incidents:
            return (true, [.incidentCallers])
        case .alerts:
            return (true, [.incidentCallers, .dayTallies])
        case .vehicles, .stations:
            return (true, [])
        case .seats, .day:
            return (true, [.seats, .dayTallies, .figuresOverTheDay])
        }
    }

    /// The fields of `figures`.
    enum Figure: String, CaseIterable {
        case callsToday, validCalls, validCallRate, answeredWithin10sRate, callsWaiting, longestWait
        case dispatchesToday, emptyRunsToday, departedWithin3MinRate, averageResponse
        case vehiclesOnTask, vehiclesDispatchable, vehiclesOutOfService, byStatus

        /// Counted from the day's calls and runs, which a station's instance reads as the whole
        /// centre's does; the others count the whole centre's vehicles.
        var isCountedFromTheDaysCallsAndRuns: Bool {
            switch self {
            case .callsToday, .validCalls, .validCallRate, .answeredWithin10sRate, .callsWaiting, .longestWait,
                 .dispatchesToday, .emptyRunsToday, .departedWithin3MinRate, .averageResponse:
                return true
            case .vehiclesOnTask, .vehiclesDispatchable, .vehiclesOutOfService, .byStatus:
                return false
            }
        }
    }
}
