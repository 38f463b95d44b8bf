import Foundation
import WallboardDispatch

/// The day's calls and runs that no longer change, counted once: calls that ended and were
/// received over ten minutes ago, and runs completed over ten minutes ago.
package struct SettledDay {
    let dayStart: Date
    /// Every call received from the day's start up to (not including) this Unix time is counted here.
    let callsBefore: Double
    /// Every run of the day completed before this Unix time is counted here.
    let runsCompletedBefore: Double
    let calls: CallTally
    let runs: RunTally
    /// The same calls and runs for the figures over the day.
    let dayCalls: [DayCall]
    let dayRuns: [DayRunRow]
    let issues: [DataIssue]
    /// Wall-clock time of the full count.
    let countedAt: Date
}

/// Yesterday's calls and runs, for the figures over the day beside today's: read once a day.
package struct YesterdayRows {
    let dayStart: Date
    let calls: [DayCall]
    let runs: [DayRunRow]
}

/// A run as read, before its vehicle's station is known.
struct DayRunRow {
    let dispatchedAt: Date
    let departedAt: Date?
    let completedAt: Date?
    let vehicleID: String
    let category: String
    let emptyRunReason: String?
}

/// Today's calls and vehicle runs, counted straight off the statements.
extension StateQuery {
    /// Runs dispatched from the day's start (first argument) through now (second).
    private static let dispatchedToday = "t.dispatched_at >= ? AND t.dispatched_at <= ?"

    /// Counts the day's calls and runs straight off the statements: a busy day has ten thousand
    /// calls, too many to turn into values on every change. What has settled is counted once and
    /// kept; only the rest is read again, until the next full count.
    mutating func tallyDay<DB: InterfaceConnection>(_ db: DB) throws -> (calls: CallTally, runs: RunTally) {
        let start = dayStart.timeIntervalSince1970
        let end = now.timeIntervalSince1970
        guard moment == nil else {
            return (try countCalls(db, from: start, through: end), try countRuns(db, Self.dispatchedToday, [start, end]))
        }
        let wall = configuration.wallClock()
        let carried: SettledDay
        if let settled, settled.dayStart == dayStart, wall.timeIntervalSince(settled.countedAt) < configuration.settledRecount {
            decoder.append(settled.issues)
            dayCalls = settled.dayCalls
            dayRuns = settled.dayRuns
            carried = settled
        } else {
            carried = try countSettled(db, wall: wall)
            settled = carried
        }
        var calls = carried.calls
        calls.merge(try countCalls(db, from: carried.callsBefore, through: end))
        var runs = carried.runs
        runs.merge(try countRuns(db, Self.dispatchedToday + " AND (t.completed_at IS NULL OR t.completed_at >= ?)", [start, end, carried.runsCompletedBefore]))
        return (calls, runs)
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
        dayCalls = []
        dayRuns = []
        let calls = try countCalls(db, from: start, below: callsBefore)
        let runs = try countRuns(db, Self.dispatchedToday + " AND t.completed_at < ?", [start, end, runsCompletedBefore])
        return SettledDay(
            dayStart: dayStart, callsBefore: callsBefore, runsCompletedBefore: runsCompletedBefore, calls: calls, runs: runs,
            dayCalls: dayCalls, dayRuns: dayRuns, issues: Array(decoder.issues[issueCount...]), countedAt: wall
        )
    }

    private mutating func countCalls<DB: InterfaceConnection>(_ db: DB, from start: Double, through end: Double) throws -> CallTally {
        try countCalls(db, "SELECT received_at, answered_at, ended_at, outcome, seat_id FROM calls WHERE received_at >= ? AND received_at <= ?", start, end)
    }

    private mutating func countCalls<DB: InterfaceConnection>(_ db: DB, from start: Double, below end: Double) throws -> CallTally {
        try countCalls(db, "SELECT received_at, answered_at, ended_at, outcome, seat_id FROM calls WHERE received_at >= ? AND received_at < ?", start, end)
    }

    private mutating func countCalls<DB: InterfaceConnection>(_ db: DB, _ sql: String, _ start: Double, _ end: Double) throws -> CallTally {
        let (now, dayStart, moment, figuresOverTheDay) = (self.now, self.dayStart, self.moment, configuration.figuresOverTheDay)
        var tally = CallTally(calls: [], now: now, dayStart: dayStart)
        try db.each(sql, [start, end]) { row, position in
            guard let receivedAt = decoder.date(row, 0, "calls", "#\(position)", "received_at") else { return }
            var call = CallTimes(
                receivedAt: receivedAt, answeredAt: decoder.date(row, 1, "calls", "#\(position)", "answered_at"),
                endedAt: decoder.date(row, 2, "calls", "#\(position)", "ended_at"), outcome: decoder.outcome(row, 3, "calls", "#\(position)")
            )
            if let moment { call = call.asOf(moment) }
            tally.add(call, now: now, dayStart: dayStart)
            if figuresOverTheDay { dayCalls.append(DayCall(receivedAt: receivedAt, answeredAt: call.answeredAt, seatID: decoder.reference(row[4]))) }
        }
        return tally
    }

    /// Counts the day's vehicle runs that match `condition`, keeping each for the figures over the day when they are wanted.
    private mutating func countRuns<DB: InterfaceConnection>(_ db: DB, _ condition: String, _ arguments: [Double]) throws -> RunTally {
        let (now, dayStart) = (self.now, self.dayStart)
        var tally = RunTally()
        let runs = try readRuns(db, condition, arguments) { run, row in
            tally.add(RunTimes(
                dispatchedAt: run.dispatchedAt, departedAt: run.departedAt, atSceneAt: run.atSceneAt, completedAt: run.completedAt,
                isEmptyRun: run.completedAt != nil && row.emptyRunReason != nil
            ), now: now, dayStart: dayStart)
        }
        if configuration.figuresOverTheDay { dayRuns += runs }
        return tally
    }

    /// Yesterday's calls and runs: kept from the last read while the day is the same.
    mutating func readYesterday<DB: InterfaceConnection>(_ db: DB) throws -> YesterdayRows {
        if moment == nil, let yesterday, yesterday.dayStart == dayStart { return yesterday }
        let yesterdayStart = configuration.dayBoundary.dayStart(containing: dayStart.addingTimeInterval(-1))
        var calls: [DayCall] = []
        try db.each("SELECT received_at, answered_at, seat_id FROM calls WHERE received_at >= ? AND received_at < ?",
                    [yesterdayStart.timeIntervalSince1970, dayStart.timeIntervalSince1970]) { row, position in
            guard let receivedAt = decoder.date(row, 0, "calls", "#\(position)", "received_at") else { return }
            calls.append(DayCall(receivedAt: receivedAt, answeredAt: decoder.date(row, 1, "calls", "#\(position)", "answered_at"), seatID: decoder.reference(row[2])))
        }
        let runs = try readRuns(db, "t.dispatched_at >= ? AND t.dispatched_at < ?", [yesterdayStart.timeIntervalSince1970, dayStart.timeIntervalSince1970]) { _, _ in }
        let rows = YesterdayRows(dayStart: dayStart, calls: calls, runs: runs)
        if moment == nil { yesterday = rows }
        return rows
    }

    /// The runs that match `condition` (on `vehicle_tasks AS t`), with their incident's category;
    /// `each` sees every run (times masked to the moment being replayed) beside its row.
    private mutating func readRuns<DB: InterfaceConnection>(
        _ db: DB, _ condition: String, _ arguments: [Double], _ each: (RunTimes, DayRunRow) -> Void
    ) throws -> [DayRunRow] {
        let moment = self.moment
        var runs: [DayRunRow] = []
        try db.each("""
            SELECT t.dispatched_at, t.departed_at, t.at_scene_at, t.completed_at, t.vehicle_id, i.category, t.empty_run_reason \
            FROM vehicle_tasks AS t LEFT JOIN incidents AS i ON i.id = t.incident_id WHERE \(condition)
            """, arguments) { row, position in
            let table = "vehicle_tasks"
            func masked(_ date: Date?) -> Date? {
                guard let moment, let date else { return date }
                return date <= moment ? date : nil
            }
            let completedAt = masked(decoder.date(row, 3, table, "#\(position)", "completed_at"))
            let dispatchedAt = decoder.date(row, 0, table, "#\(position)", "dispatched_at")
            let reason = decoder.text(row[6], table, "#\(position)", "empty_run_reason")
            let run = RunTimes(
                dispatchedAt: dispatchedAt,
                departedAt: masked(decoder.date(row, 1, table, "#\(position)", "departed_at")),
                atSceneAt: masked(decoder.date(row, 2, table, "#\(position)", "at_scene_at")),
                completedAt: completedAt, isEmptyRun: false
            )
            let dayRow = DayRunRow(
                dispatchedAt: dispatchedAt ?? .distantPast, departedAt: run.departedAt, completedAt: completedAt,
                vehicleID: decoder.reference(row[4]) ?? "", category: decoder.text(row[5], "incidents", "#\(position)", "category"),
                emptyRunReason: completedAt != nil && !reason.isEmpty ? reason : nil
            )
            each(run, dayRow)
            if dispatchedAt != nil { runs.append(dayRow) }
        }
        return runs
    }
}
