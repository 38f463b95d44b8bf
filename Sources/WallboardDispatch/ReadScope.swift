import Foundation

/// What an instance reads of the dispatch state: the stations its boards belong to and the parts
/// of the state its layouts show. The rows a scope leaves out are ones no board of the instance
/// can show; the wall's instance reads the whole centre.
public struct ReadScope: Sendable, Hashable, CustomStringConvertible {
    /// The parts of the state beside the stations, vehicles, incidents and tasks.
    public struct Parts: OptionSet, Sendable, Hashable {
        public let rawValue: Int

        public init(rawValue: Int) {
            self.rawValue = rawValue
        }

        /// The calls ringing or queued now, row by row.
        public static let waitingCalls = Parts(rawValue: 1)
        /// The calls waiting about the incidents read (of the stations' vehicles), whose numbers
        /// are scrubbed from those incidents' free text.
        public static let incidentCallers = Parts(rawValue: 16)
        /// The day's calls and runs counted for the figures (calls waiting, calls and dispatches today, …).
        public static let dayTallies = Parts(rawValue: 2)
        /// The dispatchers' seats.
        public static let seats = Parts(rawValue: 4)
        /// The figures over the day (`DispatchSnapshot.day`), which also read yesterday.
        public static let figuresOverTheDay = Parts(rawValue: 8)

        public static let all: Parts = [.waitingCalls, .incidentCallers, .dayTallies, .seats, .figuresOverTheDay]
    }

    /// The stations whose vehicles are read, with the incidents those vehicles work, every task
    /// of those incidents and the vehicles on them; nil reads every vehicle of the centre, and
    /// an empty set no vehicle at all (call strips of no station).
    public var stationIDs: Set<String>?
    public var parts: Parts

    public init(stationIDs: Set<String>?, parts: Parts) {
        self.stationIDs = stationIDs
        self.parts = parts
    }

    /// Everything: the wall, the commands, a replay without boards.
    public static let wholeCentre = ReadScope(stationIDs: nil, parts: .all)

    /// The stations in a fixed order, for the statements' arguments; nil for the whole centre.
    public var orderedStationIDs: [String]? { stationIDs?.sorted() }

    public var description: String {
        let stations = orderedStationIDs.map { $0.isEmpty ? "no station's vehicles" : "stations " + $0.joined(separator: ", ") } ?? "the whole centre"
        let names: [(Parts, String)] = [
            (.waitingCalls, "waiting calls"), (.incidentCallers, "callers of its incidents"), (.dayTallies, "the day's tallies"), (.seats, "seats"), (.figuresOverTheDay, "figures over the day"),
        ]
        let read = names.filter { parts.contains($0.0) }.map(\.1)
        return stations + (read.isEmpty ? "" : " with " + read.joined(separator: ", "))
    }
}
