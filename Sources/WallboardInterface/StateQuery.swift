import Foundation
import WallboardDispatch

/// How the interface is read, whichever database holds it.
package struct QuerySettings: Sendable {
    /// Where the dispatch day starts.
    package var dayBoundary: DayBoundary
    /// Time stamps later than now plus this many seconds are treated as bad.
    package var futureTolerance: TimeInterval
    /// Seconds between full counts of the day's calls and runs (see `SQLiteSourceConfiguration`).
    package var settledRecount: TimeInterval
    /// Which stations and parts of the state are read.
    package var scope: ReadScope
    package var wallClock: @Sendable () -> Date

    package init(
        dayBoundary: DayBoundary, futureTolerance: TimeInterval = 120, settledRecount: TimeInterval = 60,
        scope: ReadScope = .wholeCentre, wallClock: @escaping @Sendable () -> Date
    ) {
        self.dayBoundary = dayBoundary
        self.futureTolerance = futureTolerance
        self.settledRecount = settledRecount
        self.scope = scope
        self.wallClock = wallClock
    }

    /// Whether to compute the figures over the day (`DispatchSnapshot.day`), which also reads yesterday.
    var figuresOverTheDay: Bool { scope.parts.contains(.figuresOverTheDay) }
}

/// The columns each query selects, in the order the row mappers read them.
enum SelectList {
    static let stations = "id, name, district, sort_order, latitude, longitude"
    /// A site's vehicles without the position columns read them as NULL.
    static func vehicles(withPositions positions: Bool) -> String {
        "id, call_sign, plate, station_id, status, status_since, incident_id, task_id, "
            + (positions ? "latitude, longitude, heading, position_at" : "NULL, NULL, NULL, NULL")
    }
    static let incidents = """
        id, call_id, received_at, answered_at, dispatched_at, closed_at, priority, category, complaint, incident_address, \
        pickup_address, landmark, district, casualties, destination_hospital, patient_name, patient_sex, patient_age, \
        callback_phone, latitude, longitude
        """
    static let tasks = """
        id, incident_id, vehicle_id, dispatched_at, departed_at, at_scene_at, patient_on_board_at, at_hospital_at, \
        completed_at, empty_run_reason
        """
    static let calls = "id, received_at, answered_at, ended_at, seat_id, outcome, incident_id, caller_phone"
    static let seats = "id, name, dispatcher_name, state, state_since, call_id"
}

/// The rows of one snapshot, decoded, before they are put together.
struct Rows {
    var stations: [Station] = []
    var vehicles: [Vehicle] = []
    var incidents: [Incident] = []
    var activeTasks: [VehicleTask] = []
    var runTally = RunTally()
    var callTally = CallTally(calls: [], now: .distantPast, dayStart: .distantPast)
    var waitingCalls: [Call] = []
    var seats: [Seat] = []
    var yesterday: YesterdayRows?
}

/// Reads the current state, or the state at a past `moment`, inside the caller's read transaction:
/// the same SQL, row decoding and assembly for SQLite and PostgreSQL.
package struct StateQuery {
    let configuration: QuerySettings
    /// nil: the state now.
    let moment: Date?
    /// The optional parts of the interface the site has.
    let features: InterfaceFeatures
    let now: Date
    let dayStart: Date
    let yesterdayStart: Date
    var decoder: RowDecoder
    /// Counts of the day's settled calls and runs, carried from one read to the next by the reader.
    package var settled: SettledDay?
    /// Yesterday's rows for the figures over the day, carried by the reader until the day changes.
    package var yesterday: YesterdayRows?
    /// Today's calls and runs as the counts read them, for the figures over the day.
    var day: DayTally
    /// Each vehicle's station, as the figures over the day count runs.
    var stationOfVehicle: [String: String] = [:]

    package init(configuration: QuerySettings, now: Date, moment: Date?, features: InterfaceFeatures) {
        self.configuration = configuration
        self.moment = moment
        self.features = features
        self.now = moment ?? now
        dayStart = configuration.dayBoundary.dayStart(containing: moment ?? now)
        yesterdayStart = configuration.dayBoundary.dayStart(containing: dayStart.addingTimeInterval(-1))
        day = DayTally(dayStart: dayStart, yesterdayStart: yesterdayStart)
        decoder = RowDecoder(latestAcceptable: now.addingTimeInterval(configuration.futureTolerance))
    }

    package mutating func read<DB: InterfaceConnection>(_ db: DB, sourceVersion: Int64?) throws -> DispatchSnapshot {
        var rows = Rows()
        let wall = configuration.wallClock()
        let tallies = configuration.scope.parts.contains(.dayTallies) || configuration.figuresOverTheDay
        if tallies, moment == nil, let carried = carriedSettled(wall: wall) {
            let (calls, runs) = freshStatements(after: carried)
            try db.expect(calls.sql, calls.arguments)
            try db.expect(Self.runsSQL(runs.condition), runs.arguments)
        }
        rows.stations = try fetch(db, LiveStatements(vehiclePositions: features.vehiclePositions, scope: configuration.scope).stations, station)
        if let moment {
            try readPast(db, at: moment, into: &rows)
        } else {
            try readLive(db, into: &rows)
        }
        stationOfVehicle = Dictionary(rows.vehicles.map { ($0.id, $0.stationID) }, uniquingKeysWith: { first, _ in first })
        if tallies { (rows.callTally, rows.runTally) = try tallyDay(db, wall: wall) }
        if configuration.figuresOverTheDay { rows.yesterday = try readYesterday(db) }
        return assemble(rows, sourceVersion: sourceVersion)
    }

    mutating func fetch<DB: InterfaceConnection, T>(
        _ db: DB, _ sql: String, _ arguments: [Date], _ decode: (inout RowDecoder, DB.Row, Int) -> T?
    ) throws -> [T] {
        try Self.fetch(db, InterfaceStatement(sql, arguments.map(\.timeIntervalSince1970)), &decoder, decode)
    }

    mutating func fetch<DB: InterfaceConnection, T>(
        _ db: DB, _ statement: InterfaceStatement, _ decode: (inout RowDecoder, DB.Row, Int) -> T?
    ) throws -> [T] {
        try Self.fetch(db, statement, &decoder, decode)
    }

    static func fetch<DB: InterfaceConnection, T>(
        _ db: DB, _ statement: InterfaceStatement, _ decoder: inout RowDecoder, _ decode: (inout RowDecoder, DB.Row, Int) -> T?
    ) throws -> [T] {
        var result: [T] = []
        try db.each(statement.sql, binding: statement.arguments) { row, position in
            if let value = decode(&decoder, row, position) { result.append(value) }
        }
        return result
    }
}
