import Foundation
import Testing
import WallboardDispatch
import WallboardTestKit
@testable import WallboardService

/// A board binds a new snapshot only when the part of it its layout can show changed: a
/// dispatch at another station is drawn without binding, one at its own station is bound.
@Suite(.serialized) struct SnapshotPartTests {
    static let now = Date(timeIntervalSince1970: 1_795_140_000)
    static let doorScope = ReadScope(stationIDs: ["S1"], parts: [.incidentCallers])

    /// Two stations, a vehicle each, on standby; no call waiting.
    static func snapshot(vehicles: [Vehicle]? = nil, incidents: [Incident] = [], calls: [Call] = []) -> DispatchSnapshot {
        let stations = [Station(id: "S1", name: "一站", district: "", sortOrder: 1), Station(id: "S2", name: "二站", district: "", sortOrder: 2)]
        let vehicles = vehicles ?? [
            Vehicle(id: "V1", callSign: "急救1号", plate: "粤A·00001", stationID: "S1", statusCode: 7),
            Vehicle(id: "V2", callSign: "急救2号", plate: "粤A·00002", stationID: "S2", statusCode: 7),
        ]
        return DispatchSnapshot(
            takenAt: now, dayStart: now.addingTimeInterval(-3600), sourceVersion: 1, stations: stations, vehicles: vehicles, incidents: incidents,
            waitingCalls: calls, seats: [],
            figures: DispatchFigures(callsToday: [], runsToday: [], vehicles: vehicles, stations: stations, now: now, dayStart: now.addingTimeInterval(-3600)),
            issues: []
        )
    }

    static func dispatched(_ vehicle: String, station: String, to incident: String) -> Vehicle {
        let task = VehicleTask(id: incident + "-T", incidentID: incident, vehicleID: vehicle, dispatchedAt: now)
        return Vehicle(id: vehicle, callSign: "急救\(vehicle.dropFirst())号", plate: "粤A·0000\(vehicle.dropFirst())", stationID: station, statusCode: 1, incidentID: incident, task: task)
    }

    static func incident(_ id: String, vehicles: [String]) -> Incident {
        Incident(id: id, receivedAt: now, priority: .urgent, category: "疾病", complaint: "胸痛", incidentAddress: "测试路1号", pickupAddress: "测试路1号东门", vehicleIDs: vehicles)
    }

    @Test func anotherStationsDispatchLeavesTheStationsPartAsItWas() throws {
        let idle = try #require(SnapshotPart(Self.snapshot(), readBy: Self.doorScope))
        let elsewhere = Self.snapshot(
            vehicles: [Self.snapshot().vehicles[0], Self.dispatched("V2", station: "S2", to: "I2")],
            incidents: [Self.incident("I2", vehicles: ["V2"])],
            calls: [Call(id: "C2", receivedAt: Self.now, incidentID: "I2", callerPhone: "13900000000")]
        )
        #expect(SnapshotPart(elsewhere, readBy: Self.doorScope) == idle)
        let read = Self.snapshot(vehicles: [Self.snapshot().vehicles[0], Self.snapshot().vehicles[1]], incidents: [], calls: [])
        #expect(SnapshotPart(read, readBy: Self.doorScope) == idle, "another read of the same rows is the same part")
    }

    @Test func whatTheStationsBoardsShowChangesItsPart() throws {
        let ownDispatch = Self.snapshot(
            vehicles: [Self.dispatched("V1", station: "S1", to: "I1"), Self.snapshot().vehicles[1]], incidents: [Self.incident("I1", vehicles: ["V1"])]
        )
        let alerting = try #require(SnapshotPart(ownDispatch, readBy: Self.doorScope))
        #expect(alerting != SnapshotPart(Self.snapshot(), readBy: Self.doorScope))
        // A call about its incident: its number is scrubbed from the incident's text.
        var calling = ownDispatch
        calling.waitingCalls = [Call(id: "C1", receivedAt: Self.now, incidentID: "I1", callerPhone: "13900000000")]
        #expect(SnapshotPart(calling, readBy: Self.doorScope) != alerting)
        // Another station's vehicle joins its incident: the incident shows its call sign.
        var joined = ownDispatch
        joined.vehicles[1] = Self.dispatched("V2", station: "S2", to: "I1")
        joined.incidents = [Self.incident("I1", vehicles: ["V1", "V2"])]
        #expect(SnapshotPart(joined, readBy: Self.doorScope) != alerting)
        var renamed = joined
        renamed.vehicles[1].callSign = "急救22号"
        #expect(SnapshotPart(renamed, readBy: Self.doorScope) != SnapshotPart(joined, readBy: Self.doorScope))
    }

    @Test func thePartsAScopeReadsAreInItsPart() throws {
        var calls = Self.snapshot()
        calls.waitingCalls = [Call(id: "C9", receivedAt: Self.now, callerPhone: "13900000000")]
        #expect(SnapshotPart(calls, readBy: Self.doorScope) == SnapshotPart(Self.snapshot(), readBy: Self.doorScope))
        let strip = ReadScope(stationIDs: ["S1"], parts: [.waitingCalls, .dayTallies])
        #expect(SnapshotPart(calls, readBy: strip) != SnapshotPart(Self.snapshot(), readBy: strip))
        #expect(SnapshotPart(Self.snapshot(), readBy: .wholeCentre) == nil, "the whole centre's boards bind every read")
    }

    /// Two stations' door boards: a dispatch at one is bound by its board only; the other draws
    /// the snapshot without binding it, and binds its own station's dispatch.
    @Test func aBoardBindsOnlyWhatItsStationShows() async throws {
        let city = try await ServiceTests.TwoStations()
        let (database, own, other, service, ownBoard, otherBoard) = (city.database, city.own, city.other, city.service, city.ownBoard, city.otherBoard)
        @Sendable func bound(_ board: String) throws -> Int {
            let pattern = "wallboard_snapshots_bound_total{board=\"\(board)\"} "
            let line = try #require(service.metrics.exposition(snapshotAge: nil).split(separator: "\n").first { $0.hasPrefix(pattern) })
            return try #require(Int(line.dropFirst(pattern.count)))
        }
        try await withRunningBoards(service) {
            _ = try await frame(of: ownBoard) { $0.texts.first == own.name }
            _ = try await frame(of: otherBoard) { $0.texts.first == other.name }
            let before = (own: try bound("own"), other: try bound("other"))
            try await database.dispatch(vehicle: own.vehicle)
            _ = try await frame(of: ownBoard) { $0.texts.first?.hasPrefix(own.callSign) == true }
            let generation = service.feed.current.generation
            try await eventually("the other board draws the dispatch's snapshot") { (otherBoard.drawnGeneration ?? -1) >= generation }
            #expect(try bound("own") > before.own)
            #expect(try bound("other") == before.other, "another station's dispatch is not bound")
            #expect(otherBoard.frame?.texts.first == other.name)

            try await database.dispatch(vehicle: other.vehicle, incident: "TEST-2")
            _ = try await frame(of: otherBoard) { $0.texts.first?.hasPrefix(other.callSign) == true }
            #expect(try bound("other") > before.other)
        }
    }
}
