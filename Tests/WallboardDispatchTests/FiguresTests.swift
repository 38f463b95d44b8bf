import Foundation
import Testing
import WallboardDispatch

/// A small day whose figures are worked out by hand in the comments.
enum FigureFixture {
    /// 2026-11-21 00:00 in Shanghai.
    static let dayStart = Date(timeIntervalSince1970: 1_795_190_400)
    static let now = dayStart.addingTimeInterval(10 * 3600)

    static func at(_ seconds: Double) -> Date { dayStart.addingTimeInterval(seconds) }

    static let calls: [CallTimes] = [
        CallTimes(receivedAt: at(100), answeredAt: at(105), endedAt: at(200), outcome: .valid),        // 5 s
        CallTimes(receivedAt: at(200), answeredAt: at(215), endedAt: at(300), outcome: .information),  // 15 s: late
        CallTimes(receivedAt: at(300), answeredAt: at(308), endedAt: at(350), outcome: .nuisance),     // 8 s
        CallTimes(receivedAt: at(400), answeredAt: nil, endedAt: at(430), outcome: nil),               // abandoned
        CallTimes(receivedAt: now.addingTimeInterval(-5), answeredAt: nil, endedAt: nil, outcome: nil),  // waiting 5 s
        CallTimes(receivedAt: now.addingTimeInterval(-40), answeredAt: nil, endedAt: nil, outcome: nil), // waiting 40 s
        CallTimes(receivedAt: at(-60), answeredAt: at(-55), endedAt: at(10), outcome: .valid),         // yesterday
        CallTimes(receivedAt: at(500), answeredAt: at(510), endedAt: at(520), outcome: .silent),       // exactly 10 s
        CallTimes(receivedAt: at(600), answeredAt: at(601), endedAt: at(630), outcome: .misdial),
        CallTimes(receivedAt: at(700), answeredAt: at(702), endedAt: at(800), outcome: .valid),
    ]

    static let runs: [VehicleTask] = [
        VehicleTask(id: "A", incidentID: "E1", vehicleID: "V1", dispatchedAt: at(1000), departedAt: at(1100), atSceneAt: at(1600), completedAt: at(5000)),
        VehicleTask(id: "B", incidentID: "E2", vehicleID: "V2", dispatchedAt: at(2000), departedAt: at(2200), atSceneAt: at(2500), completedAt: at(6000)),
        VehicleTask(id: "C", incidentID: "E3", vehicleID: "V3", dispatchedAt: at(3000), completedAt: at(3100), emptyRunReason: "呼救方取消"),
        VehicleTask(id: "D", incidentID: "E4", vehicleID: "V4", dispatchedAt: now.addingTimeInterval(-600)),
        VehicleTask(id: "E", incidentID: "E5", vehicleID: "V5", dispatchedAt: now.addingTimeInterval(-60)),
        VehicleTask(id: "F", incidentID: "E0", vehicleID: "V1", dispatchedAt: at(-100), departedAt: at(-50), atSceneAt: at(200)),
    ]

    static let stations = [
        Station(id: "S1", name: "城东分站", district: "东城区", sortOrder: 1),
        Station(id: "S2", name: "城西分站", district: "西城区", sortOrder: 2),
    ]

    static let vehicles = [
        Vehicle(id: "V1", callSign: "急救1号", plate: "粤A·1", stationID: "S1", statusCode: 7),
        Vehicle(id: "V2", callSign: "急救2号", plate: "粤A·2", stationID: "S1", statusCode: 2),
        Vehicle(id: "V3", callSign: "急救3号", plate: "粤A·3", stationID: "S2", statusCode: 9),
        Vehicle(id: "V4", callSign: "急救4号", plate: "粤A·4", stationID: "S2", statusCode: 42),
        Vehicle(id: "V5", callSign: "急救5号", plate: "粤A·5", stationID: "S2", statusCode: 6),
    ]

    static var figures: DispatchFigures {
        DispatchFigures(callsToday: calls, runsToday: runs, vehicles: vehicles, stations: stations, now: now, dayStart: dayStart)
    }
}

@Suite struct FiguresTests {
    let figures = FigureFixture.figures

    @Test func callFigures() {
        #expect(figures.callsToday == 9)
        #expect(figures.validCalls == 2)
        #expect(figures.informationCalls == 1)
        #expect(figures.nuisanceCalls == 1)
        #expect(figures.silentCalls == 1)
        #expect(figures.misdialCalls == 1)
        #expect(figures.abandonedCalls == 1)
        #expect(figures.validCallRate == 2.0 / 6.0)
        // Answered 6 (5 within 10 s), abandoned 1, one waiting past 10 s.
        #expect(figures.answeredWithin10s == 5)
        #expect(figures.answerTargetCalls == 8)
        #expect(figures.answeredWithin10sRate == 5.0 / 8.0)
        #expect(figures.callsWaiting == 2)
        #expect(figures.longestWaitSeconds == 40)
    }

    @Test func runFigures() {
        #expect(figures.dispatchesToday == 5)
        #expect(figures.emptyRunsToday == 1)
        // A departed in 100 s, B in 200 s, D has not departed after 600 s; C ended first, E is young.
        #expect(figures.departedWithin3Min == 1)
        #expect(figures.departureTargetRuns == 3)
        #expect(figures.departedWithin3MinRate == 1.0 / 3.0)
        #expect(figures.averageResponseSeconds == 550)
    }

    @Test func vehicleFigures() {
        let counts = Dictionary(uniqueKeysWithValues: figures.vehiclesByStatus.map { ($0.code, $0.count) })
        #expect(counts == [0: 0, 1: 0, 2: 1, 3: 0, 4: 0, 5: 0, 6: 1, 7: 1, 8: 0, 9: 1])
        #expect(figures.vehiclesByStatus.map(\.chineseName).first == "开始分配任务")
        #expect(figures.vehiclesOnTask == 1)
        #expect(figures.vehiclesDispatchable == 2)
        #expect(figures.vehiclesOutOfService == 1)
        #expect(figures.vehiclesUnknownStatus == 1)
        let east = figures.stations[0]
        #expect((east.stationName, east.vehicles, east.standby, east.dispatchable, east.onTask, east.outOfService) == ("城东分站", 2, 1, 1, 1, 0))
        let west = figures.stations[1]
        #expect((west.stationName, west.vehicles, west.standby, west.dispatchable, west.onTask, west.outOfService) == ("城西分站", 3, 0, 1, 0, 1))
    }

    @Test func emptyDayHasNoRates() {
        let empty = DispatchFigures(callsToday: [], runsToday: [], vehicles: [], stations: [], now: FigureFixture.now, dayStart: FigureFixture.dayStart)
        #expect(empty.validCallRate == nil)
        #expect(empty.answeredWithin10sRate == nil)
        #expect(empty.departedWithin3MinRate == nil)
        #expect(empty.averageResponseSeconds == nil)
        #expect(empty.longestWaitSeconds == nil)
    }
}

@Suite struct DayBoundaryTests {
    @Test func shanghaiMidnightIsSixteenHundredUTC() {
        let boundary = DayBoundary.shanghai
        // 2026-11-21 23:30 UTC is 07:30 on the 22nd in Shanghai.
        let moment = Date(timeIntervalSince1970: 1_795_303_800)
        #expect(boundary.dayStart(containing: moment) == Date(timeIntervalSince1970: 1_795_276_800))
        #expect(boundary.nextDayStart(after: moment) == Date(timeIntervalSince1970: 1_795_363_200))
    }

    @Test func otherZonesAndUnknownNames() throws {
        let utc = try #require(DayBoundary(timeZoneIdentifier: "UTC"))
        #expect(utc.dayStart(containing: Date(timeIntervalSince1970: 1_795_303_800)) == Date(timeIntervalSince1970: 1_795_305_600 - 86_400))
        #expect(DayBoundary(timeZoneIdentifier: "Mars/Olympus_Mons") == nil)
    }
}

@Suite struct PastMomentTests {
    @Test func laterTimeStampsAreCleared() {
        let run = FigureFixture.runs[0]
        let earlier = run.asOf(FigureFixture.at(1300))
        #expect(earlier.departedAt == FigureFixture.at(1100))
        #expect(earlier.atSceneAt == nil)
        #expect(earlier.completedAt == nil)

        let emptyRun = FigureFixture.runs[2].asOf(FigureFixture.at(3050))
        #expect(emptyRun.emptyRunReason == nil, "the run had not ended yet")

        let call = Call(id: "C1", receivedAt: FigureFixture.at(100), answeredAt: FigureFixture.at(105), endedAt: FigureFixture.at(200), seatID: "D1", outcome: .valid)
        let ringing = call.asOf(FigureFixture.at(102))
        #expect(ringing.isWaiting)
        #expect(ringing.outcome == nil)
        #expect(ringing.seatID == nil)
    }
}

@Suite struct StatusNameTests {
    @Test func codesAndNames() {
        #expect(VehicleStatus.allCases.map(\.rawValue) == Array(0...9))
        #expect(VehicleStatus.availableOnRoad.chineseName == "途中待命")
        #expect(VehicleStatus.standby.englishName == "standby at station")
        #expect(VehicleStatus.allCases.filter(\.isOnTask).count == 6)
        #expect(IncidentPriority.critical.chineseName == "危重")
        #expect(CallOutcome.misdial.chineseName == "误拨")
        #expect(SeatState(rawValue: "wrap-up") == .wrapUp)
    }
}

@Suite struct SourceHealthTests {
    /// Data confirmed a moment ago is current even when the wall clock has just been stepped an
    /// hour (NTP): its age is counted on the monotonic clock.
    @Test func aSteppedWallClockDoesNotAgeTheData() {
        let confirmed = Date()
        var health = SourceHealth(confirmedAt: confirmed, lastSnapshotAt: confirmed)
        health.confirmedUptime = .now
        for step in [3600.0, -7200.0] {
            let stepped = confirmed.addingTimeInterval(step)
            #expect(!health.isStale(now: stepped, threshold: 10))
            #expect((health.age(now: stepped) ?? .infinity) < 5)
        }
    }
}
