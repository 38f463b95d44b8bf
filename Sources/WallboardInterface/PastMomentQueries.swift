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
        rows.seats = features.seatLog ? try loggedSeats(db, at: moment) : try seatsFromCalls(db, at: moment)
    }

    /// Each seat as its latest `seat_log` row at or before the moment left it; a seat with none had
    /// nobody on it. A log-out and a log-in in the same second are a handover: the log-in holds.
    private mutating func loggedSeats<DB: InterfaceConnection>(_ db: DB, at moment: Date) throws -> [Seat] {
        let log = """
            SELECT seat_id, at, state, dispatcher_name, call_id FROM (
                SELECT seat_id, at, state, dispatcher_name, call_id,
                    row_number() OVER (PARTITION BY seat_id ORDER BY at DESC, state IS NULL) AS newest
                FROM seat_log WHERE at <= ?
            ) AS latest WHERE newest = 1
            """
        let entries = try fetch(db, log, [moment]) { decoder, row, position -> (String, Seat)? in
            guard let seatID = decoder.key(row[0], table: "seat_log", column: "seat_id", position: position) else { return nil }
            return (seatID, Seat(
                id: seatID, name: "", dispatcherName: decoder.text(row[3], "seat_log", seatID, "dispatcher_name"),
                state: Self.seatState(&decoder, row[2], "seat_log", seatID), stateSince: decoder.date(row, 1, "seat_log", seatID, "at"),
                currentCallID: decoder.reference(row[4])
            ))
        }
        let logged = Dictionary(entries, uniquingKeysWith: { first, _ in first })
        return try fetch(db, "SELECT \(SelectList.seats) FROM seats", [], seat).map { seat in
            let entry = logged[seat.id]
            return Seat(
                id: seat.id, name: seat.name, dispatcherName: entry?.dispatcherName ?? "", state: entry?.state,
                stateSince: entry?.stateSince, currentCallID: entry?.currentCallID
            )
        }
    }

    /// Without `seat_log`, what the calls tell: a seat that had answered a call still going on at
    /// the moment was talking since it answered; one that had answered a call received in the
    /// twelve hours before (a shift) was on duty, taken as idle since that call ended; any other had
    /// nobody on it. The dispatcher is the one on the seat now. The snapshot's issues say so.
    private mutating func seatsFromCalls<DB: InterfaceConnection>(_ db: DB, at moment: Date) throws -> [Seat] {
        decoder.note("seat_log", "", "", .seatsDerivedFromCalls)
        var latestCall: [String: Call] = [:]
        let answered = try fetch(db, """
            SELECT \(SelectList.calls) FROM calls WHERE received_at > ? AND received_at <= ? AND answered_at <= ? AND seat_id IS NOT NULL
            """, [moment.addingTimeInterval(-12 * 3600), moment, moment], call)
        for call in answered {
            guard let seatID = call.seatID, let answeredAt = call.answeredAt else { continue }
            if latestCall[seatID].flatMap(\.answeredAt).map({ $0 < answeredAt }) ?? true { latestCall[seatID] = call }
        }
        return try fetch(db, "SELECT \(SelectList.seats) FROM seats", [], seat).map { seat in
            var past = Seat(id: seat.id, name: seat.name, dispatcherName: "", state: nil)
            guard let call = latestCall[seat.id]?.asOf(moment) else { return past }
            past.dispatcherName = seat.dispatcherName
            if let endedAt = call.endedAt {
                (past.state, past.stateSince) = (.idle, endedAt)
            } else {
                (past.state, past.stateSince, past.currentCallID) = (.talking, call.answeredAt, call.id)
            }
            return past
        }
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
        let vehicles = try fetch(db, "SELECT \(SelectList.vehicles(withPositions: features.vehiclePositions)) FROM vehicles", [], Self.vehicle)
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
