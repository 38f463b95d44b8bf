import Foundation
import GRDB
import Testing
import WallboardDispatch
import WallboardInterface
import WallboardSimulator
@testable import WallboardSQLite

/// 2026-11-21 09:00 in Shanghai: the morning peak.
private let morning = 1_795_190_400.0 + 9 * 3600

/// Kilometres between two reported positions, in the simulated city's scale.
func kilometres(_ a: (latitude: Double, longitude: Double), _ b: (latitude: Double, longitude: Double)) -> Double {
    let north = (a.latitude - b.latitude) * 111, east = (a.longitude - b.longitude) * 102.2
    return (north * north + east * east).squareRoot()
}

extension Vehicle {
    var reportedPosition: (latitude: Double, longitude: Double)? {
        guard let latitude, let longitude else { return nil }
        return (latitude, longitude)
    }
}

@Suite struct VehiclePositionTests {
    /// Seed 3's city from 08:00 to `end`, read through the SQLite source.
    private func simulatedCity(until end: Double, in directory: TemporaryDirectory) async throws -> DispatchSnapshot {
        let path = directory.path("city-\(Int(end)).db")
        let settings = SimulationSettings(
            seed: 3, start: Date(timeIntervalSince1970: morning - 3600), end: Date(timeIntervalSince1970: end), followsClock: false
        )
        try await DispatchSimulator(store: SQLiteSimulationStore(path: path), settings: settings).run()
        return try await SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai)).readSnapshotOnce()
    }

    @Test func theCitysVehiclesMoveBetweenTwoMomentsAMinuteApart() async throws {
        let directory = try TemporaryDirectory()
        let before = try await simulatedCity(until: morning, in: directory)
        let after = try await simulatedCity(until: morning + 60, in: directory)
        #expect(after.takenAt == Date(timeIntervalSince1970: morning + 60))
        var moved = 0
        for vehicle in after.vehicles {
            let earlier = try #require(before.vehicle(id: vehicle.id))
            let from = try #require(earlier.reportedPosition, "\(vehicle.id) has a position")
            let to = try #require(vehicle.reportedPosition, "\(vehicle.id) has a position")
            let distance = kilometres(from, to)
            #expect(distance < 1, "\(vehicle.id) drove \(distance) km in a minute")
            if distance > 0.05 {
                moved += 1
                #expect((vehicle.positionAt ?? .distantPast) > (earlier.positionAt ?? .distantFuture))
                #expect(vehicle.heading.map { (0..<360).contains($0) } == true)
            }
            if earlier.status == .standby, vehicle.status == .standby {
                let station = try #require(after.stations.first { $0.id == vehicle.stationID })
                let home = try #require(station.latitude.flatMap { latitude in station.longitude.map { (latitude, $0) } })
                #expect(kilometres(to, home) < 0.001, "\(vehicle.id) waits at its station")
                #expect(distance == 0)
            }
        }
        #expect(moved >= 3, "only \(moved) of \(after.vehicles.count) vehicles moved")
    }

    @Test func aVehicleOnItsWayToASceneGetsCloserToIt() async throws {
        let directory = try TemporaryDirectory()
        let before = try await simulatedCity(until: morning, in: directory)
        let after = try await simulatedCity(until: morning + 60, in: directory)
        var approaching = 0
        for vehicle in after.vehicles where vehicle.status == .enRoute {
            guard let earlier = before.vehicle(id: vehicle.id), earlier.status == .enRoute, earlier.incidentID == vehicle.incidentID,
                  let incident = after.incidents.first(where: { $0.id == vehicle.incidentID }),
                  let latitude = incident.latitude, let longitude = incident.longitude
            else { continue }
            let scene = (latitude: latitude, longitude: longitude)
            let from = try #require(earlier.reportedPosition)
            let to = try #require(vehicle.reportedPosition)
            #expect(kilometres(to, scene) < kilometres(from, scene), "\(vehicle.id) drives towards \(incident.id)")
            approaching += 1
        }
        #expect(approaching >= 1)
    }

    @Test func aDatabaseWithoutThePositionColumnsIsReadWithoutPositions() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("site.db")
        // The site's vehicles table predates the positions; the rest of the interface is as shipped.
        try SQLiteShell.run(path, """
            CREATE TABLE vehicles (id TEXT PRIMARY KEY NOT NULL, call_sign TEXT NOT NULL, plate TEXT NOT NULL DEFAULT '',
                station_id TEXT NOT NULL, status INTEGER NOT NULL DEFAULT 7, status_since REAL, incident_id TEXT, task_id TEXT);
            \(InterfaceSchema.sql)
            INSERT INTO stations (id, name, sort_order) VALUES ('S1', '城东分站', 1);
            INSERT INTO vehicles (id, call_sign, station_id, status, status_since) VALUES ('V1', '急救1号', 'S1', 7, \(sqlNow));
            """)
        let reader = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai))
        try reader.open()
        let snapshot = try reader.readSnapshot()
        let vehicle = try #require(snapshot.vehicle(id: "V1"))
        #expect(vehicle.status == .standby)
        #expect(vehicle.latitude == nil && vehicle.longitude == nil && vehicle.heading == nil && vehicle.positionAt == nil)
        #expect(snapshot.issues.isEmpty)

        try SQLiteShell.run(path, "ALTER TABLE vehicles ADD COLUMN latitude REAL; ALTER TABLE vehicles ADD COLUMN longitude REAL;")
        #expect {
            try reader.readSnapshot()
        } throws: { error in
            let problem = error as? SourceProblem
            return problem?.kind == .interfaceMismatch && problem?.message.contains("lacks heading, position_at") == true
        }

        try SQLiteShell.run(path, """
            ALTER TABLE vehicles ADD COLUMN heading REAL; ALTER TABLE vehicles ADD COLUMN position_at REAL;
            UPDATE vehicles SET latitude = 23.14, longitude = 113.27, heading = 270, position_at = \(sqlNow) - 30;
            """)
        let located = try #require(try reader.readSnapshot().vehicle(id: "V1"))
        #expect((located.latitude, located.longitude, located.heading) == (23.14, 113.27, 270))
        #expect(located.positionAt.map { Date().timeIntervalSince($0) }.map { (25...40).contains($0) } == true)
    }

    @Test func aPastMomentKnowsOnlyPositionsReportedByThen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dispatch.db")
        try makeFixtureDatabase(at: path)
        let moment = Date().addingTimeInterval(-600)
        try SQLiteShell.run(path, """
            INSERT INTO vehicle_status_log (vehicle_id, status, at) VALUES ('V1', 7, \(sqlNow) - 3600), ('V2', 7, \(sqlNow) - 3600);
            UPDATE vehicles SET latitude = 23.14, longitude = 113.27, heading = 90, position_at = \(sqlNow) - 1200 WHERE id = 'V1';
            UPDATE vehicles SET latitude = 23.15, longitude = 113.28, heading = 0, position_at = \(sqlNow) - 60 WHERE id = 'V2';
            """)
        let reader = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai))
        try reader.open()
        let past = try reader.readSnapshot(at: moment)
        #expect(past.vehicle(id: "V1")?.reportedPosition.map { $0 == (23.14, 113.27) } == true, "reported before the moment and not since")
        let v2 = try #require(past.vehicle(id: "V2"))
        #expect(v2.latitude == nil && v2.longitude == nil && v2.heading == nil && v2.positionAt == nil, "where V2 was then is not kept")
    }

    @Test func theShippedDemoMapIsTheSimulatedCitys() throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Layouts/city.geojson")
        #expect(try String(contentsOf: shipped, encoding: .utf8) == SimulatedCityMap.geoJSON,
                "regenerate it: wallboard simulate --geojson Layouts/city.geojson")
    }
}
