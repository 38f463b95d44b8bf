import Foundation
import WallboardDispatch

/// A snapshot with one of everything and every optional field set: its context is the schema
/// that layouts are checked against when they load.
enum SampleContext {
    static let stationID = "S1"

    static func snapshot() -> DispatchSnapshot {
        let now = Date(timeIntervalSince1970: 1_763_700_000)
        let station = Station(id: stationID, name: "越秀急救站", district: "越秀区", sortOrder: 1, latitude: 23.129, longitude: 113.264)
        let task = VehicleTask(
            id: "T1", incidentID: "I1", vehicleID: "V1", dispatchedAt: now.addingTimeInterval(-60),
            departedAt: now.addingTimeInterval(-10)
        )
        let vehicle = Vehicle(
            id: "V1", callSign: "急救1号", plate: "粤A·12345", stationID: stationID, statusCode: 2,
            statusSince: now.addingTimeInterval(-10), incidentID: "I1", task: task,
            latitude: 23.131, longitude: 113.27, heading: 90, positionAt: now.addingTimeInterval(-5)
        )
        let standby = Vehicle(
            id: "V2", callSign: "急救2号", plate: "粤A·23456", stationID: stationID, statusCode: 7,
            statusSince: now.addingTimeInterval(-600)
        )
        let incident = Incident(
            id: "I1", callID: "C1", receivedAt: now.addingTimeInterval(-120), answeredAt: now.addingTimeInterval(-115),
            dispatchedAt: now.addingTimeInterval(-60), priority: .critical, category: "疾病", complaint: "胸痛",
            incidentAddress: "中山一路1号", pickupAddress: "中山一路1号门口", landmark: "地铁站", district: "越秀区",
            casualties: 3, destinationHospital: "市第一人民医院", patientName: "张三", callbackPhone: "13812345678",
            latitude: 23.133, longitude: 113.28, vehicleIDs: ["V1"]
        )
        let call = Call(id: "C2", receivedAt: now.addingTimeInterval(-40), callerPhone: "13900000000")
        let seat = Seat(id: "P1", name: "1号台", dispatcherName: "李四", state: .talking, stateSince: now, currentCallID: "C2")
        let figures = DispatchFigures(
            callsToday: [CallTimes(receivedAt: now.addingTimeInterval(-40), answeredAt: nil, endedAt: nil, outcome: nil)],
            runsToday: [task], vehicles: [vehicle, standby], stations: [station], now: now, dayStart: now.addingTimeInterval(-3600)
        )
        let run = DayRun(
            dispatchedAt: now.addingTimeInterval(-60), departedAt: now.addingTimeInterval(-10), stationID: stationID,
            vehicleID: "V1", category: "疾病", emptyRunReason: "呼救方取消"
        )
        let day = DayFigures(
            calls: [DayCall(receivedAt: now.addingTimeInterval(-40), answeredAt: now.addingTimeInterval(-35), seatID: "P1")],
            runs: [run], stations: [station], seats: [seat], now: now, dayStart: now.addingTimeInterval(-3600),
            yesterdayStart: now.addingTimeInterval(-3600 - 86_400)
        )
        return DispatchSnapshot(
            takenAt: now, dayStart: now.addingTimeInterval(-3600), sourceVersion: 1, stations: [station],
            vehicles: [vehicle, standby], incidents: [incident], waitingCalls: [call], seats: [seat], figures: figures, issues: [],
            day: day
        )
    }

    /// The schema for a board of `kind` with `privacy`.
    static func context(kind: BoardKind, privacy: PrivacyClass) -> ContextValue {
        let snapshot = snapshot()
        let builder = ContextBuilder(identity: BoardIdentity(
            centreName: "急救指挥调度中心", stationID: kind == .door ? stationID : nil, privacy: privacy, timeZone: .gmt
        ))
        let state = DoorBoardState(snapshot: snapshot, stationID: stationID, now: snapshot.takenAt, hold: 60)
        let alert = kind == .door ? state.alerts.first.map { (index: 0, count: 1, alert: $0) } : nil
        return builder.context(for: snapshot, alert: alert)
    }
}
