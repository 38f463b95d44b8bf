import Foundation

/// The few facts about one call that the day's figures need.
public struct CallTimes: Sendable, Hashable {
    public var receivedAt: Date
    public var answeredAt: Date?
    public var endedAt: Date?
    public var outcome: CallOutcome?

    public init(receivedAt: Date, answeredAt: Date?, endedAt: Date?, outcome: CallOutcome?) {
        self.receivedAt = receivedAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.outcome = outcome
    }
}

/// How many vehicles have one status.
public struct StatusCount: Sendable, Codable, Hashable {
    public var code: Int
    public var chineseName: String
    public var englishName: String
    public var count: Int

    public init(status: VehicleStatus, count: Int) {
        code = status.rawValue
        chineseName = status.chineseName
        englishName = status.englishName
        self.count = count
    }
}

/// Vehicle counts for one station.
public struct StationFigures: Sendable, Codable, Hashable {
    public var stationID: String
    public var stationName: String
    public var vehicles: Int
    /// Code 7 站内待命.
    public var standby: Int
    /// Codes 6–7.
    public var dispatchable: Int
    /// Codes 0–5.
    public var onTask: Int
    /// Codes 8–9.
    public var outOfService: Int
    public var byStatus: [StatusCount]
}

/// The figures people watch, derived from one snapshot. Rates are fractions 0…1, nil when
/// nothing has been counted yet; durations are seconds.
public struct DispatchFigures: Sendable, Codable, Hashable {
    /// Calls received since local midnight.
    public var callsToday: Int
    public var validCalls: Int
    public var informationCalls: Int
    public var nuisanceCalls: Int
    public var silentCalls: Int
    public var misdialCalls: Int
    /// Hung up before anyone answered.
    public var abandonedCalls: Int
    /// Valid calls ÷ calls with an outcome.
    public var validCallRate: Double?
    /// Calls answered within 10 s of ringing.
    public var answeredWithin10s: Int
    /// Calls whose 10-second answer target is decided: answered, abandoned, or ringing longer than 10 s.
    public var answerTargetCalls: Int
    /// answeredWithin10s ÷ answerTargetCalls (national target 95 %).
    public var answeredWithin10sRate: Double?
    /// Vehicle runs dispatched since local midnight.
    public var dispatchesToday: Int
    /// Runs dispatched today that ended as empty runs 放空.
    public var emptyRunsToday: Int
    /// Runs dispatched today that departed within 3 minutes.
    public var departedWithin3Min: Int
    /// Runs whose 3-minute target is decided: departed, or still not departed after 3 minutes.
    public var departureTargetRuns: Int
    /// departedWithin3Min ÷ departureTargetRuns (national target 95 %).
    public var departedWithin3MinRate: Double?
    /// Mean dispatch-to-arrival-at-scene time of today's runs that have arrived.
    public var averageResponseSeconds: Double?
    /// Calls ringing or queued now.
    public var callsWaiting: Int
    /// How long the longest-waiting call has waited, nil when none waits.
    public var longestWaitSeconds: Double?
    /// Every status 0–9 in order, with its count.
    public var vehiclesByStatus: [StatusCount]
    public var vehiclesOnTask: Int
    public var vehiclesDispatchable: Int
    public var vehiclesOutOfService: Int
    /// Vehicles whose status code is missing or unknown.
    public var vehiclesUnknownStatus: Int
    /// One entry per station, in station order.
    public var stations: [StationFigures]

    /// Computes the figures at `now` for the day starting at `dayStart`. `callsToday` and
    /// `runsToday` hold what was received / dispatched since `dayStart`.
    public init(
        callsToday: [CallTimes], runsToday: [VehicleTask], vehicles: [Vehicle], stations: [Station],
        now: Date, dayStart: Date
    ) {
        var runs = RunTally()
        for run in runsToday { runs.add(RunTimes(run), now: now, dayStart: dayStart) }
        self.init(
            calls: CallTally(calls: callsToday, now: now, dayStart: dayStart), runs: runs,
            vehicles: vehicles, stations: stations, now: now, dayStart: dayStart
        )
    }

    /// The same, from call and run counts a source has already tallied.
    public init(
        calls tally: CallTally, runs: RunTally, vehicles: [Vehicle], stations: [Station],
        now: Date, dayStart: Date
    ) {
        callsToday = tally.calls
        validCalls = tally.valid
        informationCalls = tally.information
        nuisanceCalls = tally.nuisance
        silentCalls = tally.silent
        misdialCalls = tally.misdial
        abandonedCalls = tally.abandoned
        let withOutcome = tally.valid + tally.information + tally.nuisance + tally.silent + tally.misdial
        validCallRate = withOutcome > 0 ? Double(tally.valid) / Double(withOutcome) : nil
        answeredWithin10s = tally.answeredWithin10s
        answerTargetCalls = tally.answerTarget
        answeredWithin10sRate = tally.answerTarget > 0 ? Double(tally.answeredWithin10s) / Double(tally.answerTarget) : nil
        callsWaiting = tally.waiting
        longestWaitSeconds = tally.longestWaitSeconds

        dispatchesToday = runs.dispatches
        emptyRunsToday = runs.emptyRuns
        departedWithin3Min = runs.departedWithin3Min
        departureTargetRuns = runs.departureTarget
        departedWithin3MinRate = runs.departureTarget > 0 ? Double(runs.departedWithin3Min) / Double(runs.departureTarget) : nil
        averageResponseSeconds = runs.responseCount > 0 ? runs.responseTotalSeconds / Double(runs.responseCount) : nil

        func counts(_ group: some Sequence<Vehicle>) -> [Int] {
            var result = [Int](repeating: 0, count: VehicleStatus.allCases.count)
            for vehicle in group { if let status = vehicle.status { result[status.rawValue] += 1 } }
            return result
        }
        func statusCounts(_ counts: [Int]) -> [StatusCount] {
            VehicleStatus.allCases.map { StatusCount(status: $0, count: counts[$0.rawValue]) }
        }
        func sum(_ counts: [Int], _ include: (VehicleStatus) -> Bool) -> Int {
            VehicleStatus.allCases.filter(include).reduce(0) { $0 + counts[$1.rawValue] }
        }
        let all = counts(vehicles)
        vehiclesByStatus = statusCounts(all)
        vehiclesOnTask = sum(all) { $0.isOnTask }
        vehiclesDispatchable = sum(all) { $0.isDispatchable }
        vehiclesOutOfService = sum(all) { $0.isOutOfService }
        vehiclesUnknownStatus = vehicles.count - all.reduce(0, +)

        // One pass over the vehicles, counting by station position.
        let stationIndex = Dictionary(stations.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var perStation = [[Int]](repeating: [Int](repeating: 0, count: VehicleStatus.allCases.count), count: stations.count)
        var vehiclesPerStation = [Int](repeating: 0, count: stations.count)
        for vehicle in vehicles {
            guard let index = stationIndex[vehicle.stationID] else { continue }
            vehiclesPerStation[index] += 1
            if let status = vehicle.status { perStation[index][status.rawValue] += 1 }
        }
        self.stations = stations.enumerated().map { index, station in
            let stationCounts = perStation[index]
            return StationFigures(
                stationID: station.id, stationName: station.name, vehicles: vehiclesPerStation[index],
                standby: stationCounts[VehicleStatus.standby.rawValue],
                dispatchable: sum(stationCounts) { $0.isDispatchable },
                onTask: sum(stationCounts) { $0.isOnTask },
                outOfService: sum(stationCounts) { $0.isOutOfService },
                byStatus: statusCounts(stationCounts)
            )
        }
    }
}

/// The day's calls counted: what the call figures are made of.
public struct CallTally: Sendable, Hashable {
    /// Calls received since local midnight (up to now).
    public var calls: Int
    public var valid: Int
    public var information: Int
    public var nuisance: Int
    public var silent: Int
    public var misdial: Int
    /// Ended without being answered.
    public var abandoned: Int
    public var answeredWithin10s: Int
    /// Answered, abandoned, or ringing for more than 10 s.
    public var answerTarget: Int
    /// Ringing or queued now.
    public var waiting: Int
    public var longestWaitSeconds: Double?

    public init(
        calls: Int, valid: Int, information: Int, nuisance: Int, silent: Int, misdial: Int, abandoned: Int,
        answeredWithin10s: Int, answerTarget: Int, waiting: Int, longestWaitSeconds: Double?
    ) {
        self.calls = calls
        self.valid = valid
        self.information = information
        self.nuisance = nuisance
        self.silent = silent
        self.misdial = misdial
        self.abandoned = abandoned
        self.answeredWithin10s = answeredWithin10s
        self.answerTarget = answerTarget
        self.waiting = waiting
        self.longestWaitSeconds = longestWaitSeconds
    }

    /// Counts `calls` received between `dayStart` and `now`.
    public init(calls: [CallTimes], now: Date, dayStart: Date) {
        self.init(calls: 0, valid: 0, information: 0, nuisance: 0, silent: 0, misdial: 0, abandoned: 0,
                  answeredWithin10s: 0, answerTarget: 0, waiting: 0, longestWaitSeconds: nil)
        for call in calls { add(call, now: now, dayStart: dayStart) }
    }

    /// Adds the counts of calls tallied separately (a disjoint set of calls).
    public mutating func merge(_ other: CallTally) {
        calls += other.calls
        valid += other.valid
        information += other.information
        nuisance += other.nuisance
        silent += other.silent
        misdial += other.misdial
        abandoned += other.abandoned
        answeredWithin10s += other.answeredWithin10s
        answerTarget += other.answerTarget
        waiting += other.waiting
        if let wait = other.longestWaitSeconds { longestWaitSeconds = max(longestWaitSeconds ?? 0, wait) }
    }

    /// Counts one more call, if it was received between `dayStart` and `now`.
    public mutating func add(_ call: CallTimes, now: Date, dayStart: Date) {
        if call.receivedAt >= dayStart && call.receivedAt <= now {
            calls += 1
            switch call.outcome {
            case .valid: valid += 1
            case .information: information += 1
            case .nuisance: nuisance += 1
            case .silent: silent += 1
            case .misdial: misdial += 1
            case nil: break
            }
            if let answeredAt = call.answeredAt {
                answerTarget += 1
                if answeredAt.timeIntervalSince(call.receivedAt) <= 10 { answeredWithin10s += 1 }
            } else if call.endedAt != nil {
                abandoned += 1
                answerTarget += 1
            } else {
                waiting += 1
                let wait = now.timeIntervalSince(call.receivedAt)
                if wait > 10 { answerTarget += 1 }
                longestWaitSeconds = max(longestWaitSeconds ?? 0, wait)
            }
        }
    }
}

/// The few facts about one vehicle run that the day's figures need.
public struct RunTimes: Sendable, Hashable {
    public var dispatchedAt: Date?
    public var departedAt: Date?
    public var atSceneAt: Date?
    public var completedAt: Date?
    public var isEmptyRun: Bool

    public init(dispatchedAt: Date?, departedAt: Date?, atSceneAt: Date?, completedAt: Date?, isEmptyRun: Bool) {
        self.dispatchedAt = dispatchedAt
        self.departedAt = departedAt
        self.atSceneAt = atSceneAt
        self.completedAt = completedAt
        self.isEmptyRun = isEmptyRun
    }

    public init(_ task: VehicleTask) {
        self.init(dispatchedAt: task.dispatchedAt, departedAt: task.departedAt, atSceneAt: task.atSceneAt,
                  completedAt: task.completedAt, isEmptyRun: task.isEmptyRun)
    }
}

/// The day's vehicle runs counted: what the run figures are made of.
public struct RunTally: Sendable, Hashable {
    public var dispatches = 0
    public var emptyRuns = 0
    public var departedWithin3Min = 0
    /// Departed, or still not departed 3 minutes after dispatch.
    public var departureTarget = 0
    public var responseTotalSeconds = 0.0
    public var responseCount = 0

    public init() {}

    /// Adds the counts of runs tallied separately (a disjoint set of runs).
    public mutating func merge(_ other: RunTally) {
        dispatches += other.dispatches
        emptyRuns += other.emptyRuns
        departedWithin3Min += other.departedWithin3Min
        departureTarget += other.departureTarget
        responseTotalSeconds += other.responseTotalSeconds
        responseCount += other.responseCount
    }

    /// Counts one more run, if it was dispatched between `dayStart` and `now`.
    public mutating func add(_ run: RunTimes, now: Date, dayStart: Date) {
        guard let dispatchedAt = run.dispatchedAt, dispatchedAt >= dayStart, dispatchedAt <= now else { return }
        dispatches += 1
        if run.isEmptyRun { emptyRuns += 1 }
        if let departedAt = run.departedAt {
            departureTarget += 1
            if departedAt.timeIntervalSince(dispatchedAt) <= 180 { departedWithin3Min += 1 }
        } else if run.completedAt == nil, now.timeIntervalSince(dispatchedAt) > 180 {
            departureTarget += 1
        }
        if let atSceneAt = run.atSceneAt {
            responseTotalSeconds += atSceneAt.timeIntervalSince(dispatchedAt)
            responseCount += 1
        }
    }
}
