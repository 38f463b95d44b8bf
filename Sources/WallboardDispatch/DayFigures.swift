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
        var tally = DayTally(dayStart: dayStart, yesterdayStart: yesterdayStart)
        for call in calls { tally.add(call, now: now) }
        for run in runs { tally.add(run, now: now) }
        self.init(tally: tally, stations: stations, seats: seats, now: now)
    }

    /// The figures at `now` from calls and runs already counted.
    public init(tally: DayTally, stations: [Station], seats: [Seat], now: Date) {
        let dayStart = tally.dayStart
        // Clamped before it becomes an Int: a day start far from `now` must not trap.
        let currentHour = Int(min(max(now.timeIntervalSince(dayStart) / 3600, -1), 24).rounded(.down))
        hours = (0..<24).map { hour in
            let begun = hour <= currentHour
            return HourFigures(
                hour: hour, calls: begun ? tally.callsToday[hour] : nil, dispatches: begun ? tally.dispatchesToday[hour] : nil,
                callsYesterday: tally.callsYesterday[hour], dispatchesYesterday: tally.dispatchesYesterday[hour]
            )
        }
        hoursIntoDay = now.timeIntervalSince(dayStart) / 3600
        self.stations = stations.map { station in
            let runs = tally.stations[station.id] ?? DayTally.StationRuns()
            return StationDayFigures(
                stationID: station.id, stationName: station.name, dispatches: runs.dispatches,
                averageDepartureSeconds: runs.departureDelays.isEmpty ? nil : runs.departureDelays.reduce(0, +) / Double(runs.departureDelays.count),
                departure90thPercentileSeconds: DayFigures.percentile(90, of: runs.departureDelays),
                departedWithin3MinRate: runs.targetDecided > 0 ? Double(runs.departedWithin3Min) / Double(runs.targetDecided) : nil
            )
        }
        categories = DayFigures.ranked(tally.categories)
        emptyRuns = DayFigures.ranked(tally.emptyRunReasons)
        self.seats = seats.map { seat in
            SeatDayFigures(
                seatID: seat.id, seatName: seat.name, callsHandled: tally.callsHandled[seat.id] ?? 0,
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

/// The figures over the day as counts that can be added to: a reader counts the calls and runs
/// that no longer change once and adds only the rest on each snapshot.
public struct DayTally: Sendable, Hashable {
    /// One station's runs today.
    public struct StationRuns: Sendable, Hashable {
        public var dispatches = 0
        /// Dispatch to departure of the runs that departed, in seconds.
        public var departureDelays: [Double] = []
        /// Departed, or still not departed 3 minutes after dispatch.
        public var targetDecided = 0
        public var departedWithin3Min = 0

        mutating func merge(_ other: StationRuns) {
            dispatches += other.dispatches
            departureDelays += other.departureDelays
            targetDecided += other.targetDecided
            departedWithin3Min += other.departedWithin3Min
        }
    }

    public let dayStart: Date
    public let yesterdayStart: Date
    /// Per hour from each day's start, midnight first.
    public private(set) var callsToday = [Int](repeating: 0, count: 24)
    public private(set) var callsYesterday = [Int](repeating: 0, count: 24)
    public private(set) var dispatchesToday = [Int](repeating: 0, count: 24)
    public private(set) var dispatchesYesterday = [Int](repeating: 0, count: 24)
    /// Today's answered calls by the seat that answered them.
    public private(set) var callsHandled: [String: Int] = [:]
    public private(set) var stations: [String: StationRuns] = [:]
    /// Today's runs by their incident's category.
    public private(set) var categories: [String: Int] = [:]
    public private(set) var emptyRunReasons: [String: Int] = [:]

    public init(dayStart: Date, yesterdayStart: Date) {
        self.dayStart = dayStart
        self.yesterdayStart = yesterdayStart
    }

    /// Counts `call` if it was received from `yesterdayStart` up to `now`.
    public mutating func add(_ call: DayCall, now: Date) {
        guard let slot = hour(of: call.receivedAt, now: now) else { return }
        if slot.today {
            callsToday[slot.hour] += 1
            if call.answeredAt != nil, let seat = call.seatID { callsHandled[seat, default: 0] += 1 }
        } else {
            callsYesterday[slot.hour] += 1
        }
    }

    /// Counts `run` if it was dispatched from `yesterdayStart` up to `now`. A run that has neither
    /// departed nor completed is counted as of `now`: count it again at the next snapshot.
    public mutating func add(_ run: DayRun, now: Date) {
        guard let slot = hour(of: run.dispatchedAt, now: now) else { return }
        guard slot.today else {
            dispatchesYesterday[slot.hour] += 1
            return
        }
        dispatchesToday[slot.hour] += 1
        categories[run.category, default: 0] += 1
        if let reason = run.emptyRunReason { emptyRunReasons[reason, default: 0] += 1 }
        var station = stations[run.stationID] ?? StationRuns()
        station.dispatches += 1
        if let departedAt = run.departedAt {
            let delay = departedAt.timeIntervalSince(run.dispatchedAt)
            station.departureDelays.append(delay)
            station.targetDecided += 1
            if delay <= 180 { station.departedWithin3Min += 1 }
        } else if run.completedAt == nil, now.timeIntervalSince(run.dispatchedAt) > 180 {
            station.targetDecided += 1
        }
        stations[run.stationID] = station
    }

    /// Adds the counts of calls and runs tallied separately (a disjoint set) over the same days.
    public mutating func merge(_ other: DayTally) {
        for hour in 0..<24 {
            callsToday[hour] += other.callsToday[hour]
            callsYesterday[hour] += other.callsYesterday[hour]
            dispatchesToday[hour] += other.dispatchesToday[hour]
            dispatchesYesterday[hour] += other.dispatchesYesterday[hour]
        }
        callsHandled.merge(other.callsHandled, uniquingKeysWith: +)
        categories.merge(other.categories, uniquingKeysWith: +)
        emptyRunReasons.merge(other.emptyRunReasons, uniquingKeysWith: +)
        for (station, runs) in other.stations { stations[station, default: StationRuns()].merge(runs) }
    }

    /// The hour of `date` in today (`true`) or yesterday (`false`); nil outside both or after `now`.
    private func hour(of date: Date, now: Date) -> (today: Bool, hour: Int)? {
        guard date >= yesterdayStart, date <= now else { return nil }
        let isToday = date >= dayStart
        let hours = date.timeIntervalSince(isToday ? dayStart : yesterdayStart) / 3600
        return hours < 24 ? (isToday, Int(hours.rounded(.down))) : nil
    }
}
