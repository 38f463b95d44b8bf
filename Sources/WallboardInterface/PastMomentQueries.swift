import Foundation
import WallboardDispatch

/// The state at a past moment, rebuilt from the status log and the time stamps.
extension StateQuery {
    mutating func readPast<DB: InterfaceConnection>(_ db: DB, at moment: Date, into rows: inout Rows) throws {
        let narrowing = PastNarrowing(scope: configuration.scope, moment: moment)
        rows.vehicles = try pastVehicles(db, at: moment, narrowing)
        rows.incidents = try fetch(db, narrowing.statement(
            "SELECT \(SelectList.incidents) FROM incidents WHERE received_at <= ? AND (closed_at IS NULL OR closed_at > ?)",
            [moment, moment], narrowedBy: "AND id IN (SELECT incident_id FROM worked)"
        ), incident).map { $0.asOf(moment) }
        rows.activeTasks = try fetch(db, narrowing.statement(
            "SELECT \(SelectList.tasks) FROM vehicle_tasks WHERE dispatched_at <= ? AND (completed_at IS NULL OR completed_at > ?)",
            [moment, moment],
            narrowedBy: "AND (incident_id IN (SELECT incident_id FROM worked) OR vehicle_id IN (SELECT id FROM own) OR id IN (SELECT task_id FROM ownlog))"
        ), task).map { $0.asOf(moment) }
        let parts = configuration.scope.parts
        if !parts.isDisjoint(with: [.waitingCalls, .incidentCallers]) {
            let waiting = """
                SELECT \(SelectList.calls) FROM calls WHERE received_at <= ? AND received_at >= ? \
                AND (answered_at IS NULL OR answered_at > ?) AND (ended_at IS NULL OR ended_at > ?)
                """
            let arguments = [moment, moment.addingTimeInterval(-86_400), moment, moment]
            let statement = parts.contains(.waitingCalls)
                ? InterfaceStatement(waiting, arguments.map(\.timeIntervalSince1970))
                : narrowing.statement(waiting, arguments, narrowedBy: "AND incident_id IN (SELECT incident_id FROM worked)")
            rows.waitingCalls = try fetch(db, statement, call).map { $0.asOf(moment) }
        }
        if configuration.scope.parts.contains(.seats) {
            rows.seats = features.seatLog ? try loggedSeats(db, at: moment) : try seatsFromCalls(db, at: moment)
        }
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

    private mutating func pastVehicles<DB: InterfaceConnection>(_ db: DB, at moment: Date, _ narrowing: PastNarrowing) throws -> [Vehicle] {
        // The stations' vehicles, and the others on the incidents they worked (whose call signs an incident shows).
        func shown(_ column: String) -> String {
            "(\(column) IN (SELECT id FROM own) OR \(column) IN (SELECT vehicle_id FROM active WHERE incident_id IN (SELECT incident_id FROM worked)))"
        }
        // Each vehicle's latest change at or before the moment.
        let log = narrowing.statement("""
            SELECT vehicle_id, at, status, incident_id, task_id FROM (
                SELECT vehicle_id, at, status, incident_id, task_id,
                    row_number() OVER (PARTITION BY vehicle_id ORDER BY at DESC) AS newest
                FROM vehicle_status_log WHERE at <= ?
            ) AS latest WHERE newest = 1
            """, [moment], narrowedBy: "AND " + shown("vehicle_id"))
        var logDecoder = RowDecoder(latestAcceptable: moment)
        let entries = try Self.fetch(db, log, &logDecoder) { decoder, row, _ -> (String, LogState)? in
            guard let vehicleID = decoder.reference(row[0]) else { return nil }
            return (vehicleID, (
                decoder.integer(row[2], "vehicle_status_log", vehicleID, "status"),
                decoder.date(row, 1, "vehicle_status_log", vehicleID, "at"),
                decoder.reference(row[3]), decoder.reference(row[4])
            ))
        }
        let states = Dictionary(entries, uniquingKeysWith: { first, _ in first })
        let vehicles = try fetch(db, narrowing.statement(
            "SELECT \(SelectList.vehicles(withPositions: features.vehiclePositions)) FROM vehicles", [],
            narrowedBy: "WHERE " + shown("id")
        ), Self.vehicle)
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

/// A past moment's statements narrowed to a scope's stations: `own` (the stations' vehicles),
/// `ownlog` (their latest status at the moment), `active` (the tasks open at the moment) and
/// `worked` (the incidents the stations' vehicles worked then), as a WITH clause before each.
struct PastNarrowing {
    private let with: InterfaceStatement?

    init(scope: ReadScope, moment: Date) {
        guard let stationIDs = scope.orderedStationIDs else {
            with = nil
            return
        }
        let stationList = stationIDs.isEmpty ? "NULL" : Array(repeating: "?", count: stationIDs.count).joined(separator: ", ")
        let at = moment.timeIntervalSince1970
        with = InterfaceStatement("""
            WITH own AS (SELECT id FROM vehicles WHERE station_id IN (\(stationList))), \
            ownlog AS (SELECT incident_id, task_id FROM (SELECT incident_id, task_id, \
            row_number() OVER (PARTITION BY vehicle_id ORDER BY at DESC) AS newest \
            FROM vehicle_status_log WHERE at <= ? AND vehicle_id IN (SELECT id FROM own)) AS latest WHERE newest = 1), \
            active AS (SELECT id, incident_id, vehicle_id FROM vehicle_tasks WHERE dispatched_at <= ? AND (completed_at IS NULL OR completed_at > ?)), \
            worked AS (SELECT incident_id FROM active WHERE vehicle_id IN (SELECT id FROM own) \
            UNION SELECT incident_id FROM ownlog WHERE incident_id IS NOT NULL \
            UNION SELECT incident_id FROM vehicle_tasks WHERE id IN (SELECT task_id FROM ownlog))
            """, stationIDs.map(\.cell) + [at, at, at].map(\.cell))
    }

    /// `sql` with `arguments`, and for a station scope the WITH clause in front and `condition`
    /// (`WHERE …`, or `AND …` after the statement's own WHERE clause) after it.
    func statement(_ sql: String, _ arguments: [Date], narrowedBy condition: String) -> InterfaceStatement {
        let seconds = arguments.map(\.timeIntervalSince1970)
        guard let with else { return InterfaceStatement(sql, seconds) }
        return InterfaceStatement(with.sql + " " + sql + " " + condition, with.arguments + seconds.map(\.cell))
    }
}
