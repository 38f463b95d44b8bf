import Foundation
import WallboardDispatch

/// The day's calls that no longer change (ended, and received over ten minutes ago), counted once.
package struct SettledCalls {
    let dayStart: Date
    /// Every call received from the day's start up to (not including) this Unix time is counted here.
    let before: Double
    let tally: CallTally
    let issues: [DataIssue]
    /// Wall-clock time of the full count.
    let countedAt: Date
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
            var tally = settled.tally
            tally.merge(try countCalls(db, from: settled.before, through: end))
            return tally
        }
        // Calls received over ten minutes ago, before the oldest call still open, have all ended: their
        // counts are kept and only the rest is read again, until the next full count.
        let firstOpen = try db.firstNumber("SELECT min(received_at) FROM calls WHERE received_at >= ? AND ended_at IS NULL", [start])
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

    private mutating func countCalls<DB: InterfaceConnection>(_ db: DB, from start: Double, through end: Double) throws -> CallTally {
        try countCalls(db, "SELECT received_at, answered_at, ended_at, outcome FROM calls WHERE received_at >= ? AND received_at <= ?", start, end)
    }

    private mutating func countCalls<DB: InterfaceConnection>(_ db: DB, from start: Double, below end: Double) throws -> CallTally {
        try countCalls(db, "SELECT received_at, answered_at, ended_at, outcome FROM calls WHERE received_at >= ? AND received_at < ?", start, end)
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
        }
        return tally
    }

    /// Counts the day's vehicle runs the same way.
    mutating func tallyRuns<DB: InterfaceConnection>(_ db: DB) throws -> RunTally {
        let (now, dayStart, moment) = (self.now, self.dayStart, self.moment)
        var tally = RunTally()
        try db.each("""
            SELECT dispatched_at, departed_at, at_scene_at, completed_at, empty_run_reason IS NOT NULL AND empty_run_reason != '' \
            FROM vehicle_tasks WHERE dispatched_at >= ? AND dispatched_at <= ?
            """, [dayStart.timeIntervalSince1970, now.timeIntervalSince1970]) { row, position in
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
                isEmptyRun: completedAt != nil && row.flag(4)
            )
            tally.add(run, now: now, dayStart: dayStart)
        }
        return tally
    }
}
