import Foundation
import Testing
import WallboardDispatch
@testable import WallboardLayout
import WallboardRender
import WallboardTestKit

/// The map drawn small enough to see every pixel: one square district with a hole, one road,
/// and the live layers of `ChartWidgetTests.snapshot()`.
@Suite struct MapWidgetTests {
    /// A district from 113.2°E to 113.4°E and 23.0°N to 23.2°N with a hole in its middle, and a road across it.
    static let geojson = """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"name": "1"}, "geometry": {"type": "Polygon", "coordinates": [
            [[113.2, 23.0], [113.4, 23.0], [113.4, 23.2], [113.2, 23.2], [113.2, 23.0]],
            [[113.28, 23.08], [113.32, 23.08], [113.32, 23.12], [113.28, 23.12], [113.28, 23.08]]
          ]}},
          {"type": "Feature", "properties": {"highway": "primary"}, "geometry": {"type": "LineString", "coordinates": [
            [113.2, 22.99], [113.4, 22.99]
          ]}}
        ]}
        """

    static func file(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-map-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("city.geojson")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func map(_ extra: String = "", file: String, width: Int = 16, height: Int = 12, bounds: String = "[113.2, 22.98, 113.4, 23.2]") -> String {
        """
            - map:
                geojson: \(file)
                bounds: \(bounds)
                font: tiny
                district: "#0000FF"
                outline: "#00FFFF"
                road: "#FFFF00"
                names: white
                stations: white
                vehicleSize: 1
                colours:
                  7: green
                  2: red
                priorities:
                  critical: "#FF00FF"
        \(extra)
              rect: [0, 0, \(width), \(height)]
        """
    }

    @Test func districtsRoadsStationsIncidentsAndVehicles() throws {
        let file = try Self.file(Self.geojson)
        let (bitmap, output) = try ChartWidgetTests.picture(Self.map("        links: amber", file: file), width: 16, height: 12)
        // The district (blue, outlined cyan) with its hole, the road (yellow) along its south edge,
        // station A (a white square) on its west edge, the name "1" in the middle, vehicle 2 (red,
        // en route) linked in amber to the critical incident (magenta), vehicle 4 (green) at the station.
        expectPicture(bitmap, """
            ..ccccccccmccc..
            ..cbbrbbbmmmbc..
            ..cbrrrammmmmc..
            wwwwwrbwbmmmbc..
            w.cbwbwwccmbbc..
            w.cbwbcw.cbbbc..
            w.cbwbcwccbbbc..
            wwwwwbwwwbgbbc..
            ..cbbbbbbgggbc..
            ..cbbbbbbbgbbc..
            ..cccccccccccc..
            ..yyyyyyyyyyyy..
            """)
        #expect(output.strings == ["1"], "the district's name")
    }

    @Test func criticalIncidentsBlink() throws {
        let file = try Self.file(Self.geojson)
        let shown = try ChartWidgetTests.picture(Self.map(file: file), width: 16, height: 12).0
        let hidden = try ChartWidgetTests.picture(Self.map(file: file), width: 16, height: 12, at: ChartWidgetTests.now.addingTimeInterval(0.5)).0
        let magenta = AsciiPicture.value(for: "m", format: .rgb)
        #expect(shown.pixels.contains { $0 == magenta })
        #expect(!hidden.pixels.contains { $0 == magenta })
    }

    /// A GCJ-02 map draws a GPS (WGS-84) position where the GCJ-02 offset puts it: in Guangzhou
    /// some 500 m east and 300 m south of its WGS-84 place.
    @Test func aGCJ02MapShiftsGPSPositions() throws {
        let file = try Self.file(Self.geojson)
        // 0.02° square around the vehicle at 23.15°N 113.25°E, 200 px wide.
        let bounds = "[113.24, 23.14, 113.26, 23.16]"
        func vehicleCentre(_ datum: String) throws -> (x: Int, y: Int) {
            let (bitmap, _) = try ChartWidgetTests.picture(Self.map("        datum: \(datum)", file: file, width: 200, height: 200, bounds: bounds), width: 200, height: 200)
            let red = AsciiPicture.value(for: "r", format: .rgb)
            let lit = (0..<200).flatMap { y in (0..<200).map { (x: $0, y: y) } }.filter { bitmap[$0.x, $0.y] == red }
            #expect(lit.count == 5, "a disc of radius 1")
            return (lit.map(\.x).reduce(0, +) / max(1, lit.count), lit.map(\.y).reduce(0, +) / max(1, lit.count))
        }
        let wgs = try vehicleCentre("wgs-84"), gcj = try vehicleCentre("gcj-02")
        let shifted = GCJ02.fromWGS84(GeoPoint(latitude: 23.15, longitude: 113.25))
        let pixelsPerDegree = 200 / 0.02
        let expectedX = Int(((shifted.longitude - 113.24) * cos(23.15 * .pi / 180) * pixelsPerDegree + (200 - 0.02 * cos(23.15 * .pi / 180) * pixelsPerDegree) / 2).rounded(.down))
        #expect(gcj.x > wgs.x + 40, "east")
        #expect(gcj.y > wgs.y + 20, "south")
        #expect(abs(gcj.x - expectedX) <= 1)
        #expect(abs(gcj.y - Int(((23.16 - shifted.latitude) * pixelsPerDegree).rounded(.down))) <= 1)
    }

    /// Positions come from the dispatch database: absurd ones are left off the map, never a crash.
    @Test func positionsOffTheEarthAreNotDrawn() throws {
        let file = try Self.file(Self.geojson)
        var snapshot = ChartWidgetTests.snapshot()
        snapshot.vehicles[1].latitude = 1e300
        snapshot.vehicles[3].longitude = -.infinity
        snapshot.incidents[0].latitude = .nan
        let (bitmap, _) = try ChartWidgetTests.picture(Self.map(file: file), width: 16, height: 12, snapshot: snapshot)
        for colour in ["r", "g", "m"] {
            let value = AsciiPicture.value(for: Character(colour), format: .rgb)
            #expect(!bitmap.pixels.contains { $0 == value }, "nothing drawn in \(colour)")
        }
    }

    /// Vehicles moving one or many at a time, appearing, going and changing status, and the
    /// critical incident blinking and moving: a rebound map draws exactly what a map bound afresh draws.
    @Test func aReboundMapDrawsWhatAFreshOneDraws() throws {
        let file = try Self.file(Self.geojson)
        let renderer = try WidgetPictureTests.board(
            Self.map("        links: amber", file: file, width: 300, height: 200), kind: .wall, width: 300, height: 200, format: .rgb
        )
        var generator = SeededGenerator(seed: 12)
        func random(_ range: ClosedRange<Double>) -> Double { range.lowerBound + Double(generator.next() % 10_000) / 10_000 * (range.upperBound - range.lowerBound) }
        var snapshot = ChartWidgetTests.snapshot()
        var bound = renderer.bind(snapshot, staleSince: nil)
        for step in 0..<40 {
            let count = step % 5 == 0 ? snapshot.vehicles.count : 1
            for _ in 0..<count {
                let index = Int(generator.next() % UInt64(snapshot.vehicles.count))
                snapshot.vehicles[index].latitude = random(22.98...23.2)
                snapshot.vehicles[index].longitude = random(113.2...113.4)
            }
            if step % 7 == 3 { snapshot.vehicles[0].statusCode = [2, 7][step % 2] }
            if step % 3 == 1 {
                // The critical incident, which blinks on its own, moves.
                snapshot.incidents[0].latitude = random(22.98...23.2)
                snapshot.incidents[0].longitude = random(113.2...113.4)
            }
            if step % 11 == 5 { snapshot.vehicles.append(Vehicle(id: "N\(step)", callSign: "\(step)", plate: "", stationID: "S1", statusCode: 7, latitude: 23.1, longitude: 113.3)) }
            if step % 13 == 8 { snapshot.vehicles.removeFirst() }
            bound.rebind(snapshot, staleSince: nil)
            for offset in [0.0, 0.5, 1.0] {
                let moment = ChartWidgetTests.now.addingTimeInterval(Double(step) * 2 + offset)
                let cached = bound.render(at: moment)
                let fresh = renderer.render(snapshot, at: moment)
                let samePixels = cached.frame.bitmap == fresh.frame.bitmap
                #expect(samePixels, "step \(step), +\(offset) s")
                #expect(cached.frame.textAreas == fresh.frame.textAreas)
            }
        }
    }

    /// One vehicle moving redraws the boxes around where it was and where it is, not the map.
    @Test func oneMovedVehicleRedrawsOnlyAroundIt() throws {
        let file = try Self.file(Self.geojson)
        let renderer = try WidgetPictureTests.board(Self.map(file: file, width: 96, height: 72), kind: .wall, width: 96, height: 72, format: .rgb)
        var moved = ChartWidgetTests.snapshot()
        moved.vehicles[3].latitude = 23.1
        func resolved(_ snapshot: DispatchSnapshot, after previous: Resolution?) -> Resolution {
            let context = renderer.builder.adding(nil, to: renderer.builder.base(for: snapshot, reusing: nil), of: snapshot)
            let groups = renderer.resolveGroups(state: "main", context: context, prepared: { MustacheForm(renderer: renderer, context: context).value() }, reusing: previous)
            return Resolution(context: context, groups: groups, widgets: groups.flatMap { $0 }, serial: 0)
        }
        let first = resolved(ChartWidgetTests.snapshot(), after: nil)
        let second = resolved(moved, after: first)
        let before = try #require(first.widgets.first as? MapWidget), after = try #require(second.widgets.first as? MapWidget)
        let rects = after.changedRects(since: before)
        #expect(rects.count == 2, "\(rects)")
        #expect(rects.allSatisfy { $0.width == 5 && $0.height == 5 }, "\(rects)")
        #expect(before.picture === after.picture, "the base is drawn once")
    }

    @Test func aBrokenGeoJSONFileIsAnErrorAtTheLayoutLine() throws {
        let file = try Self.file("""
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"name": "X"}, "geometry": {"type": "Polygon", "coordinates": [[[113.2, "north"]]]}}
            ]}
            """)
        #expect {
            try ChartWidgetTests.picture(Self.map(file: file), width: 16, height: 12)
        } throws: { error in
            "\(error)".contains("test.yaml:") && "\(error)".contains("feature 1 (X)") && "\(error)".contains("[longitude, latitude]")
        }
        #expect(throws: (any Error).self) {
            try ChartWidgetTests.picture(Self.map(file: "/nonexistent/city.geojson"), width: 16, height: 12)
        }
    }
}
