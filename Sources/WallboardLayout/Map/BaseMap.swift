import Foundation
import WallboardDispatch
import WallboardRender

/// What a map draws beneath the live layers, read from a GeoJSON file: districts (polygons,
/// with a `name` property for their label) and roads (lines).
struct GeoFeatures: Sendable {
    struct District: Sendable {
        var name: String
        /// Outer rings and holes alike; filled by the even-odd rule.
        var rings: [[GeoPoint]]
        /// A `fill` property (`#RRGGBB`), when the file gives one.
        var fill: Color?
    }

    var districts: [District]
    var roads: [[GeoPoint]]

    /// Every point, for the map's extent.
    var points: [GeoPoint] { districts.flatMap { $0.rings.joined() } + roads.joined() }

    /// Parses a GeoJSON FeatureCollection (or a single Feature or geometry). Points and unknown
    /// geometry types are skipped; malformed coordinates are an error naming the feature.
    init(json data: Data) throws(GeoJSONError) {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw GeoJSONError("it is not JSON: \(error.localizedDescription)")
        }
        guard let object = root as? [String: Any] else { throw GeoJSONError("it is not a GeoJSON object") }
        let features: [[String: Any]]
        switch object["type"] as? String {
        case "FeatureCollection":
            guard let list = object["features"] as? [[String: Any]] else { throw GeoJSONError("the FeatureCollection has no 'features' list") }
            features = list
        case "Feature":
            features = [object]
        default:
            features = [["type": "Feature", "geometry": object, "properties": [String: Any]()]]
        }
        districts = []
        roads = []
        for (index, feature) in features.enumerated() {
            let properties = feature["properties"] as? [String: Any] ?? [:]
            guard let geometry = feature["geometry"] as? [String: Any] else { continue }
            let name = properties["name"] as? String ?? ""
            let fill = (properties["fill"] as? String).flatMap(Color.init(name:))
            do throws(GeoJSONError) {
                try add(geometry, name: name, fill: fill)
            } catch {
                throw GeoJSONError("feature \(index + 1)\(name.isEmpty ? "" : " (\(name))"): \(error.message)")
            }
        }
    }

    private mutating func add(_ geometry: [String: Any], name: String, fill: Color?) throws(GeoJSONError) {
        let coordinates = geometry["coordinates"]
        switch geometry["type"] as? String {
        case "Polygon":
            districts.append(District(name: name, rings: try GeoFeatures.rings(coordinates), fill: fill))
        case "MultiPolygon":
            guard let polygons = coordinates as? [Any] else { throw GeoJSONError("a MultiPolygon's coordinates are a list of polygons") }
            var rings: [[GeoPoint]] = []
            for polygon in polygons { rings += try GeoFeatures.rings(polygon) }
            districts.append(District(name: name, rings: rings, fill: fill))
        case "LineString":
            roads.append(try GeoFeatures.line(coordinates))
        case "MultiLineString":
            guard let lines = coordinates as? [Any] else { throw GeoJSONError("a MultiLineString's coordinates are a list of lines") }
            for line in lines { roads.append(try GeoFeatures.line(line)) }
        case "GeometryCollection":
            for member in geometry["geometries"] as? [[String: Any]] ?? [] { try add(member, name: name, fill: fill) }
        default:
            break
        }
    }

    private static func rings(_ value: Any?) throws(GeoJSONError) -> [[GeoPoint]] {
        guard let rings = value as? [Any] else { throw GeoJSONError("a polygon's coordinates are a list of rings") }
        var result: [[GeoPoint]] = []
        for ring in rings { result.append(try line(ring)) }
        return result
    }

    private static func line(_ value: Any?) throws(GeoJSONError) -> [GeoPoint] {
        guard let positions = value as? [Any] else { throw GeoJSONError("a line's coordinates are a list of [longitude, latitude]") }
        var points: [GeoPoint] = []
        for position in positions {
            guard let pair = position as? [Any], pair.count >= 2,
                  let longitude = (pair[0] as? NSNumber)?.doubleValue, let latitude = (pair[1] as? NSNumber)?.doubleValue,
                  (-180...180).contains(longitude), (-90...90).contains(latitude)
            else { throw GeoJSONError("a position is not [longitude, latitude] in degrees") }
            points.append(GeoPoint(latitude: latitude, longitude: longitude))
        }
        return points
    }
}

/// Why a GeoJSON file could not be read.
struct GeoJSONError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Longitude and latitude to pixels: an equirectangular projection with the longitude scaled by
/// the cosine of the middle latitude (true to shape for a city), fitted and centred in `rect`.
struct MapProjection: Sendable, Hashable {
    let rect: Rect
    let west: Double
    let north: Double
    /// Pixels per degree of longitude and of latitude.
    let xScale: Double
    let yScale: Double
    let xOffset: Double
    let yOffset: Double

    init(rect: Rect, west: Double, south: Double, east: Double, north: Double) {
        self.rect = rect
        self.west = west
        self.north = north
        let shrink = cos((south + north) / 2 * .pi / 180)
        let width = max(1e-9, (east - west) * shrink), height = max(1e-9, north - south)
        let scale = min(Double(rect.width) / width, Double(rect.height) / height)
        xScale = scale * shrink
        yScale = scale
        xOffset = (Double(rect.width) - width * scale) / 2
        yOffset = (Double(rect.height) - height * scale) / 2
    }

    /// The point in pixel coordinates (not rounded).
    func project(_ point: GeoPoint) -> (x: Double, y: Double) {
        (Double(rect.x) + xOffset + (point.longitude - west) * xScale, Double(rect.y) + yOffset + (north - point.latitude) * yScale)
    }

    /// The pixel the point falls in.
    func pixel(_ point: GeoPoint) -> (x: Int, y: Int) {
        let (x, y) = project(point)
        return (Int(x.rounded(.down)), Int(y.rounded(.down)))
    }
}

/// The base map turned into pixels once, when the layout loads: the districts' fills as runs,
/// their outlines and the roads as line segments, and where each district's name goes.
/// Shared (a class, compared by identity) so that binding a new snapshot copies nothing.
final class BaseMapRaster: Sendable {
    struct Run: Sendable, Hashable {
        var y: Int
        var x: Int
        var count: Int
        var colour: Color
    }

    struct Segment: Sendable, Hashable {
        var from: Point
        var to: Point
    }

    struct Point: Sendable, Hashable {
        var x: Int
        var y: Int
    }

    let fills: [Run]
    let outlines: [Segment]
    let roads: [Segment]
    /// District names at the middle of their largest ring's bounding box.
    let names: [(name: String, at: Point)]

    init(features: GeoFeatures, projection: MapProjection, fill: Color) {
        var fills: [Run] = [], outlines: [Segment] = [], names: [(String, Point)] = []
        let rect = projection.rect
        for district in features.districts {
            let rings = district.rings.map { $0.map(projection.project) }
            fills += BaseMapRaster.scanFill(rings, in: rect, colour: district.fill ?? fill)
            for ring in rings { outlines += BaseMapRaster.segments(ring) }
            let extents = rings.compactMap(BaseMapRaster.extent)
            if !district.name.isEmpty, let largest = extents.max(by: { $0.width * $0.height < $1.width * $1.height }) {
                names.append((district.name, Point(x: Int(largest.midX.rounded(.down)), y: Int(largest.midY.rounded(.down)))))
            }
        }
        self.fills = fills
        self.outlines = outlines
        roads = features.roads.flatMap { BaseMapRaster.segments($0.map(projection.project), closed: false) }
        self.names = names
    }

    /// A ring's bounding box in pixels; nil for an empty ring.
    private static func extent(_ ring: [(x: Double, y: Double)]) -> (width: Double, height: Double, midX: Double, midY: Double)? {
        guard let left = ring.map(\.x).min(), let right = ring.map(\.x).max(), let top = ring.map(\.y).min(), let bottom = ring.map(\.y).max() else { return nil }
        return (right - left, bottom - top, (left + right) / 2, (top + bottom) / 2)
    }

    private static func segments(_ points: [(x: Double, y: Double)], closed: Bool = true) -> [Segment] {
        guard points.count >= 2 else { return [] }
        let pixels = points.map { Point(x: Int($0.x.rounded(.down)), y: Int($0.y.rounded(.down))) }
        var segments = zip(pixels, pixels.dropFirst()).map { Segment(from: $0, to: $1) }
        if closed, let first = pixels.first, let last = pixels.last, first != last { segments.append(Segment(from: last, to: first)) }
        return segments
    }

    /// The pixels whose centres lie inside the rings (even-odd), as runs per row.
    static func scanFill(_ rings: [[(x: Double, y: Double)]], in rect: Rect, colour: Color) -> [Run] {
        let edges = rings.flatMap { ring -> [((x: Double, y: Double), (x: Double, y: Double))] in
            guard ring.count >= 3, let last = ring.last else { return [] }
            return Array(zip([last] + ring.dropLast(), ring))
        }
        guard !edges.isEmpty else { return [] }
        let top = max(rect.y, Int((edges.map { min($0.0.y, $0.1.y) }.min() ?? 0).rounded(.down)))
        let bottom = min(rect.maxY - 1, Int((edges.map { max($0.0.y, $0.1.y) }.max() ?? 0).rounded(.up)))
        guard top <= bottom else { return [] }
        var runs: [Run] = []
        for y in top...bottom {
            let centre = Double(y) + 0.5
            var crossings: [Double] = []
            for (a, b) in edges where (a.y <= centre) != (b.y <= centre) {
                crossings.append(a.x + (centre - a.y) / (b.y - a.y) * (b.x - a.x))
            }
            crossings.sort()
            for pair in stride(from: 0, to: crossings.count - 1, by: 2) {
                let start = max(rect.x, Int((crossings[pair] - 0.5).rounded(.up)))
                let end = min(rect.maxX - 1, Int((crossings[pair + 1] - 0.5).rounded(.down)))
                if start <= end { runs.append(Run(y: y, x: start, count: end - start + 1, colour: colour)) }
            }
        }
        return runs
    }

    /// Draws the fills, then the roads, then the outlines.
    func draw(on canvas: inout Canvas, outline: Color?, road: Color?) {
        var lastColour: Color?
        var stored: UInt32 = 0
        for run in fills {
            if run.colour != lastColour {
                stored = canvas.value(for: run.colour)
                lastColour = run.colour
            }
            canvas.plotRun(x: run.x, y: run.y, count: run.count, stored)
        }
        if let road { for segment in roads { canvas.line(from: (segment.from.x, segment.from.y), to: (segment.to.x, segment.to.y), road) } }
        if let outline { for segment in outlines { canvas.line(from: (segment.from.x, segment.from.y), to: (segment.to.x, segment.to.y), outline) } }
    }
}
