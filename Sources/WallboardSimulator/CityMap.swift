import Foundation

/// The simulated city's base map as GeoJSON: its districts as polygons named as in the
/// addresses (the same boundaries `City.district(at:)` draws) and its main roads as lines, in the
/// coordinates the simulator gives stations, incidents and vehicles.
public enum SimulatedCityMap {
    /// Degrees between the points of a drawn circle.
    private static let arcStep = 7.5

    public static var geoJSON: String {
        var features: [String] = []
        let inner = City.centralRadius
        features.append(polygon(CityWords.districts[0], arc(radius: inner, from: -90, to: 90)))
        features.append(polygon(CityWords.districts[1], arc(radius: inner, from: 90, to: 270)))
        let width = 360 / Double(City.outerSectors)
        for sector in 0..<City.outerSectors {
            let first = -180 + Double(sector) * width
            let last = first + width
            let corners = [-135.0, -45, 45, 135].filter { $0 > first && $0 < last }.map { edgePoint(at: $0) }
            let ring = [edgePoint(at: first)] + corners + [edgePoint(at: last)] + arc(radius: inner, from: last, to: first)
            features.append(polygon(CityWords.districts[2 + sector], ring))
        }
        for road in City.mainRoads {
            features.append(feature(properties: "\"name\":\"\(road.name)\",\"highway\":\"primary\"", geometry: "LineString", coordinates: line(road.points)))
        }
        return "{\"type\":\"FeatureCollection\",\"features\":[\(features.joined(separator: ","))]}\n"
    }

    /// Points on a circle round the centre, counter-clockwise from `from` to `to` degrees (or clockwise when `to` is smaller).
    static func arc(radius: Double, from: Double, to: Double) -> [CityPoint] {
        let steps = Int((abs(to - from) / arcStep).rounded())
        return (0...steps).map { step in
            let degrees = from + (to - from) * Double(step) / Double(max(steps, 1))
            return CityPoint(x: cos(degrees * .pi / 180) * radius, y: sin(degrees * .pi / 180) * radius)
        }
    }

    /// Where a ray from the centre leaves the square city.
    private static func edgePoint(at degrees: Double) -> CityPoint {
        let x = cos(degrees * .pi / 180), y = sin(degrees * .pi / 180)
        let scale = City.radius / max(abs(x), abs(y))
        return CityPoint(x: x * scale, y: y * scale)
    }

    private static func polygon(_ name: String, _ ring: [CityPoint]) -> String {
        feature(properties: "\"name\":\"\(name)\"", geometry: "Polygon", coordinates: "[\(line(ring + ring.prefix(1)))]")
    }

    private static func feature(properties: String, geometry: String, coordinates: String) -> String {
        "{\"type\":\"Feature\",\"properties\":{\(properties)},\"geometry\":{\"type\":\"\(geometry)\",\"coordinates\":\(coordinates)}}"
    }

    private static func line(_ points: [CityPoint]) -> String {
        "[" + points.map { "[\(number($0.longitude)),\(number($0.latitude))]" }.joined(separator: ",") + "]"
    }

    /// Six decimals (about 10 cm), without trailing zeros.
    private static func number(_ value: Double) -> String {
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
