import Foundation
import WallboardDispatch

/// The day's calls that no longer change (ended, and received over ten minutes ago), counted once.
package struct SettledCalls {
    let dayStart: Date
    /// Every call received from the day's start up to (not including) this Unix time is counted here.
    let before: Double
    let tally: CallTally
    /// The same calls for the figures over the day.
    let calls: [DayCall]
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
    /// Counts the day's calls in one pass straight off the statement: a busy day has ten thousand,
    /// too many to turn into values on every change.
    mutating func tallyCalls<DB: InterfaceConnection>(_ db: DB) throws -> CallTally {
        let start = dayStart.timeIntervalSince1970
        let end = now.timeIntervalSince1970
        guard moment == nil else { return try countCalls(db, from: start, through: end) }
        let wall = configuration.wallClock()
        if let settled = settledCalls, settled.dayStart == dayStart,
           wall.timeIntervalSince(settled.countedAt) < configuration.settledCallsRecount {
            decoder.append(settled.issues)
            dayCalls = settled.calls
            var tally = settled.tally
            tally.merge(try countCalls(db, from: settled.before, through: end))
            return tally
        }
        // Calls received over ten minutes ago, before the oldest call still open, have all ended: their
        // counts are kept and only the rest is read again, until the next full count.
        let firstOpen = try db.firstNumber("SELECT min(received_at) FROM calls WHERE received_at >= ? AND ended_at IS NULL", [start])
        let before = max(start, min(firstOpen ?? .infinity, end - 600))
        let issueCount = decoder.issues.count
        dayCalls = []
        let settled = try countCalls(db, from: start, below: before)
        settledCalls = SettledCalls(
            dayStart: dayStart, before: before, tally: settled, calls: dayCalls, issues: Array(decoder.issues[issueCount...]), countedAt: wall
        )
        var tally = settled
        tally.merge(try countCalls(db, from: before, through: end))
        return tally
    }

    private mutating func countCalls<DB: InterfaceConnection>(_ db: DB, from start: Double, through end: Double) throws -> CallTally {
        try countCalls(db, "SELECT received_at, answered_at, ended_at, outcome, seat_id FROM calls WHERE received_at >= ? AND received_at <= ?", start, end)
    }

    private mutating func countCalls<DB: InterfaceConnection>(_ db: DB, from start: Double, below end: Double) throws -> CallTally {
        try countCalls(db, "SELECT received_at, answered_at, ended_at, outcome, seat_id FROM calls WHERE received_at >= ? AND received_at < ?", start, end)
    }

    private mutating func countCalls<DB: InterfaceConnection>(_ db: DB, _ sql: String, _ start: Double, _ end: Double) throws -> CallTally {
        let (now, dayStart, moment) = (self.now, self.dayStart, self.moment)
        var tally = CallTally(calls: [], now: now, dayStart: dayStart)
        try db.each(sql, [start, end]) { row, position in
            guard let receivedAt = decoder.date(row, 0, "calls", "#\(position)", "received_at") else { return }
            var call = CallTimes(
                receivedAt: receivedAt, answeredAt: decoder.date(row, 1, "calls", "#\(position)", "answered_at"),
                endedAt: decoder.date(row, 2, "calls", "#\(position)", "ended_at"), outcome: decoder.outcome(row, 3, "calls", "#\(position)")
            )
            if let moment { call = call.asOf(moment) }
            tally.add(call, now: now, dayStart: dayStart)
            dayCalls.append(DayCall(receivedAt: receivedAt, answeredAt: call.answeredAt, seatID: decoder.reference(row[4])))
        }
        return tally
    }

    /// Counts the day's vehicle runs the same way, keeping each for the figures over the day.
    mutating func tallyRuns<DB: InterfaceConnection>(_ db: DB) throws -> RunTally {
        let (now, dayStart) = (self.now, self.dayStart)
        var tally = RunTally()
        dayRuns = try readRuns(db, from: dayStart, through: now) { run, row in
            tally.add(RunTimes(
                dispatchedAt: run.dispatchedAt, departedAt: run.departedAt, atSceneAt: run.atSceneAt, completedAt: run.completedAt,
                isEmptyRun: run.completedAt != nil && row.emptyRunReason != nil
            ), now: now, dayStart: dayStart)
        }
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
        let runs = try readRuns(db, from: yesterdayStart, through: dayStart.addingTimeInterval(-0.001)) { _, _ in }
        let rows = YesterdayRows(dayStart: dayStart, calls: calls, runs: runs)
        if moment == nil { yesterday = rows }
        return rows
    }

    /// The runs dispatched from `start` through `end`, with their incident's category; `each` sees
    /// every run (times masked to the moment being replayed) beside its row.
    private mutating func readRuns<DB: InterfaceConnection>(
        _ db: DB, from start: Date, through end: Date, _ each: (RunTimes, DayRunRow) -> Void
    ) throws -> [DayRunRow] {
        let moment = self.moment
        var runs: [DayRunRow] = []
        try db.each("""
            SELECT t.dispatched_at, t.departed_at, t.at_scene_at, t.completed_at, t.vehicle_id, i.category, t.empty_run_reason \
            FROM vehicle_tasks AS t LEFT JOIN incidents AS i ON i.id = t.incident_id WHERE t.dispatched_at >= ? AND t.dispatched_at <= ?
            """, [start.timeIntervalSince1970, end.timeIntervalSince1970]) { row, position in
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
