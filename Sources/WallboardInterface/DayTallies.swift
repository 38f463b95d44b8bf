import Foundation
import WallboardDispatch

/// The day's calls and runs that no longer change, counted once: calls that ended and were
/// received over ten minutes ago, and runs completed over ten minutes ago.
package struct SettledDay: Sendable {
    let dayStart: Date
    /// Every call received from the day's start up to (not including) this Unix time is counted here.
    let callsBefore: Double
    /// Every run of the day completed before this Unix time is counted here.
    let runsCompletedBefore: Double
    let calls: CallTally
    let runs: RunTally
    /// The same calls and runs counted for the figures over the day (their runs' stations as they
    /// were at the count).
    let day: DayTally
    let issues: [DataIssue]
    /// Wall-clock time of the full count.
    let countedAt: Date
}

/// Yesterday's calls and runs counted for the figures over the day beside today's: read once a day.
package struct YesterdayRows: Sendable {
    let dayStart: Date
    let tally: DayTally
}

/// Today's calls and vehicle runs, counted straight off the statements.
extension StateQuery {
    /// Runs dispatched from the day's start (first argument) through now (second).
    private static let dispatchedToday = "t.dispatched_at >= ? AND t.dispatched_at <= ?"

    /// Counts the day's calls and runs straight off the statements: a busy day has ten thousand
    /// calls, too many to turn into values on every change. What has settled is counted once and
    /// kept; only the rest is read again, until the next full count.
    mutating func tallyDay<DB: InterfaceConnection>(_ db: DB, wall: Date) throws -> (calls: CallTally, runs: RunTally) {
        let start = dayStart.timeIntervalSince1970
        let end = now.timeIntervalSince1970
        guard moment == nil else {
            return (try countCalls(db, from: start, through: end), try countRuns(db, Self.dispatchedToday, [start, end]))
        }
        let carried: SettledDay
        if let settled = carriedSettled(wall: wall) {
            decoder.append(settled.issues)
            day = settled.day
            carried = settled
        } else {
            carried = try countSettled(db, wall: wall)
            settled = carried
        }
        let (freshCalls, freshRuns) = freshStatements(after: carried)
        var calls = carried.calls
        calls.merge(try countCalls(db, freshCalls.sql, freshCalls.arguments))
        var runs = carried.runs
        runs.merge(try countRuns(db, freshRuns.condition, freshRuns.arguments))
        return (calls, runs)
    }

    /// The settled counts this read carries on, unless the day changed or the next full count is due.
    func carriedSettled(wall: Date) -> SettledDay? {
        guard let settled, settled.dayStart == dayStart, wall.timeIntervalSince(settled.countedAt) < configuration.settledRecount else { return nil }
        return settled
    }

    /// The statements that count what has not settled since `carried`, with their arguments:
    /// the calls' statement, and the condition on the runs (see `runsSQL`).
    func freshStatements(after carried: SettledDay) -> (calls: (sql: String, arguments: [Double]), runs: (condition: String, arguments: [Double])) {
        let start = dayStart.timeIntervalSince1970
        let end = now.timeIntervalSince1970
        return (
            (Self.callsReceived + " AND received_at <= ?", [carried.callsBefore, end]),
            (Self.dispatchedToday + " AND (t.completed_at IS NULL OR t.completed_at >= ?)", [start, end, carried.runsCompletedBefore])
        )
    }

    /// The full count of what has settled: calls received over ten minutes ago, before the oldest
    /// call still open (all of them have ended), and runs completed over ten minutes ago.
    private mutating func countSettled<DB: InterfaceConnection>(_ db: DB, wall: Date) throws -> SettledDay {
        let start = dayStart.timeIntervalSince1970
        let end = now.timeIntervalSince1970
        let firstOpen = try db.firstNumber("SELECT min(received_at) FROM calls WHERE received_at >= ? AND ended_at IS NULL", [start])
        let callsBefore = max(start, min(firstOpen ?? .infinity, end - 600))
        let runsCompletedBefore = end - 600
        let issueCount = decoder.issues.count
        day = DayTally(dayStart: dayStart, yesterdayStart: yesterdayStart)
        let calls = try countCalls(db, from: start, below: callsBefore)
        let runs = try countRuns(db, Self.dispatchedToday + " AND t.completed_at < ?", [start, end, runsCompletedBefore])
        return SettledDay(
            dayStart: dayStart, callsBefore: callsBefore, runsCompletedBefore: runsCompletedBefore, calls: calls, runs: runs,
            day: day, issues: Array(decoder.issues[issueCount...]), countedAt: wall
        )
    }

    private static let callsReceived = "SELECT received_at, answered_at, ended_at, outcome, seat_id FROM calls WHERE received_at >= ?"

    private mutating func countCalls<DB: InterfaceConnection>(_ db: DB, from start: Double, through end: Double) throws -> CallTally {
        try countCalls(db, Self.callsReceived + " AND received_at <= ?", [start, end])
    }

    private mutating func countCalls<DB: InterfaceConnection>(_ db: DB, from start: Double, below end: Double) throws -> CallTally {
        try countCalls(db, Self.callsReceived + " AND received_at < ?", [start, end])
    }

    private mutating func countCalls<DB: InterfaceConnection>(_ db: DB, _ sql: String, _ arguments: [Double]) throws -> CallTally {
        let (now, dayStart, moment, figuresOverTheDay) = (self.now, self.dayStart, self.moment, configuration.figuresOverTheDay)
        var tally = CallTally(calls: [], now: now, dayStart: dayStart)
        try db.each(sql, arguments) { row, position in
            guard let receivedAt = decoder.date(row, 0, "calls", "#\(position)", "received_at") else { return }
            var call = CallTimes(
                receivedAt: receivedAt, answeredAt: decoder.date(row, 1, "calls", "#\(position)", "answered_at"),
                endedAt: decoder.date(row, 2, "calls", "#\(position)", "ended_at"), outcome: decoder.outcome(row, 3, "calls", "#\(position)")
            )
            if let moment { call = call.asOf(moment) }
            tally.add(call, now: now, dayStart: dayStart)
            if figuresOverTheDay { day.add(DayCall(receivedAt: receivedAt, answeredAt: call.answeredAt, seatID: decoder.reference(row[4])), now: now) }
        }
        return tally
    }

    /// Counts the day's vehicle runs that match `condition`, keeping each for the figures over the day when they are wanted.
    private mutating func countRuns<DB: InterfaceConnection>(_ db: DB, _ condition: String, _ arguments: [Double]) throws -> RunTally {
        let (now, dayStart, figuresOverTheDay) = (self.now, self.dayStart, configuration.figuresOverTheDay)
        var tally = RunTally()
        var day = self.day
        try readRuns(db, condition, arguments) { run, dayRun in
            tally.add(run, now: now, dayStart: dayStart)
            if figuresOverTheDay, let dayRun { day.add(dayRun, now: now) }
        }
        self.day = day
        return tally
    }

    /// Yesterday's calls and runs: kept from the last read while the day is the same.
    mutating func readYesterday<DB: InterfaceConnection>(_ db: DB) throws -> YesterdayRows {
        if moment == nil, let yesterday, yesterday.dayStart == dayStart { return yesterday }
        let now = self.now
        var tally = DayTally(dayStart: dayStart, yesterdayStart: yesterdayStart)
        try db.each("SELECT received_at, answered_at, seat_id FROM calls WHERE received_at >= ? AND received_at < ?",
                    [yesterdayStart.timeIntervalSince1970, dayStart.timeIntervalSince1970]) { row, position in
            guard let receivedAt = decoder.date(row, 0, "calls", "#\(position)", "received_at") else { return }
            tally.add(DayCall(receivedAt: receivedAt, answeredAt: decoder.date(row, 1, "calls", "#\(position)", "answered_at"), seatID: decoder.reference(row[2])), now: now)
        }
        try readRuns(db, "t.dispatched_at >= ? AND t.dispatched_at < ?", [yesterdayStart.timeIntervalSince1970, dayStart.timeIntervalSince1970]) { _, row in
            if let row { tally.add(row, now: now) }
        }
        let rows = YesterdayRows(dayStart: dayStart, tally: tally)
        if moment == nil { yesterday = rows }
        return rows
    }

    /// The day's runs that match `condition` on `vehicle_tasks AS t`, with their incident's category.
    static func runsSQL(_ condition: String) -> String {
        """
        SELECT t.dispatched_at, t.departed_at, t.at_scene_at, t.completed_at, t.vehicle_id, i.category, t.empty_run_reason \
        FROM vehicle_tasks AS t LEFT JOIN incidents AS i ON i.id = t.incident_id WHERE \(condition)
        """
    }

    /// The runs that match `condition` (on `vehicle_tasks AS t`), with their incident's category;
    /// `each` sees every run (times masked to the moment being replayed) and, when it has a
    /// dispatch time, the run as the figures over the day count it, with its vehicle's station now.
    private mutating func readRuns<DB: InterfaceConnection>(
        _ db: DB, _ condition: String, _ arguments: [Double], _ each: (RunTimes, DayRun?) -> Void
    ) throws {
        let (moment, stationOfVehicle) = (self.moment, self.stationOfVehicle)
        try db.each(Self.runsSQL(condition), arguments) { row, position in
            let table = "vehicle_tasks"
            func masked(_ date: Date?) -> Date? {
                guard let moment, let date else { return date }
                return date <= moment ? date : nil
            }
            let completedAt = masked(decoder.date(row, 3, table, "#\(position)", "completed_at"))
            let dispatchedAt = decoder.date(row, 0, table, "#\(position)", "dispatched_at")
            let reason = decoder.text(row[6], table, "#\(position)", "empty_run_reason")
            let emptyRunReason = completedAt != nil && !reason.isEmpty ? reason : nil
            let run = RunTimes(
                dispatchedAt: dispatchedAt,
                departedAt: masked(decoder.date(row, 1, table, "#\(position)", "departed_at")),
                atSceneAt: masked(decoder.date(row, 2, table, "#\(position)", "at_scene_at")),
                completedAt: completedAt, isEmptyRun: emptyRunReason != nil
            )
            let vehicleID = decoder.reference(row[4]) ?? ""
            let category = decoder.text(row[5], "incidents", "#\(position)", "category")
            let dayRun = dispatchedAt.map { dispatchedAt in
                DayRun(
                    dispatchedAt: dispatchedAt, departedAt: run.departedAt, completedAt: completedAt,
                    stationID: stationOfVehicle[vehicleID] ?? "", vehicleID: vehicleID, category: category, emptyRunReason: emptyRunReason
                )
            }
            each(run, dayRun)
        }
    }
}
