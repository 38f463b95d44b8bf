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
/// or later ends its alert whatever the hold. Several alerts rotate, `rotation` each, oldest
/// dispatch first, so every crew sees its own timer.
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
        let slot = DoorBoardState.rotationSlot(at: now, rotation: rotation)
        let index = ((slot % alerts.count) + alerts.count) % alerts.count
        return (index, alerts[index])
    }

    /// The number of the `rotation` seconds `now` falls in: the same alert shows throughout one.
    static func rotationSlot(at now: Date, rotation: TimeInterval) -> Int {
        rotation > 0 ? Int((now.timeIntervalSince1970 / rotation).rounded(.down)) : 0
    }
}
