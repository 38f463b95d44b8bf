import Foundation
import WallboardDispatch

/// One dispatch a station's door board alerts its crew to.
public struct DoorAlert: Sendable, Hashable {
    public var vehicle: Vehicle
    public var incident: Incident?
    public var dispatchedAt: Date
    public var departedAt: Date?
}

/// What a station's door board shows: idle, or alerts for its dispatched vehicles.
///
/// A vehicle alerts from dispatch until it departs plus `hold`; a vehicle that reaches the scene
/// or later ends its alert whatever the hold. Several alerts rotate, `rotation` each, so every
/// crew sees its own timer: the newest dispatch first, from its dispatch on, then the others
/// oldest first. A new dispatch thus shows at once, never waiting for a slot, nor cut short by
/// one (a controller that takes a frame a second could otherwise miss the end of a slot and
/// show it a rotation late).
///
/// A dispatch that comes before the alert it interrupts has had its first turn (`firstTurn`:
/// a font card may hold that alert's frame for its second, so its crew may not have seen it at
/// all) does not push that alert back a whole rotation: the newest and every alert still owed
/// its first turn show `firstTurn` each, newest first, then the others in dispatch order, and
/// only then does the newest take its whole turn and the rotation go on.
public struct DoorBoardState: Sendable, Hashable {
    public var alerts: [DoorAlert]

    public init(snapshot: DispatchSnapshot, stationID: String, now: Date, hold: TimeInterval) {
        self.init(candidates: DoorBoardState.candidates(in: snapshot, stationID: stationID), snapshot: snapshot, now: now, hold: hold)
    }

    /// The station's vehicles with an open task: the only ones that can alert. A board works
    /// them out once per snapshot; which of them alert depends on the moment.
    static func candidates(in snapshot: DispatchSnapshot, stationID: String) -> [Vehicle] {
        snapshot.vehicles(atStation: stationID).filter { vehicle in
            guard let task = vehicle.task else { return false }
            return task.dispatchedAt != nil && task.completedAt == nil
        }
    }

    init(candidates: [Vehicle], snapshot: DispatchSnapshot, now: Date, hold: TimeInterval) {
        alerts = candidates.compactMap { vehicle -> DoorAlert? in
            guard let task = vehicle.task, let dispatchedAt = task.dispatchedAt, task.completedAt == nil else { return nil }
            if let status = vehicle.status, status.rawValue > VehicleStatus.enRoute.rawValue { return nil }
            if task.atSceneAt != nil { return nil }
            if let departedAt = task.departedAt, now >= departedAt.addingTimeInterval(hold) { return nil }
            return DoorAlert(
                vehicle: vehicle,
                incident: snapshot.incident(id: task.incidentID),
                dispatchedAt: dispatchedAt,
                departedAt: task.departedAt
            )
        }
        .sorted { ($0.dispatchedAt, $0.vehicle.callSign) < ($1.dispatchedAt, $1.vehicle.callSign) }
    }

    public var isAlerting: Bool { !alerts.isEmpty }

    /// The moments around `now` at which `candidates` alert just as they do at `now`: as time
    /// passes, an alert ends only when a departed vehicle's hold runs out.
    static func steadySpan(of candidates: [Vehicle], hold: TimeInterval, around now: Date) -> (start: Date, end: Date) {
        var start = Date.distantPast, end = Date.distantFuture
        for vehicle in candidates {
            guard let departedAt = vehicle.task?.departedAt else { continue }
            let expiry = departedAt.addingTimeInterval(hold)
            // An expiry that is not a number, or infinite, is never or always passed: no boundary.
            guard expiry.timeIntervalSince1970.isFinite else { continue }
            if expiry <= now { start = max(start, expiry) } else { end = min(end, expiry) }
        }
        return (start, end)
    }

    /// The shortest turn an alert first shows for when another dispatch follows it at once:
    /// two of a font card's seconds, so that it shows for one whole second even when the card
    /// held its frame for the other.
    public static let firstTurn: TimeInterval = 2

    /// One alert's turn on the board.
    public struct Turn: Sendable, Hashable {
        /// Counts the turns since the newest dispatch, from 0: a new number is a new turn.
        public var number: Int
        /// The alert's index in `alerts`.
        public var index: Int
        /// When the next turn starts.
        public var end: Date
    }

    /// The turn `now` falls in when alerts rotate every `rotation` seconds. A dispatch stamped later than `now` (a source's clock ahead of
    /// this one), or at no sensible time, counts as just made.
    public func turn(at now: Date, rotation: TimeInterval) -> Turn? {
        guard let newest = alerts.indices.last else { return nil }
        let rotation = rotation > 0 ? rotation : 1
        let first = min(Self.firstTurn, rotation)
        let firstTurns = newFirstTurns(firstTurn: first)
        let start = alerts[newest].dispatchedAt
        let elapsed = now.timeIntervalSince(start)
        let since = elapsed.isFinite && elapsed > 0 ? elapsed : 0
        if firstTurns.count > 1 {
            let shortTurn = (since / first).rounded(.down)
            if shortTurn < Double(firstTurns.count) {
                let number = Int(shortTurn)
                return Turn(number: number, index: firstTurns[number], end: start.addingTimeInterval(Double(number + 1) * first))
            }
        }
        // After the first turns, if any: the newest for a whole turn, then the others oldest first.
        let origin = firstTurns.count > 1 ? Double(firstTurns.count) * first : 0
        let slot = ((since - origin) / rotation).rounded(.down)
        let whole = slot.isFinite && slot > 0 && slot < Double(Int32.max) ? Int(slot) : 0
        let index = (newest + whole) % alerts.count
        let number = (firstTurns.count > 1 ? firstTurns.count : 0) + whole
        return Turn(number: number, index: index, end: start.addingTimeInterval(origin + Double(whole + 1) * rotation))
    }

    /// The alerts that show one `firstTurn` each from the newest dispatch on, in order: the
    /// newest, then those whose first turn the dispatches after them cut short, oldest first.
    /// Only the newest when none was cut short.
    func newFirstTurns(firstTurn: TimeInterval) -> [Int] {
        guard var newest = alerts.indices.first else { return [] }
        // The alerts owed a first turn after the newest's, oldest first; those before `shown` had theirs.
        var owed: [Int] = []
        var shown = 0
        for index in alerts.indices.dropFirst() {
            // The turns since the previous dispatch that were shown in full: the newest's, then the owed ones'.
            let elapsed = alerts[index].dispatchedAt.timeIntervalSince(alerts[newest].dispatchedAt) / firstTurn
            let completed = elapsed.isFinite && elapsed >= 1 ? Int(min(elapsed, Double(1 + owed.count - shown))) : 0
            if completed == 0 {
                // Cut short: owed, and dispatched after every other owed alert.
                owed.append(newest)
            } else {
                shown += completed - 1
            }
            newest = index
        }
        return [newest] + owed[shown...]
    }
}
