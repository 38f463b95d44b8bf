import Foundation

/// One call as the figures over the day need it: when it rang, who answered it.
public struct DayCall: Sendable, Hashable {
    public var receivedAt: Date
    public var answeredAt: Date?
    /// The seat that answered it.
    public var seatID: String?

    public init(receivedAt: Date, answeredAt: Date? = nil, seatID: String? = nil) {
        self.receivedAt = receivedAt
        self.answeredAt = answeredAt
        self.seatID = seatID
    }
}

/// One vehicle run as the figures over the day need it, with its vehicle's station and its
/// incident's category.
public struct DayRun: Sendable, Hashable {
    public var dispatchedAt: Date
    public var departedAt: Date?
    public var completedAt: Date?
    public var stationID: String
    public var vehicleID: String
    /// The incident's category (疾病, 创伤 …).
    public var category: String
    /// Why the run ended empty 放空; nil when it did not.
    public var emptyRunReason: String?

    public init(
        dispatchedAt: Date, departedAt: Date? = nil, completedAt: Date? = nil, stationID: String, vehicleID: String,
        category: String, emptyRunReason: String? = nil
    ) {
        self.dispatchedAt = dispatchedAt
        self.departedAt = departedAt
        self.completedAt = completedAt
        self.stationID = stationID
        self.vehicleID = vehicleID
        self.category = category
        self.emptyRunReason = emptyRunReason
    }
}

/// Calls and dispatches in one hour of today, beside the same hour yesterday.
public struct HourFigures: Sendable, Codable, Hashable {
    /// 0 for 00:00–00:59.
    public var hour: Int
    /// Nil for the hours of today that have not begun.
    public var calls: Int?
    public var dispatches: Int?
    public var callsYesterday: Int
    public var dispatchesYesterday: Int
}

/// One station's runs today.
public struct StationDayFigures: Sendable, Codable, Hashable {
    public var stationID: String
    public var stationName: String
    public var dispatches: Int
    /// Dispatch to departure of today's runs that have departed.
    public var averageDepartureSeconds: Double?
    /// The 90th percentile (nearest rank) of the same.
    public var departure90thPercentileSeconds: Double?
    /// Departed within 3 minutes ÷ runs whose 3-minute target is decided, as in `DispatchFigures`.
    public var departedWithin3MinRate: Double?
}

/// How many of today's items share a name (a task category, an empty-run reason).
public struct NamedCount: Sendable, Codable, Hashable {
    public var name: String
    public var count: Int

    public init(name: String, count: Int) {
        self.name = name
        self.count = count
    }
}

/// One seat's day: calls it answered and how long it has been in its state.
public struct SeatDayFigures: Sendable, Codable, Hashable {
    public var seatID: String
    public var seatName: String
    public var callsHandled: Int
    /// Nil when the seat's state has no time stamp.
    public var secondsInState: Double?
}

/// The figures over the day that big screens chart: per hour, per station, per category, per
/// seat, per empty-run reason. Pure computations over plain inputs, so any source can feed them.
public struct DayFigures: Sendable, Codable, Hashable {
    /// 24 hours, midnight first.
    public var hours: [HourFigures]
    /// Hours since `dayStart` at `now` (14.5 at half past two): where a chart's "now" marker goes.
    public var hoursIntoDay: Double
    /// In station order.
    public var stations: [StationDayFigures]
    /// Today's runs by their incident's category, most first, then by name.
    public var categories: [NamedCount]
    /// In seat order.
    public var seats: [SeatDayFigures]
    /// Today's empty runs by reason, most first, then by reason.
    public var emptyRuns: [NamedCount]

    /// The figures at `now`. `calls` and `runs` may hold anything; only what was received or
    /// dispatched from `yesterdayStart` up to `now` counts. The days are `yesterdayStart` to
    /// `dayStart` and `dayStart` to `now`; hours are counted from each day's start.
    public init(
        calls: [DayCall], runs: [DayRun], stations: [Station], seats: [Seat],
        now: Date, dayStart: Date, yesterdayStart: Date
    ) {
        // Clamped before it becomes an Int: a day start far from `now` must not trap.
        let currentHour = Int(min(max(now.timeIntervalSince(dayStart) / 3600, -1), 24).rounded(.down))
        var today = [Int](repeating: 0, count: 24), yesterday = [Int](repeating: 0, count: 24)
        var dispatchesToday = [Int](repeating: 0, count: 24), dispatchesYesterday = [Int](repeating: 0, count: 24)
        /// The hour of `date` in today (`true`) or yesterday (`false`); nil outside both or after `now`.
        func hour(of date: Date) -> (today: Bool, hour: Int)? {
            guard date >= yesterdayStart, date <= now else { return nil }
            let isToday = date >= dayStart
            let start = isToday ? dayStart : yesterdayStart
            let hours = date.timeIntervalSince(start) / 3600
            return hours < 24 ? (isToday, Int(hours.rounded(.down))) : nil
        }
        var handled: [String: Int] = [:]
        for call in calls {
            guard let slot = hour(of: call.receivedAt) else { continue }
            if slot.today {
                today[slot.hour] += 1
                if call.answeredAt != nil, let seat = call.seatID { handled[seat, default: 0] += 1 }
            } else {
                yesterday[slot.hour] += 1
            }
        }
        var departures: [String: [Double]] = [:]
        var decided: [String: Int] = [:], withinTarget: [String: Int] = [:], perStation: [String: Int] = [:]
        var categories: [String: Int] = [:], reasons: [String: Int] = [:]
        for run in runs {
            guard let slot = hour(of: run.dispatchedAt) else { continue }
            guard slot.today else {
                dispatchesYesterday[slot.hour] += 1
                continue
            }
            dispatchesToday[slot.hour] += 1
            perStation[run.stationID, default: 0] += 1
            categories[run.category, default: 0] += 1
            if let reason = run.emptyRunReason { reasons[reason, default: 0] += 1 }
            if let departedAt = run.departedAt {
                let delay = departedAt.timeIntervalSince(run.dispatchedAt)
                departures[run.stationID, default: []].append(delay)
                decided[run.stationID, default: 0] += 1
                if delay <= 180 { withinTarget[run.stationID, default: 0] += 1 }
            } else if run.completedAt == nil, now.timeIntervalSince(run.dispatchedAt) > 180 {
                decided[run.stationID, default: 0] += 1
            }
        }
        hours = (0..<24).map { hour in
            let begun = hour <= currentHour
            return HourFigures(
                hour: hour, calls: begun ? today[hour] : nil, dispatches: begun ? dispatchesToday[hour] : nil,
                callsYesterday: yesterday[hour], dispatchesYesterday: dispatchesYesterday[hour]
            )
        }
        hoursIntoDay = now.timeIntervalSince(dayStart) / 3600
        self.stations = stations.map { station in
            let delays = departures[station.id] ?? []
            let targetRuns = decided[station.id] ?? 0
            return StationDayFigures(
                stationID: station.id, stationName: station.name, dispatches: perStation[station.id] ?? 0,
                averageDepartureSeconds: delays.isEmpty ? nil : delays.reduce(0, +) / Double(delays.count),
                departure90thPercentileSeconds: DayFigures.percentile(90, of: delays),
                departedWithin3MinRate: targetRuns > 0 ? Double(withinTarget[station.id] ?? 0) / Double(targetRuns) : nil
            )
        }
        self.categories = DayFigures.ranked(categories)
        emptyRuns = DayFigures.ranked(reasons)
        self.seats = seats.map { seat in
            SeatDayFigures(
                seatID: seat.id, seatName: seat.name, callsHandled: handled[seat.id] ?? 0,
                secondsInState: seat.stateSince.map { max(0, now.timeIntervalSince($0)) }
            )
        }
    }

    /// The nearest-rank percentile: the smallest value with at least `percent` % of them at or
    /// below it. The rank is counted in integers, so 90 % of 10 is rank 9, not 10.
    public static func percentile(_ percent: Int, of values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = (percent * sorted.count + 99) / 100
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }

    private static func ranked(_ counts: [String: Int]) -> [NamedCount] {
        counts.map { NamedCount(name: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    }
}
