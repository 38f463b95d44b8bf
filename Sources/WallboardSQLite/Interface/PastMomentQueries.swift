import Foundation
import WallboardDispatch

/// The state at a past moment, rebuilt from the status log and the time stamps.
extension StateQuery {
    mutating func readPast<DB: InterfaceConnection>(_ db: DB, at moment: Date, into rows: inout Rows) throws {
        rows.vehicles = try pastVehicles(db, at: moment)
        rows.incidents = try fetch(db, "SELECT \(SelectList.incidents) FROM incidents WHERE received_at <= ? AND (closed_at IS NULL OR closed_at > ?)", [moment, moment], incident).map { $0.asOf(moment) }
        rows.activeTasks = try fetch(db, "SELECT \(SelectList.tasks) FROM vehicle_tasks WHERE dispatched_at <= ? AND (completed_at IS NULL OR completed_at > ?)", [moment, moment], task).map { $0.asOf(moment) }
        rows.waitingCalls = try fetch(db, """
            SELECT \(SelectList.calls) FROM calls WHERE received_at <= ? AND received_at >= ? \
            AND (answered_at IS NULL OR answered_at > ?) AND (ended_at IS NULL OR ended_at > ?)
            """, [moment, moment.addingTimeInterval(-86_400), moment, moment], call).map { $0.asOf(moment) }
    }

    private mutating func pastVehicles<DB: InterfaceConnection>(_ db: DB, at moment: Date) throws -> [Vehicle] {
        // Each vehicle's latest change at or before the moment.
        let log = """
            SELECT vehicle_id, at, status, incident_id, task_id FROM (
                SELECT vehicle_id, at, status, incident_id, task_id,
                    row_number() OVER (PARTITION BY vehicle_id ORDER BY at DESC) AS newest
                FROM vehicle_status_log WHERE at <= ?
            ) AS latest WHERE newest = 1
            """
        var logDecoder = RowDecoder(latestAcceptable: moment)
        let entries = try Self.fetch(db, log, [moment], &logDecoder) { decoder, row, _ -> (String, LogState)? in
            guard let vehicleID = decoder.reference(row[0]) else { return nil }
            return (vehicleID, (
                decoder.integer(row[2], "vehicle_status_log", vehicleID, "status"),
                decoder.date(row, 1, "vehicle_status_log", vehicleID, "at"),
                decoder.reference(row[3]), decoder.reference(row[4])
            ))
        }
        let states = Dictionary(entries, uniquingKeysWith: { first, _ in first })
        let vehicles = try fetch(db, "SELECT \(SelectList.vehicles(withPositions: vehiclePositions)) FROM vehicles", [], Self.vehicle)
        return vehicles.map { vehicle in
            var vehicle = vehicle
            let state = states[vehicle.id]
            vehicle.statusCode = state?.status
            vehicle.status = state?.status.flatMap(VehicleStatus.init(rawValue:))
            vehicle.statusSince = state?.at
            vehicle.incidentID = state?.incidentID
            vehicle.task = nil
            // The table holds only the latest report: one made after the moment hides where the vehicle was then.
            if !(vehicle.positionAt.map { $0 <= moment } ?? false) {
                (vehicle.latitude, vehicle.longitude, vehicle.heading, vehicle.positionAt) = (nil, nil, nil, nil)
            }
            if let taskID = state?.taskID { vehicle.task = VehicleTask(id: taskID, incidentID: state?.incidentID ?? "", vehicleID: vehicle.id, dispatchedAt: nil) }
            return vehicle
        }
    }

    private typealias LogState = (status: Int?, at: Date?, incidentID: String?, taskID: String?)
}
