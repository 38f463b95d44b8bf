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
/// oldest first. A new dispatch thus shows at once and for a whole turn, never waiting for a
/// slot, nor cut short by one (a controller that takes a frame a second could otherwise miss
/// the end of a slot and show it a rotation late).
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

    /// The alert on show at `now` when alerts rotate every `rotation` seconds.
    public func current(at now: Date, rotation: TimeInterval) -> (index: Int, alert: DoorAlert)? {
        guard !alerts.isEmpty else { return nil }
        // The newest alert is the last; slot 0 is its own.
        let index = ((alerts.count - 1 + rotationSlot(at: now, rotation: rotation)) % alerts.count + alerts.count) % alerts.count
        return (index, alerts[index])
    }

    /// The number of the `rotation` seconds since the newest dispatch that `now` falls in: the
    /// same alert shows throughout one. A dispatch stamped later than `now` (a source's clock
    /// ahead of this one), or at no sensible time, counts as just made.
    func rotationSlot(at now: Date, rotation: TimeInterval) -> Int {
        guard rotation > 0, let newest = alerts.map(\.dispatchedAt).max() else { return 0 }
        let slot = (now.timeIntervalSince(newest) / rotation).rounded(.down)
        return slot.isFinite && slot > 0 && slot < Double(Int32.max) ? Int(slot) : 0
    }
}
