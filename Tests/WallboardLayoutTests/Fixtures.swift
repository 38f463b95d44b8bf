import Foundation
import WallboardDispatch
import WallboardFonts
import WallboardLayout
import WallboardText

/// A small city at a fixed moment: two stations, vehicles in several states, two incidents.
enum Fixture {
    /// 2026-11-21 14:30:00 in Beijing time.
    static let now = Date(timeIntervalSince1970: 1_795_242_600)
    static let beijing = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    static func snapshot(
        dispatchedSecondsAgo: Double = 95, departed: Bool = false, priority: IncidentPriority = .critical,
        patientName: String = "王小明", phone: String = "13812345678", secondAlert: Bool = false
    ) -> DispatchSnapshot {
        let stations = [
            Station(id: "S1", name: "越秀急救站", district: "越秀区", sortOrder: 1, latitude: 23.129, longitude: 113.264),
            Station(id: "S2", name: "天河急救站", district: "天河区", sortOrder: 2, latitude: 23.135, longitude: 113.330),
        ]
        let dispatchedAt = now.addingTimeInterval(-dispatchedSecondsAgo)
        let task = VehicleTask(
            id: "T1", incidentID: "I1", vehicleID: "V1", dispatchedAt: dispatchedAt,
            departedAt: departed ? dispatchedAt.addingTimeInterval(60) : nil
        )
        var vehicles = [
            Vehicle(
                id: "V1", callSign: "急救3号", plate: "粤A·12345", stationID: "S1", statusCode: departed ? 2 : 1, statusSince: dispatchedAt, incidentID: "I1", task: task,
                latitude: 23.1285, longitude: 113.268, heading: 90, positionAt: now.addingTimeInterval(-5)
            ),
            Vehicle(id: "V2", callSign: "急救5号", plate: "粤A·23456", stationID: "S1", statusCode: 7, statusSince: now.addingTimeInterval(-3600), latitude: 23.129, longitude: 113.264),
            Vehicle(
                id: "V3", callSign: "急救8号", plate: "粤A·34567", stationID: "S2", statusCode: 3, statusSince: now.addingTimeInterval(-300), incidentID: "I2",
                latitude: 23.137, longitude: 113.325
            ),
            Vehicle(id: "V4", callSign: "急救9号", plate: "粤A·45678", stationID: "S2", statusCode: 9, statusSince: now.addingTimeInterval(-7200), latitude: 23.135, longitude: 113.330),
        ]
        var incidents = [
            Incident(
                id: "I1", receivedAt: dispatchedAt.addingTimeInterval(-70), answeredAt: dispatchedAt.addingTimeInterval(-66),
                dispatchedAt: dispatchedAt, priority: priority, category: "疾病", complaint: "胸痛2小时伴大汗",
                incidentAddress: "中山五路219号", pickupAddress: "中山五路219号北门", landmark: "公园前地铁站",
                district: "越秀区", patientName: patientName, callbackPhone: phone, latitude: 23.127, longitude: 113.278, vehicleIDs: ["V1"]
            ),
            Incident(
                id: "I2", receivedAt: now.addingTimeInterval(-900), dispatchedAt: now.addingTimeInterval(-840),
                priority: .urgent, category: "车祸", complaint: "两车相撞 1人受伤", incidentAddress: "天河路385号",
                pickupAddress: "天河路385号", district: "天河区", patientName: "李四", callbackPhone: "13900001111",
                latitude: 23.137, longitude: 113.325, vehicleIDs: ["V3"]
            ),
        ]
        var runs = [task]
        if secondAlert {
            let second = VehicleTask(id: "T5", incidentID: "I5", vehicleID: "V2", dispatchedAt: now.addingTimeInterval(-20))
            vehicles[1] = Vehicle(id: "V2", callSign: "急救5号", plate: "粤A·23456", stationID: "S1", statusCode: 1, statusSince: now.addingTimeInterval(-20), incidentID: "I5", task: second)
            incidents.append(Incident(
                id: "I5", receivedAt: now.addingTimeInterval(-80), dispatchedAt: now.addingTimeInterval(-20), priority: .routine,
                category: "疾病", complaint: "发热", incidentAddress: "东风中路300号", pickupAddress: "东风中路300号",
                district: "越秀区", patientName: "赵六", callbackPhone: "13700002222", vehicleIDs: ["V2"]
            ))
            runs.append(second)
        }
        let calls = [Call(id: "C9", receivedAt: now.addingTimeInterval(-12), callerPhone: "13600003333")]
        let figures = DispatchFigures(
            callsToday: calls.map { CallTimes(receivedAt: $0.receivedAt ?? now, answeredAt: nil, endedAt: nil, outcome: nil) },
            runsToday: runs, vehicles: vehicles, stations: stations, now: now, dayStart: now.addingTimeInterval(-52_200)
        )
        let seats = [
            Seat(id: "P1", name: "1号台", dispatcherName: "刘娜", state: .talking, stateSince: now.addingTimeInterval(-95)),
            Seat(id: "P2", name: "2号台", dispatcherName: "陈静", state: .idle, stateSince: now.addingTimeInterval(-40)),
            Seat(id: "P3", name: "3号台", dispatcherName: "周强", state: .wrapUp, stateSince: now.addingTimeInterval(-20)),
            Seat(id: "P4", name: "4号台", dispatcherName: "吴磊", state: .away, stateSince: now.addingTimeInterval(-600)),
        ]
        return DispatchSnapshot(
            takenAt: now, dayStart: now.addingTimeInterval(-52_200), sourceVersion: 7, stations: stations, vehicles: vehicles,
            incidents: incidents, waitingCalls: calls, seats: seats, figures: figures, issues: [],
            day: day(stations: stations, seats: seats)
        )
    }

    /// A day's calls and runs shaped like a city's: quiet at night, a morning peak, busy afternoons.
    static func day(stations: [Station], seats: [Seat]) -> DayFigures {
        let dayStart = now.addingTimeInterval(-52_200), yesterdayStart = dayStart.addingTimeInterval(-86_400)
        let today = [3, 2, 2, 1, 1, 2, 4, 8, 12, 14, 13, 12, 11, 12, 13]
        let yesterday = [4, 3, 2, 2, 1, 2, 5, 9, 13, 15, 14, 12, 12, 13, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5]
        let categories = ["疾病", "疾病", "创伤", "疾病", "车祸", "疾病", "中毒", "创伤", "分娩"]
        let delays: [Double] = [45, 70, 95, 130, 200, 60, 110]
        var calls: [DayCall] = [], runs: [DayRun] = []
        for (start, counts) in [(dayStart, today), (yesterdayStart, yesterday)] {
            for (hour, count) in counts.enumerated() {
                for index in 0..<count {
                    let at = start.addingTimeInterval(Double(hour) * 3600 + Double(index) * 3600 / Double(count))
                    calls.append(DayCall(receivedAt: at, answeredAt: at.addingTimeInterval(6), seatID: seats[(hour + index) % seats.count].id))
                    guard index % 3 != 2 else { continue }
                    let number = runs.count
                    runs.append(DayRun(
                        dispatchedAt: at.addingTimeInterval(90), departedAt: at.addingTimeInterval(90 + delays[number % delays.count]),
                        stationID: stations[number % stations.count].id, vehicleID: "V\(number % 4 + 1)",
                        category: categories[number % categories.count], emptyRunReason: number % 11 == 5 ? "呼救方取消" : nil
                    ))
                }
            }
        }
        return DayFigures(calls: calls, runs: runs, stations: stations, seats: seats, now: now, dayStart: dayStart, yesterdayStart: yesterdayStart)
    }

    /// One library for all tests, so each font is parsed once.
    static let fontLibrary = Result { try FontLibrary.locate() }

    static func loader() throws -> LayoutLoader {
        let library = try fontLibrary.get()
        return LayoutLoader(fontNames: library.names + FontLibrary.namedChains.map(\.name))
    }

    static var layoutsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Layouts")
    }

    static func renderer(_ layout: Layout, stationID: String? = "S1") throws -> BoardRenderer {
        let library = try fontLibrary.get()
        let identity = BoardIdentity(centreName: "广州市急救医疗指挥中心", stationID: layout.kind == .door ? stationID : nil, privacy: layout.privacy, timeZone: beijing)
        return BoardRenderer(layout: layout, identity: identity, fonts: try FontSet(layout: layout) { try library.chain($0) })
    }
}
