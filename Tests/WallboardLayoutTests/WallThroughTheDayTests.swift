import Foundation
import Testing
import WallboardDispatch
import WallboardExport
@testable import WallboardLayout
import WallboardRender
import WallboardSQLite
import WallboardSimulator

/// The wall layouts drawn from the simulated city (seed 3, a day and a half from 2026-11-19 00:00,
/// read through the SQLite source) at three moments of 2026-11-20: the small hours, the morning
/// peak, and a mass-casualty incident with five vehicles. Each frame must match its golden PNG;
/// `WALLBOARD_UPDATE_GOLDEN=1` rewrites them (look at them before committing).
@Suite struct WallThroughTheDayTests {
    enum Moment: String, CaseIterable, Sendable {
        case smallHours = "0330"
        case morningPeak = "0930"
        case massCasualty = "1405"

        /// The moment in Shanghai on 2026-11-20.
        var date: Date {
            let hours = Double(rawValue.prefix(2)) ?? 0, minutes = Double(rawValue.suffix(2)) ?? 0
            return Date(timeIntervalSince1970: WallThroughTheDayTests.dayStart + hours * 3600 + minutes * 60)
        }
    }

    /// 2026-11-20 00:00 in Shanghai.
    static let dayStart = 1_795_104_000.0
    static let walls = ["wall-1920x1080.yaml", "wall-3840x2160.yaml", "wall-5760x3240-3x3.yaml", "wall-384x192-rgb.yaml"]

    /// The city at `date`: the simulation from the day before up to it, as the source reads it.
    static func city(at date: Date) async throws -> DispatchSnapshot {
        try await simulatedCity(until: date) { try await $0.readSnapshotOnce() }
    }

    /// The city at `moment` as a replay rebuilds it from the simulation run on to `end`.
    static func replay(at moment: Date, simulatedUntil end: Date) async throws -> DispatchSnapshot {
        try await simulatedCity(until: end) { try await $0.snapshot(at: moment) }
    }

    /// The simulation from the day before up to `end`, read by `read` through the SQLite source.
    private static func simulatedCity(
        until end: Date, _ read: (SQLiteDispatchSource) async throws -> DispatchSnapshot
    ) async throws -> DispatchSnapshot {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-day-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("city.db").path
        let settings = SimulationSettings(seed: 3, start: Date(timeIntervalSince1970: dayStart - 86400), end: end, followsClock: false)
        try await DispatchSimulator(store: SQLiteSimulationStore(path: path), settings: settings).run()
        return try await read(SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai)))
    }

    /// The three moments, simulated once for every test here.
    static let moments = Task { () throws -> [Moment: DispatchSnapshot] in
        try await withThrowingTaskGroup(of: (Moment, DispatchSnapshot).self) { group in
            for moment in Moment.allCases {
                group.addTask { (moment, try await city(at: moment.date)) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
    }

    static func snapshot(_ moment: Moment) async throws -> DispatchSnapshot {
        try #require(try await moments.value[moment])
    }

    static func frame(_ file: String, _ snapshot: DispatchSnapshot) throws -> (Bitmap, RenderOutput) {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        let (frame, output) = try Fixture.renderer(layout).render(snapshot, at: snapshot.takenAt)
        return (frame.bitmap, output)
    }

    @Test func theMomentsAreWhatTheirNamesSay() async throws {
        let night = try await Self.snapshot(.smallHours)
        let peak = try await Self.snapshot(.morningPeak)
        let mass = try await Self.snapshot(.massCasualty)
        #expect(night.takenAt == Moment.smallHours.date)
        #expect(night.figures.vehiclesOnTask < peak.figures.vehiclesOnTask, "\(night.figures.vehiclesOnTask) on task at night, \(peak.figures.vehiclesOnTask) at the peak")
        let largest = try #require(mass.incidents.max { $0.vehicleIDs.count < $1.vehicleIDs.count })
        #expect(largest.casualties >= 3 && largest.vehicleIDs.count >= 4, "\(largest.id): \(largest.casualties) casualties, \(largest.vehicleIDs)")
        #expect(mass.day?.hours.contains { $0.callsYesterday > 0 } == true, "the day before is simulated too")
    }

    /// The ticker calls out the mass-casualty incident with its count and place, the district
    /// said once whether or not the address already starts with it.
    @Test func theTickerCallsOutTheMassCasualtyIncident() async throws {
        let mass = try await Self.snapshot(.massCasualty)
        let incident = try #require(mass.incidents.max { $0.casualties < $1.casualties })
        let identity = BoardIdentity(centreName: "中心", privacy: .internal, timeZone: DayBoundary.shanghai.timeZone)
        func alerts(_ snapshot: DispatchSnapshot) -> [String] {
            guard case .list(let alerts)? = ContextBuilder(identity: identity).context(for: snapshot).lookup("alerts") else { return [] }
            return alerts.compactMap { $0.lookup("text")?.display }
        }
        #expect(incident.incidentAddress.hasPrefix(incident.district), "the simulator's addresses start with their district")
        #expect(alerts(mass).contains("成批伤员 \(incident.casualties)人 \(incident.incidentAddress)"), "\(alerts(mass))")
        var withoutDistrict = mass
        let index = try #require(withoutDistrict.incidents.firstIndex { $0.id == incident.id })
        withoutDistrict.incidents[index].incidentAddress = String(incident.incidentAddress.dropFirst(incident.district.count))
        #expect(alerts(withoutDistrict).contains("成批伤员 \(incident.casualties)人 \(incident.incidentAddress)"), "\(alerts(withoutDistrict))")
    }

    @Test(arguments: walls, Moment.allCases)
    func matchesItsGoldenPicture(file: String, moment: Moment) async throws {
        let (bitmap, output) = try Self.frame(file, try await Self.snapshot(moment))
        #expect(output.missing.isEmpty, "\(file) could not draw \(output.missing)")
        try ShippedLayoutTests.expectGolden(bitmap, named: file.replacingOccurrences(of: ".yaml", with: "-\(moment.rawValue).png"))
    }

    /// A replay of 10:30, rebuilt from the city simulated on to noon: the seats panel shows every
    /// seat as its history left it, lit as the live wall was (not the empty panel of a past moment
    /// without seats).
    @Test func aReplayShowsTheSeatsPanelAsItWas() async throws {
        let moment = Date(timeIntervalSince1970: Self.dayStart + 10.5 * 3600)
        let replayed = try await Self.replay(at: moment, simulatedUntil: moment.addingTimeInterval(1.5 * 3600))
        #expect(replayed.seats.count == 3 && replayed.seats.allSatisfy { $0.state != nil && !$0.dispatcherName.isEmpty }, "\(replayed.seats)")
        let file = "wall-1920x1080.yaml"
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        let panel = try #require(layout.states.values.joined().first { $0.kind is SeatPanelKind }).rect
        let (bitmap, output) = try Self.frame(file, replayed)
        #expect(output.missing.isEmpty, "\(file) could not draw \(output.missing)")
        var lit = 0
        for y in panel.y..<panel.y + panel.height {
            for x in panel.x..<panel.x + panel.width where bitmap.isLit(x: x, y: y) { lit += 1 }
        }
        #expect(lit >= 1000, "only \(lit) pixels of the seats panel are drawn")
        try ShippedLayoutTests.expectGolden(bitmap, named: "wall-1920x1080-replay-1030.png")
    }

    /// The map on the wall shows the vehicles where they are: a minute later, some have moved.
    @Test func theMapsVehiclesMoveBetweenTwoMomentsAMinuteApart() async throws {
        let before = try await Self.snapshot(.morningPeak)
        let after = try await Self.city(at: Moment.morningPeak.date.addingTimeInterval(60))
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent("wall-1920x1080.yaml"))
        let map = try #require(layout.states.values.joined().first { $0.kind is MapKind }).rect
        let renderer = try Fixture.renderer(layout)
        let drawn = [before, after].map { renderer.render($0, at: $0.takenAt).frame.bitmap }
        var changed = 0
        for y in map.y..<map.y + map.height {
            for x in map.x..<map.x + map.width where drawn[0].colour(x: x, y: y) != drawn[1].colour(x: x, y: y) {
                changed += 1
            }
        }
        let moved = after.vehicles.filter { vehicle in
            guard let earlier = before.vehicles.first(where: { $0.id == vehicle.id }) else { return false }
            return earlier.latitude != vehicle.latitude || earlier.longitude != vehicle.longitude
        }
        #expect(moved.count >= 3, "only \(moved.map(\.callSign)) moved")
        #expect(changed >= moved.count * 4, "\(changed) map pixels changed for \(moved.count) moved vehicles")
    }
}
