import Foundation
import GRDB
import GRDBSQLite
import WallboardDispatch

private let stationColumns = "id, name, district, sort_order, latitude, longitude"
private let vehicleColumns = "id, call_sign, plate, station_id, status, status_since, incident_id, task_id"
private let incidentColumns = """
    id, call_id, received_at, answered_at, dispatched_at, closed_at, priority, category, complaint, incident_address, \
    pickup_address, landmark, district, casualties, destination_hospital, patient_name, patient_sex, patient_age, \
    callback_phone, latitude, longitude
    """
private let taskColumns = """
    id, incident_id, vehicle_id, dispatched_at, departed_at, at_scene_at, patient_on_board_at, at_hospital_at, \
    completed_at, empty_run_reason
    """
private let callColumns = "id, received_at, answered_at, ended_at, seat_id, outcome, incident_id, caller_phone"
private let seatColumns = "id, name, dispatcher_name, state, state_since, call_id"

/// The day's calls that no longer change (ended, and received over ten minutes ago), counted once.
struct SettledCalls {
    let dayStart: Date
    /// Every call received from the day's start up to (not including) this Unix time is counted here.
    let before: Double
    let tally: CallTally
    let issues: [DataIssue]
    /// Wall-clock time of the full count.
    let countedAt: Date
}

/// The rows of one snapshot, decoded, before they are put together.
private struct Rows {
    var stations: [Station] = []
    var vehicles: [Vehicle] = []
    var incidents: [Incident] = []
    var activeTasks: [VehicleTask] = []
    var runTally = RunTally()
    var callTally = CallTally(calls: [], now: .distantPast, dayStart: .distantPast)
    var waitingCalls: [Call] = []
    var seats: [Seat] = []
}

/// Reads the current state, or the state at a past `moment`, inside the caller's read transaction.
struct StateQuery {
    let configuration: SQLiteSourceConfiguration
    /// nil: the state now.
    let moment: Date?
    let now: Date
    let dayStart: Date
    private var decoder: RowDecoder
    /// Counts of the day's settled calls, carried from one read to the next by the reader.
    var settledCalls: SettledCalls?

    init(configuration: SQLiteSourceConfiguration, now: Date, moment: Date?) {
        self.configuration = configuration
        self.moment = moment
        self.now = moment ?? now
        dayStart = configuration.dayBoundary.dayStart(containing: moment ?? now)
        decoder = RowDecoder(latestAcceptable: now.addingTimeInterval(configuration.futureTolerance))
    }

    mutating func read(_ db: Database, sourceVersion: Int64?) throws -> DispatchSnapshot {
        var rows = Rows()
        rows.stations = try fetch(db, "SELECT \(stationColumns) FROM stations", [], station)
        if let moment {
            rows.vehicles = try pastVehicles(db, at: moment)
            rows.incidents = try fetch(db, "SELECT \(incidentColumns) FROM incidents WHERE received_at <= ? AND (closed_at IS NULL OR closed_at > ?)", [moment, moment], incident).map { $0.asOf(moment) }
            rows.activeTasks = try fetch(db, "SELECT \(taskColumns) FROM vehicle_tasks WHERE dispatched_at <= ? AND (completed_at IS NULL OR completed_at > ?)", [moment, moment], task).map { $0.asOf(moment) }
            rows.waitingCalls = try fetch(db, """
                SELECT \(callColumns) FROM calls WHERE received_at <= ? AND received_at >= ? \
                AND (answered_at IS NULL OR answered_at > ?) AND (ended_at IS NULL OR ended_at > ?)
                """, [moment, moment.addingTimeInterval(-86_400), moment, moment], call).map { $0.asOf(moment) }
        } else {
            rows.vehicles = try fetch(db, "SELECT \(vehicleColumns) FROM vehicles", [], Self.vehicle)
            // Two indexed lookups; an OR would scan the whole table.
            rows.incidents = try fetch(db, """
                SELECT \(incidentColumns) FROM incidents WHERE closed_at IS NULL UNION ALL \
                SELECT \(incidentColumns) FROM incidents WHERE closed_at IS NOT NULL \
                AND id IN (SELECT incident_id FROM vehicles WHERE incident_id IS NOT NULL)
                """, [], incident)
            rows.activeTasks = try fetch(db, """
                SELECT \(taskColumns) FROM vehicle_tasks WHERE completed_at IS NULL UNION ALL \
                SELECT \(taskColumns) FROM vehicle_tasks WHERE completed_at IS NOT NULL \
                AND id IN (SELECT task_id FROM vehicles WHERE task_id IS NOT NULL)
                """, [], task)
            rows.waitingCalls = try fetch(db, "SELECT \(callColumns) FROM calls WHERE answered_at IS NULL AND ended_at IS NULL", [], call)
            rows.seats = try fetch(db, "SELECT \(seatColumns) FROM seats", [], seat)
        }
        rows.callTally = try tallyCalls(db)
        rows.runTally = try tallyRuns(db)
        return assemble(rows, sourceVersion: sourceVersion)
    }

    /// Counts the day's calls in one pass straight off the statement: a busy day has ten thousand,
    /// too many to turn into values on every change.
    private mutating func tallyCalls(_ db: Database) throws -> CallTally {
        let start = dayStart.timeIntervalSince1970
        let end = now.timeIntervalSince1970
        guard moment == nil else { return try countCalls(db, from: start, through: end) }
        let wall = configuration.wallClock()
        if let settled = settledCalls, settled.dayStart == dayStart,
           wall.timeIntervalSince(settled.countedAt) < configuration.settledCallsRecount {
            decoder.append(settled.issues)
            var tally = settled.tally
            tally.merge(try countCalls(db, from: settled.before, through: end))
            return tally
        }
        // Calls received over ten minutes ago, before the oldest call still open, have all ended: their
        // counts are kept and only the rest is read again, until the next full count.
        let firstOpen = try Double.fetchOne(
            db.cachedStatement(sql: "SELECT min(received_at) FROM calls WHERE received_at >= ? AND ended_at IS NULL"),
            arguments: [start]
        )
        let before = max(start, min(firstOpen ?? .infinity, end - 600))
        let issueCount = decoder.issues.count
        let settled = try countCalls(db, from: start, below: before)
        settledCalls = SettledCalls(
            dayStart: dayStart, before: before, tally: settled, issues: Array(decoder.issues[issueCount...]), countedAt: wall
        )
        var tally = settled
        tally.merge(try countCalls(db, from: before, through: end))
        return tally
    }

    private mutating func countCalls(_ db: Database, from start: Double, through end: Double) throws -> CallTally {
        try countCalls(db, "SELECT received_at, answered_at, ended_at, outcome FROM calls WHERE received_at >= ? AND received_at <= ?", start, end)
    }

    private mutating func countCalls(_ db: Database, from start: Double, below end: Double) throws -> CallTally {
        try countCalls(db, "SELECT received_at, answered_at, ended_at, outcome FROM calls WHERE received_at >= ? AND received_at < ?", start, end)
    }

    private mutating func countCalls(_ db: Database, _ sql: String, _ start: Double, _ end: Double) throws -> CallTally {
        let (now, dayStart, moment) = (self.now, self.dayStart, self.moment)
        var tally = CallTally(calls: [], now: now, dayStart: dayStart)
        try Self.step(db, [start, end], &decoder, sql) { decoder, row, position in
            guard let receivedAt = decoder.date(row, 0, "calls", "#\(position)", "received_at") else { return }
            var call = CallTimes(
                receivedAt: receivedAt, answeredAt: decoder.date(row, 1, "calls", "#\(position)", "answered_at"),
                endedAt: decoder.date(row, 2, "calls", "#\(position)", "ended_at"), outcome: decoder.outcome(row, 3, "calls", "#\(position)")
            )
            if let moment { call = call.asOf(moment) }
            tally.add(call, now: now, dayStart: dayStart)
        }
        return tally
    }

    /// Counts the day's vehicle runs the same way.
    private mutating func tallyRuns(_ db: Database) throws -> RunTally {
        let (now, dayStart, moment) = (self.now, self.dayStart, self.moment)
        var tally = RunTally()
        try Self.step(db, [dayStart.timeIntervalSince1970, now.timeIntervalSince1970], &decoder, """
            SELECT dispatched_at, departed_at, at_scene_at, completed_at, empty_run_reason IS NOT NULL AND empty_run_reason != '' \
            FROM vehicle_tasks WHERE dispatched_at >= ? AND dispatched_at <= ?
            """) { decoder, row, position in
            let table = "vehicle_tasks"
            var completedAt = decoder.date(row, 3, table, "#\(position)", "completed_at")
            if let moment, let completed = completedAt, completed > moment { completedAt = nil }
            func masked(_ date: Date?) -> Date? {
                guard let moment, let date else { return date }
                return date <= moment ? date : nil
            }
            let run = RunTimes(
                dispatchedAt: decoder.date(row, 0, table, "#\(position)", "dispatched_at"),
                departedAt: masked(decoder.date(row, 1, table, "#\(position)", "departed_at")),
                atSceneAt: masked(decoder.date(row, 2, table, "#\(position)", "at_scene_at")),
                completedAt: completedAt,
                isEmptyRun: completedAt != nil && sqlite3_column_int(row.statement, 4) != 0
            )
            tally.add(run, now: now, dayStart: dayStart)
        }
        return tally
    }

    /// Steps `sql` bound to `arguments` and hands each row to `body` without building values.
    private static func step(
        _ db: Database, _ arguments: [Double], _ decoder: inout RowDecoder, _ sql: String,
        _ body: (inout RowDecoder, Columns, Int) -> Void
    ) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(StatementArguments(arguments))
        let raw = statement.sqliteStatement
        // A statement left un-reset would keep the read transaction open.
        defer { sqlite3_reset(raw) }
        let row = Columns(statement: raw)
        var position = 0
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
            position += 1
            body(&decoder, row, position)
        }
    }

    private mutating func fetch<T>(
        _ db: Database, _ sql: String, _ arguments: [Date], _ decode: (inout RowDecoder, Columns, Int) -> T?
    ) throws -> [T] {
        try Self.fetch(db, sql, arguments, &decoder, decode)
    }

    private static func fetch<T>(
        _ db: Database, _ sql: String, _ arguments: [Date], _ decoder: inout RowDecoder, _ decode: (inout RowDecoder, Columns, Int) -> T?
    ) throws -> [T] {
        let statement = try db.cachedStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(arguments.map { $0.timeIntervalSince1970 }))
        let columns = Columns(statement: statement.sqliteStatement)
        var result: [T] = []
        var position = 0
        while try cursor.next() != nil {
            position += 1
            if let value = decode(&decoder, columns, position) { result.append(value) }
        }
        return result
    }

    private mutating func pastVehicles(_ db: Database, at moment: Date) throws -> [Vehicle] {
                // Each vehicle's latest change at or before the moment.
        let log = """
            SELECT vehicle_id, at, status, incident_id, task_id FROM (
                SELECT vehicle_id, at, status, incident_id, task_id,
                    row_number() OVER (PARTITION BY vehicle_id ORDER BY at DESC) AS newest
                FROM vehicle_status_log WHERE at <= ?
            ) WHERE newest = 1
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
        let vehicles = try fetch(db, "SELECT \(vehicleColumns) FROM vehicles", [], Self.vehicle)
        return vehicles.map { vehicle in
            var vehicle = vehicle
            let state = states[vehicle.id]
            vehicle.statusCode = state?.status
            vehicle.status = state?.status.flatMap(VehicleStatus.init(rawValue:))
            vehicle.statusSince = state?.at
            vehicle.incidentID = state?.incidentID
            vehicle.task = nil
            if let taskID = state?.taskID { vehicle.task = VehicleTask(id: taskID, incidentID: state?.incidentID ?? "", vehicleID: vehicle.id, dispatchedAt: nil) }
            return vehicle
        }
    }

    private typealias LogState = (status: Int?, at: Date?, incidentID: String?, taskID: String?)

    private mutating func assemble(_ rows: Rows, sourceVersion: Int64?) -> DispatchSnapshot {
        let stations = rows.stations.sorted { ($0.sortOrder, $0.id) < ($1.sortOrder, $1.id) }
        let stationOrder = Dictionary(stations.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var tasksByID: [String: VehicleTask] = [:]
        var activeTaskByVehicle: [String: VehicleTask] = [:]
        var vehiclesByIncident: [String: [String]] = [:]
        for task in rows.activeTasks {
            tasksByID[task.id] = task
            if task.completedAt == nil {
                activeTaskByVehicle[task.vehicleID] = task
                vehiclesByIncident[task.incidentID, default: []].append(task.vehicleID)
            }
        }
        let incidentIDs = Set(rows.incidents.map(\.id))
        var vehicles: [Vehicle] = []
        vehicles.reserveCapacity(rows.vehicles.count)
        for var vehicle in rows.vehicles {
            if vehicle.statusCode != nil, vehicle.status == nil {
                decoder.note("vehicles", vehicle.id, "status", .unknownCode)
            } else if vehicle.statusCode == nil, moment == nil {
                decoder.note("vehicles", vehicle.id, "status", .missingValue)
            }
            if stationOrder[vehicle.stationID] == nil {
                decoder.note("vehicles", vehicle.id, "station_id", .danglingReference)
            }
            if let incidentID = vehicle.incidentID, !incidentIDs.contains(incidentID) {
                decoder.note("vehicles", vehicle.id, "incident_id", .danglingReference)
            }
            if let taskID = vehicle.task?.id {
                vehicle.task = tasksByID[taskID] ?? activeTaskByVehicle[vehicle.id]
            } else {
                vehicle.task = activeTaskByVehicle[vehicle.id]
            }
            vehicles.append(vehicle)
        }
        // Sort small keys and gather once: comparing whole structs would copy them on every swap.
        // Call signs sort by their number (急救2号 before 急救10号), then by their bytes: fast, and
        // free of the Unicode-aware comparison that Chinese text would otherwise cost.
        let vehicleOrder = vehicles.indices.map { index in
            let vehicle = vehicles[index]
            return (stationOrder[vehicle.stationID] ?? Int.max, Self.firstNumber(in: vehicle.callSign), Array(vehicle.callSign.utf8), Array(vehicle.id.utf8), index)
        }
        vehicles = vehicleOrder.sorted { left, right in
            if left.0 != right.0 { return left.0 < right.0 }
            if left.1 != right.1 { return left.1 < right.1 }
            if left.2 != right.2 { return left.2.lexicographicallyPrecedes(right.2) }
            return left.3.lexicographicallyPrecedes(right.3)
        }.map { vehicles[$0.4] }
        let incidentOrder = rows.incidents.indices.map { index in
            let incident = rows.incidents[index]
            return (incident.priority?.rawValue ?? 9, incident.receivedAt ?? .distantFuture, incident.id, index)
        }
        let incidents = incidentOrder.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map { key -> Incident in
            var incident = rows.incidents[key.3]
            incident.vehicleIDs = (vehiclesByIncident[incident.id] ?? []).sorted()
            return incident
        }
        let waiting = rows.waitingCalls.sorted { ($0.receivedAt ?? .distantFuture, $0.id) < ($1.receivedAt ?? .distantFuture, $1.id) }
        let figures = DispatchFigures(
            calls: rows.callTally, runs: rows.runTally, vehicles: vehicles, stations: stations,
            now: now, dayStart: dayStart
        )
        return DispatchSnapshot(
            takenAt: now, dayStart: dayStart, sourceVersion: sourceVersion, stations: stations, vehicles: vehicles,
            incidents: incidents, waitingCalls: waiting, seats: rows.seats.sorted { $0.id < $1.id }, figures: figures,
            issues: decoder.issues
        )
    }

    /// The first run of ASCII digits in `text` as a number; Int.max when there is none.
    private static func firstNumber(in text: String) -> Int {
        var value: Int?
        for byte in text.utf8 {
            if (0x30...0x39).contains(byte) {
                value = min((value ?? 0) * 10 + Int(byte - 0x30), Int.max / 20)
            } else if value != nil {
                break
            }
        }
        return value ?? Int.max
    }

    // MARK: Row mappers (column order as in the SELECT lists above)

    private func station(_ decoder: inout RowDecoder, _ row: Columns, _ position: Int) -> Station? {
        guard let id = decoder.key(row[0], table: "stations", position: position) else { return nil }
        return Station(
            id: id, name: decoder.text(row[1], "stations", id, "name"), district: decoder.text(row[2], "stations", id, "district"),
            sortOrder: decoder.integer(row[3], "stations", id, "sort_order") ?? 0,
            latitude: decoder.real(row[4]), longitude: decoder.real(row[5])
        )
    }

    private static func vehicle(_ decoder: inout RowDecoder, _ row: Columns, _ position: Int) -> Vehicle? {
        guard let id = decoder.key(row[0], table: "vehicles", position: position) else { return nil }
        let taskID = decoder.reference(row[7])
        return Vehicle(
            id: id, callSign: decoder.text(row[1], "vehicles", id, "call_sign"), plate: decoder.text(row[2], "vehicles", id, "plate"),
            stationID: decoder.reference(row[3]) ?? "", statusCode: decoder.integer(row[4], "vehicles", id, "status"),
            statusSince: decoder.date(row, 5, "vehicles", id, "status_since"), incidentID: decoder.reference(row[6]),
            task: taskID.map { VehicleTask(id: $0, incidentID: "", vehicleID: id, dispatchedAt: nil) }
        )
    }

    private func incident(_ decoder: inout RowDecoder, _ row: Columns, _ position: Int) -> Incident? {
        let table = "incidents"
        guard let id = decoder.key(row[0], table: table, position: position) else { return nil }
        let priorityCode = decoder.integer(row[6], table, id, "priority")
        let priority = priorityCode.flatMap(IncidentPriority.init(rawValue:))
        if priorityCode != nil, priority == nil { decoder.note(table, id, "priority", .unknownCode) }
        return Incident(
            id: id, callID: decoder.reference(row[1]), receivedAt: decoder.date(row, 2, table, id, "received_at"),
            answeredAt: decoder.date(row, 3, table, id, "answered_at"), dispatchedAt: decoder.date(row, 4, table, id, "dispatched_at"),
            closedAt: decoder.date(row, 5, table, id, "closed_at"), priority: priority,
            category: decoder.text(row[7], table, id, "category"), complaint: decoder.text(row[8], table, id, "complaint"),
            incidentAddress: decoder.text(row[9], table, id, "incident_address"),
            pickupAddress: decoder.text(row[10], table, id, "pickup_address"), landmark: decoder.text(row[11], table, id, "landmark"),
            district: decoder.text(row[12], table, id, "district"), casualties: decoder.integer(row[13], table, id, "casualties") ?? 1,
            destinationHospital: decoder.text(row[14], table, id, "destination_hospital"),
            patientName: decoder.text(row[15], table, id, "patient_name"), patientSex: decoder.text(row[16], table, id, "patient_sex"),
            patientAge: decoder.integer(row[17], table, id, "patient_age"), callbackPhone: decoder.text(row[18], table, id, "callback_phone"),
            latitude: decoder.real(row[19]), longitude: decoder.real(row[20])
        )
    }

    private func task(_ decoder: inout RowDecoder, _ row: Columns, _ position: Int) -> VehicleTask? {
        let table = "vehicle_tasks"
        guard let id = decoder.key(row[0], table: table, position: position) else { return nil }
        guard let incidentID = decoder.reference(row[1]), let vehicleID = decoder.reference(row[2]) else {
            decoder.note(table, id, "incident_id, vehicle_id", .missingValue, skipped: true)
            return nil
        }
        let reason = decoder.text(row[9], table, id, "empty_run_reason")
        return VehicleTask(
            id: id, incidentID: incidentID, vehicleID: vehicleID, dispatchedAt: decoder.date(row, 3, table, id, "dispatched_at"),
            departedAt: decoder.date(row, 4, table, id, "departed_at"), atSceneAt: decoder.date(row, 5, table, id, "at_scene_at"),
            patientOnBoardAt: decoder.date(row, 6, table, id, "patient_on_board_at"),
            atHospitalAt: decoder.date(row, 7, table, id, "at_hospital_at"), completedAt: decoder.date(row, 8, table, id, "completed_at"),
            emptyRunReason: reason.isEmpty ? nil : reason
        )
    }

    private func outcome(_ decoder: inout RowDecoder, _ value: DatabaseValue, _ rowID: String) -> CallOutcome? {
        guard let word = decoder.reference(value) else { return nil }
        guard let outcome = CallOutcome(rawValue: word) else {
            decoder.note("calls", rowID, "outcome", .unknownCode)
            return nil
        }
        return outcome
    }

    private func call(_ decoder: inout RowDecoder, _ row: Columns, _ position: Int) -> Call? {
        guard let id = decoder.key(row[0], table: "calls", position: position) else { return nil }
        return Call(
            id: id, receivedAt: decoder.date(row, 1, "calls", id, "received_at"), answeredAt: decoder.date(row, 2, "calls", id, "answered_at"),
            endedAt: decoder.date(row, 3, "calls", id, "ended_at"), seatID: decoder.reference(row[4]),
            outcome: outcome(&decoder, row[5], id), incidentID: decoder.reference(row[6]),
            callerPhone: decoder.text(row[7], "calls", id, "caller_phone")
        )
    }

    private func seat(_ decoder: inout RowDecoder, _ row: Columns, _ position: Int) -> Seat? {
        guard let id = decoder.key(row[0], table: "seats", position: position) else { return nil }
        let stateWord = decoder.reference(row[3])
        let state = stateWord.flatMap(SeatState.init(rawValue:))
        if stateWord != nil, state == nil { decoder.note("seats", id, "state", .unknownCode) }
        return Seat(
            id: id, name: decoder.text(row[1], "seats", id, "name"), dispatcherName: decoder.text(row[2], "seats", id, "dispatcher_name"),
            state: state, stateSince: decoder.date(row, 4, "seats", id, "state_since"), currentCallID: decoder.reference(row[5])
        )
    }
}
