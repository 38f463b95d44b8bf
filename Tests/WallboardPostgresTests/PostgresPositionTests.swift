import Foundation
import Testing
import WallboardDispatch
import WallboardLocalPostgres
import WallboardPostgres
import WallboardSimulator
import WallboardTestKit

/// The simulator's moving vehicles on a real PostgreSQL primary, read back by the PostgreSQL source.
@Suite(.serialized) struct PostgresPositionTests {
    /// 2026-11-21 09:00 in Shanghai.
    static let morning = 1_795_190_400.0 + 9 * 3600

    /// Seed 3's city from 08:00 to `end`, simulated into its own database on `server` and read back.
    static func simulatedCity(until end: Double, database: String, on server: LocalPostgresServer) async throws -> DispatchSnapshot {
        try server.psql("CREATE DATABASE \(database)")
        let settings = SimulationSettings(
            seed: 3, start: Date(timeIntervalSince1970: morning - 3600), end: Date(timeIntervalSince1970: end), followsClock: false
        )
        try await PostgresSimulationStore.simulate(
            settings, onto: try PostgresSettings(url: "postgresql://\(LocalPostgresServer.user)@\(server.address)/\(database)?sslmode=disable")
        )
        let running = RunningSource(hosts: [server], user: LocalPostgresServer.user, database: database)
        return try await eventually("a snapshot of \(database)", describe: { running.describe() }) { running.state.snapshot }
    }

    @Test func theSimulatedCitysVehiclesMoveBetweenTwoMomentsAMinuteApart() async throws {
        let server = try LocalPostgresServer.primary()
        let before = try await Self.simulatedCity(until: Self.morning, database: "morning", on: server)
        let after = try await Self.simulatedCity(until: Self.morning + 60, database: "minute_later", on: server)
        #expect(after.takenAt == Date(timeIntervalSince1970: Self.morning + 60))
        var moved = 0
        for vehicle in after.vehicles {
            let earlier = try #require(before.vehicles.first { $0.id == vehicle.id })
            let from = try #require(earlier.latitude.flatMap { latitude in earlier.longitude.map { (latitude, $0) } })
            let to = try #require(vehicle.latitude.flatMap { latitude in vehicle.longitude.map { (latitude, $0) } })
            let north = (to.0 - from.0) * 111, east = (to.1 - from.1) * 102.2
            let kilometres = (north * north + east * east).squareRoot()
            #expect(kilometres < 1, "\(vehicle.id) drove \(kilometres) km in a minute")
            if kilometres > 0.05 {
                moved += 1
                #expect((vehicle.positionAt ?? .distantPast) > (earlier.positionAt ?? .distantFuture))
            }
        }
        #expect(moved >= 3, "only \(moved) of \(after.vehicles.count) vehicles moved")
        #expect(after.issues.isEmpty, "\(after.issues)")
    }
}
