import Foundation
import Testing
import WallboardDispatch
@testable import WallboardLayout
@testable import WallboardSimulator

/// The map the simulator writes, read by the map widget's own GeoJSON loader, against the
/// districts the simulator puts in its addresses.
@Suite struct SimulatedCityMapTests {
    /// Whether `point` is inside `rings` by the even-odd rule, as the map fills them.
    private func contains(_ rings: [[GeoPoint]], _ point: GeoPoint) -> Bool {
        var inside = false
        for ring in rings {
            for (a, b) in zip(ring, ring.dropFirst() + ring.prefix(1)) where (a.latitude > point.latitude) != (b.latitude > point.latitude) {
                let crossing = a.longitude + (point.latitude - a.latitude) / (b.latitude - a.latitude) * (b.longitude - a.longitude)
                if point.longitude < crossing { inside.toggle() }
            }
        }
        return inside
    }

    @Test func everyPlaceTheSimulatorNamesLiesInItsDistrictsPolygon() throws {
        let features = try GeoFeatures(json: Data(SimulatedCityMap.geoJSON.utf8))
        #expect(features.districts.map(\.name).sorted() == CityWords.districts.sorted())
        #expect(features.roads.count == City.mainRoads.count)
        var random = SeededRandom(seed: 11)
        let city = City(stationCount: 24, vehicleCount: 24, seatCount: 3, random: &random)
        var places = city.stations.map(\.location) + city.hospitals.map(\.location)
        for _ in 0..<3000 { places.append(City.randomLocation(&random)) }
        var checked = 0
        for place in places {
            // The map draws the central circle with straight sides; a point within metres of it may fall either side.
            let fromCentre = (place.x * place.x + place.y * place.y).squareRoot()
            guard abs(fromCentre - City.centralRadius) > 0.02 else { continue }
            let point = GeoPoint(latitude: place.latitude, longitude: place.longitude)
            let containing = features.districts.filter { contains($0.rings, point) }.map(\.name)
            #expect(containing == [City.district(at: place)], "(\(place.x), \(place.y)) km")
            checked += 1
        }
        #expect(checked > 3000)
    }

    @Test func theMainRoadsRunInsideTheCity() throws {
        let features = try GeoFeatures(json: Data(SimulatedCityMap.geoJSON.utf8))
        for point in features.roads.joined() {
            #expect(abs(point.latitude - 23.13) * 111 <= City.radius + 0.001 && abs(point.longitude - 113.26) * 102.2 <= City.radius + 0.001)
        }
    }
}
