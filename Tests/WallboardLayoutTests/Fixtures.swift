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
            Station(id: "S1", name: "越秀急救站", district: "越秀区", sortOrder: 1),
            Station(id: "S2", name: "天河急救站", district: "天河区", sortOrder: 2),
        ]
        let dispatchedAt = now.addingTimeInterval(-dispatchedSecondsAgo)
        let task = VehicleTask(
            id: "T1", incidentID: "I1", vehicleID: "V1", dispatchedAt: dispatchedAt,
            departedAt: departed ? dispatchedAt.addingTimeInterval(60) : nil
        )
        var vehicles = [
            Vehicle(id: "V1", callSign: "急救3号", plate: "粤A·12345", stationID: "S1", statusCode: departed ? 2 : 1, statusSince: dispatchedAt, incidentID: "I1", task: task),
            Vehicle(id: "V2", callSign: "急救5号", plate: "粤A·23456", stationID: "S1", statusCode: 7, statusSince: now.addingTimeInterval(-3600)),
            Vehicle(id: "V3", callSign: "急救8号", plate: "粤A·34567", stationID: "S2", statusCode: 3, statusSince: now.addingTimeInterval(-300), incidentID: "I2"),
            Vehicle(id: "V4", callSign: "急救9号", plate: "粤A·45678", stationID: "S2", statusCode: 9, statusSince: now.addingTimeInterval(-7200)),
        ]
        var incidents = [
            Incident(
                id: "I1", receivedAt: dispatchedAt.addingTimeInterval(-70), answeredAt: dispatchedAt.addingTimeInterval(-66),
                dispatchedAt: dispatchedAt, priority: priority, category: "疾病", complaint: "胸痛2小时伴大汗",
                incidentAddress: "中山五路219号", pickupAddress: "中山五路219号北门", landmark: "公园前地铁站",
                district: "越秀区", patientName: patientName, callbackPhone: phone, vehicleIDs: ["V1"]
            ),
            Incident(
                id: "I2", receivedAt: now.addingTimeInterval(-900), dispatchedAt: now.addingTimeInterval(-840),
                priority: .urgent, category: "车祸", complaint: "两车相撞 1人受伤", incidentAddress: "天河路385号",
                pickupAddress: "天河路385号", district: "天河区", patientName: "李四", callbackPhone: "13900001111",
                vehicleIDs: ["V3"]
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
        return DispatchSnapshot(
            takenAt: now, dayStart: now.addingTimeInterval(-52_200), sourceVersion: 7, stations: stations, vehicles: vehicles,
            incidents: incidents, waitingCalls: calls, seats: [], figures: figures, issues: []
        )
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
