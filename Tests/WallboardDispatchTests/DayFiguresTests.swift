import Foundation
import Testing
import WallboardDispatch

/// A day worked out by hand: today runs to 10:30, yesterday is the 24 hours before.
@Suite struct DayFiguresTests {
    static let dayStart = Date(timeIntervalSince1970: 1_795_190_400)
    static let yesterdayStart = dayStart.addingTimeInterval(-86_400)
    static let now = dayStart.addingTimeInterval(10.5 * 3600)

    static func today(_ hours: Double) -> Date { dayStart.addingTimeInterval(hours * 3600) }
    static func yesterday(_ hours: Double) -> Date { yesterdayStart.addingTimeInterval(hours * 3600) }

    static let stations = [
        Station(id: "S1", name: "城东分站", district: "东城区", sortOrder: 1),
        Station(id: "S2", name: "城西分站", district: "西城区", sortOrder: 2),
        Station(id: "S3", name: "新区分站", district: "新区", sortOrder: 3),
    ]

    static let seats = [
        Seat(id: "P1", name: "1号台", dispatcherName: "甲", state: .talking, stateSince: now.addingTimeInterval(-75)),
        Seat(id: "P2", name: "2号台", dispatcherName: "乙", state: .idle),
    ]

    static func run(_ at: Date, departAfter: Double? = nil, station: String, category: String = "疾病", empty: String? = nil, completed: Bool = false) -> DayRun {
        DayRun(
            dispatchedAt: at, departedAt: departAfter.map { at.addingTimeInterval($0) },
            completedAt: completed ? at.addingTimeInterval(600) : nil,
            stationID: station, vehicleID: "V-\(station)", category: category, emptyRunReason: empty
        )
    }

    static let calls = [
        DayCall(receivedAt: today(0.1), answeredAt: today(0.1), seatID: "P1"),
        DayCall(receivedAt: today(0.9), answeredAt: today(0.9), seatID: "P2"),
        DayCall(receivedAt: today(8.2), answeredAt: today(8.2), seatID: "P1"),
        DayCall(receivedAt: today(10.4)),                                      // ringing, nobody answered yet
        DayCall(receivedAt: today(11)),                                        // after now: not counted
        DayCall(receivedAt: yesterday(0.5), answeredAt: yesterday(0.5), seatID: "P2"),  // not today's work
        DayCall(receivedAt: yesterday(23.9)),
        DayCall(receivedAt: yesterdayStart.addingTimeInterval(-10)),          // the day before: not counted
    ]

    static let runs = [
        // S1: departures after 60, 120, 200 and 400 s, one not departed after 5 minutes.
        run(today(1), departAfter: 60, station: "S1"),
        run(today(2), departAfter: 120, station: "S1", category: "创伤"),
        run(today(8), departAfter: 200, station: "S1", category: "车祸"),
        run(today(8.5), departAfter: 400, station: "S1", category: "创伤", empty: "病人已离开"),
        run(now.addingTimeInterval(-300), station: "S1"),
        // S2: one not departed 2 minutes after dispatch (undecided), one cancelled before departing.
        run(now.addingTimeInterval(-120), station: "S2", category: "创伤"),
        run(today(3), station: "S2", category: "中毒", empty: "呼救方取消", completed: true),
        run(yesterday(8.2), departAfter: 30, station: "S2"),
        run(yesterday(8.7), departAfter: 30, station: "S3"),
    ]

    static let figures = DayFigures(
        calls: calls, runs: runs, stations: stations, seats: seats, now: now, dayStart: dayStart, yesterdayStart: yesterdayStart
    )

    @Test func callsAndDispatchesPerHourTodayAndYesterday() {
        let hours = Self.figures.hours
        #expect(hours.count == 24)
        #expect(hours.map(\.hour) == Array(0..<24))
        #expect(hours[0].calls == 2)
        #expect(hours[8].calls == 1)
        #expect(hours[10].calls == 1, "a call still ringing counts in its hour")
        #expect(hours[11].calls == nil, "hours that have not begun have no figure yet")
        #expect(hours[10].dispatches == 2)
        #expect(hours[8].dispatches == 2)
        #expect(hours[0].callsYesterday == 1)
        #expect(hours[23].callsYesterday == 1)
        #expect(hours[8].dispatchesYesterday == 2)
        #expect(hours.compactMap(\.calls).reduce(0, +) == 4)
        #expect(Self.figures.hoursIntoDay == 10.5)
    }

    @Test func departureTimesPerStation() throws {
        let stations = Self.figures.stations
        #expect(stations.map(\.stationName) == ["城东分站", "城西分站", "新区分站"])
        let east = stations[0]
        #expect(east.dispatches == 5)
        // Time stamps near 1.8e9 s carry about 1e-7 s of rounding.
        #expect(abs((east.averageDepartureSeconds ?? 0) - (60 + 120 + 200 + 400) / 4) < 1e-6)
        #expect(abs((east.departure90thPercentileSeconds ?? 0) - 400) < 1e-6, "nearest rank: 90 % of 4 is the 4th")
        // 60 and 120 s within 3 minutes; 200 s, 400 s and the one still waiting after 5 minutes not.
        #expect(east.departedWithin3MinRate == 2.0 / 5)
        let west = stations[1]
        #expect(west.dispatches == 2)
        #expect(west.averageDepartureSeconds == nil)
        #expect(west.departedWithin3MinRate == nil, "neither run's 3-minute target is decided")
        #expect(stations[2].dispatches == 0, "yesterday's runs do not count")
    }

    @Test func ninetiethPercentileByNearestRank() {
        let values = (1...10).map(Double.init)
        #expect(DayFigures.percentile(90, of: values) == 9)
        #expect(DayFigures.percentile(90, of: values.reversed()) == 9)
        #expect(DayFigures.percentile(90, of: [5]) == 5)
        #expect(DayFigures.percentile(90, of: (1...20).map(Double.init)) == 18)
        #expect(DayFigures.percentile(90, of: []) == nil)
    }

    @Test func categoriesAndEmptyRunsMostFirst() {
        #expect(Self.figures.categories == [
            NamedCount(name: "创伤", count: 3), NamedCount(name: "疾病", count: 2),
            NamedCount(name: "中毒", count: 1), NamedCount(name: "车祸", count: 1),
        ])
        #expect(Self.figures.emptyRuns == [NamedCount(name: "呼救方取消", count: 1), NamedCount(name: "病人已离开", count: 1)])
    }

    @Test func callsHandledPerSeatAndTimeInState() {
        let seats = Self.figures.seats
        #expect(seats.map(\.seatName) == ["1号台", "2号台"])
        #expect(seats[0].callsHandled == 2)
        #expect(seats[1].callsHandled == 1, "yesterday's call is not today's work")
        #expect(seats[0].secondsInState == 75)
        #expect(seats[1].secondsInState == nil)
    }

    /// A reader counts what has settled once and the rest on each snapshot: counts made in parts
    /// and merged are the figures of the whole.
    @Test func countsMadeInPartsAndMergedGiveTheSameFigures() {
        var settled = DayTally(dayStart: Self.dayStart, yesterdayStart: Self.yesterdayStart)
        var fresh = settled
        for (index, call) in Self.calls.enumerated() {
            if index.isMultiple(of: 2) { settled.add(call, now: Self.now) } else { fresh.add(call, now: Self.now) }
        }
        for (index, run) in Self.runs.enumerated() {
            if index % 3 == 0 { fresh.add(run, now: Self.now) } else { settled.add(run, now: Self.now) }
        }
        #expect(DayFigures(tally: settled, stations: Self.stations, seats: Self.seats, now: Self.now) != Self.figures)
        settled.merge(fresh)
        let merged = DayFigures(tally: settled, stations: Self.stations, seats: Self.seats, now: Self.now)
        #expect(merged.hours == Self.figures.hours)
        #expect(merged.categories == Self.figures.categories)
        #expect(merged.emptyRuns == Self.figures.emptyRuns)
        #expect(merged.seats == Self.figures.seats)
        #expect(merged.stations.map(\.departure90thPercentileSeconds) == Self.figures.stations.map(\.departure90thPercentileSeconds))
        #expect(merged.stations.map(\.departedWithin3MinRate) == Self.figures.stations.map(\.departedWithin3MinRate))
        #expect(merged.stations.map(\.dispatches) == Self.figures.stations.map(\.dispatches))
    }

    @Test func anEmptyDayHasZerosAndNoRates() {
        let empty = DayFigures(calls: [], runs: [], stations: Self.stations, seats: [], now: Self.dayStart, dayStart: Self.dayStart, yesterdayStart: Self.yesterdayStart)
        #expect(empty.hours[0].calls == 0)
        #expect(empty.hours[1].calls == nil)
        #expect(empty.stations.allSatisfy { $0.dispatches == 0 && $0.departedWithin3MinRate == nil && $0.departure90thPercentileSeconds == nil })
        #expect(empty.categories.isEmpty)
    }

    @Test func aSnapshotBuiltTheOldWayHasNoDayFigures() {
        let snapshot = DispatchSnapshot(
            takenAt: Self.now, dayStart: Self.dayStart, sourceVersion: nil, stations: [], vehicles: [], incidents: [],
            waitingCalls: [], seats: [], figures: DispatchFigures(callsToday: [], runsToday: [], vehicles: [], stations: [], now: Self.now, dayStart: Self.dayStart),
            issues: []
        )
        #expect(snapshot.day == nil)
        let vehicle = Vehicle(id: "V1", callSign: "急救1号", plate: "粤A·1", stationID: "S1", statusCode: 7)
        #expect(vehicle.latitude == nil && vehicle.positionAt == nil)
    }
}
