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
        var byOutcome: [CallOutcome: Int] = [:]
        var abandoned = 0
        var within10 = 0
        var answerTarget = 0
        var waiting = 0
        var longestWait: Double?
        var counted = 0
        for call in callsToday where call.receivedAt >= dayStart && call.receivedAt <= now {
            counted += 1
            if let outcome = call.outcome { byOutcome[outcome, default: 0] += 1 }
            if let answeredAt = call.answeredAt {
                answerTarget += 1
                if answeredAt.timeIntervalSince(call.receivedAt) <= 10 { within10 += 1 }
            } else if call.endedAt != nil {
                abandoned += 1
                answerTarget += 1
            } else {
                waiting += 1
                let wait = now.timeIntervalSince(call.receivedAt)
                if wait > 10 { answerTarget += 1 }
                longestWait = max(longestWait ?? 0, wait)
            }
        }
        self.callsToday = counted
        validCalls = byOutcome[.valid, default: 0]
        informationCalls = byOutcome[.information, default: 0]
        nuisanceCalls = byOutcome[.nuisance, default: 0]
        silentCalls = byOutcome[.silent, default: 0]
        misdialCalls = byOutcome[.misdial, default: 0]
        abandonedCalls = abandoned
        let withOutcome = byOutcome.values.reduce(0, +)
        validCallRate = withOutcome > 0 ? Double(validCalls) / Double(withOutcome) : nil
        answeredWithin10s = within10
        answerTargetCalls = answerTarget
        answeredWithin10sRate = answerTarget > 0 ? Double(within10) / Double(answerTarget) : nil
        callsWaiting = waiting
        longestWaitSeconds = longestWait

        var dispatches = 0
        var emptyRuns = 0
        var within3 = 0
        var departureTarget = 0
        var responseTotal = 0.0
        var responseCount = 0
        for run in runsToday {
            guard let dispatchedAt = run.dispatchedAt, dispatchedAt >= dayStart, dispatchedAt <= now else { continue }
            dispatches += 1
            if run.isEmptyRun { emptyRuns += 1 }
            if let departedAt = run.departedAt {
                departureTarget += 1
                if departedAt.timeIntervalSince(dispatchedAt) <= 180 { within3 += 1 }
            } else if run.completedAt == nil, now.timeIntervalSince(dispatchedAt) > 180 {
                departureTarget += 1
            }
            if let atSceneAt = run.atSceneAt {
                responseTotal += atSceneAt.timeIntervalSince(dispatchedAt)
                responseCount += 1
            }
        }
        dispatchesToday = dispatches
        emptyRunsToday = emptyRuns
        departedWithin3Min = within3
        departureTargetRuns = departureTarget
        departedWithin3MinRate = departureTarget > 0 ? Double(within3) / Double(departureTarget) : nil
        averageResponseSeconds = responseCount > 0 ? responseTotal / Double(responseCount) : nil

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

        let vehiclesByStation = Dictionary(grouping: vehicles, by: \.stationID)
        self.stations = stations.map { station in
            let group = vehiclesByStation[station.id] ?? []
            let stationCounts = counts(group)
            return StationFigures(
                stationID: station.id, stationName: station.name, vehicles: group.count,
                standby: stationCounts[VehicleStatus.standby.rawValue],
                dispatchable: sum(stationCounts) { $0.isDispatchable },
                onTask: sum(stationCounts) { $0.isOnTask },
                outOfService: sum(stationCounts) { $0.isOutOfService },
                byStatus: statusCounts(stationCounts)
            )
        }
    }
}
