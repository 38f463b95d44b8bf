import Foundation
import WallboardDispatch

/// What one notification on `wallboard_changed` says changed (the payload of `notify-postgres.sql`):
/// a table, and the stations the change concerns when the payload names them.
struct ChangeNotice: Equatable {
    var table: String
    /// nil: the payload did not say (a table's name alone, as older triggers send), so it may
    /// concern any station.
    var stations: Set<String>?

    init(payload: String) {
        guard let space = payload.firstIndex(of: " ") else {
            table = payload
            stations = nil
            return
        }
        table = String(payload[..<space])
        let list = payload[payload.index(after: space)...]
        stations = (try? JSONDecoder().decode([String].self, from: Data(list.utf8))).map(Set.init)
    }

    /// Whether an instance reading `scope` must read again after this change. Seats concern only
    /// instances that show them, calls those that show them or count them, and otherwise the
    /// stations named (a call about an incident they work); a change to vehicles, incidents or
    /// tasks concerns the stations named (and any instance that counts the day's runs); anything
    /// else, everyone.
    func concerns(_ scope: ReadScope) -> Bool {
        guard let stations else { return true }
        switch table {
        case "calls":
            if !scope.parts.isDisjoint(with: [.waitingCalls, .dayTallies, .figuresOverTheDay]) { return true }
            guard scope.parts.contains(.incidentCallers) else { return false }
            return scope.stationIDs.map { !$0.isDisjoint(with: stations) } ?? true
        case "seats", "seat_log":
            return !scope.parts.isDisjoint(with: [.seats, .figuresOverTheDay])
        case "vehicles", "vehicle_status_log":
            return scope.stationIDs.map { !$0.isDisjoint(with: stations) } ?? true
        case "incidents", "vehicle_tasks":
            if !scope.parts.isDisjoint(with: [.dayTallies, .figuresOverTheDay]) { return true }
            return scope.stationIDs.map { !$0.isDisjoint(with: stations) } ?? true
        default:
            return true
        }
    }
}
