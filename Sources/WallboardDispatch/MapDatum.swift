import Foundation

/// A point on the earth in degrees.
public struct GeoPoint: Sendable, Hashable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// The coordinate system a map's data is drawn in. GPS reports WGS-84; map data published in
/// mainland China is usually GCJ-02 (火星坐标), offset from WGS-84 by a few hundred metres by a
/// published formula. Vehicle, station and incident positions are WGS-84; a map in GCJ-02 has
/// them converted before they are drawn.
public enum MapDatum: String, Sendable, Hashable, CaseIterable {
    case wgs84 = "wgs-84"
    case gcj02 = "gcj-02"

    /// Where a WGS-84 position lies in this datum.
    public func fromWGS84(_ point: GeoPoint) -> GeoPoint {
        switch self {
        case .wgs84: point
        case .gcj02: GCJ02.fromWGS84(point)
        }
    }
}

/// The GCJ-02 offset (the Krasovsky ellipsoid and the published offset polynomials). Outside
/// mainland China's bounding box the two systems agree.
public enum GCJ02 {
    private static let semiMajorAxis = 6_378_245.0
    private static let eccentricitySquared = 0.006_693_421_622_965_943_23

    static func isOutsideChina(_ point: GeoPoint) -> Bool {
        !(72.004...137.8347).contains(point.longitude) || !(0.8293...55.8271).contains(point.latitude)
    }

    /// The GCJ-02 coordinates of a WGS-84 point.
    public static func fromWGS84(_ point: GeoPoint) -> GeoPoint {
        guard point.latitude.isFinite, point.longitude.isFinite, !isOutsideChina(point) else { return point }
        let offset = offset(at: point)
        return GeoPoint(latitude: point.latitude + offset.latitude, longitude: point.longitude + offset.longitude)
    }

    /// The WGS-84 coordinates of a GCJ-02 point, found by iterating the forward offset until it
    /// moves less than 1e-9° (about 0.1 mm).
    public static func toWGS84(_ point: GeoPoint) -> GeoPoint {
        guard point.latitude.isFinite, point.longitude.isFinite, !isOutsideChina(point) else { return point }
        var guess = point
        for _ in 0..<30 {
            let forward = fromWGS84(guess)
            let dLat = forward.latitude - point.latitude, dLon = forward.longitude - point.longitude
            guess = GeoPoint(latitude: guess.latitude - dLat, longitude: guess.longitude - dLon)
            if abs(dLat) < 1e-9 && abs(dLon) < 1e-9 { break }
        }
        return guess
    }

    private static func offset(at point: GeoPoint) -> GeoPoint {
        let x = point.longitude - 105, y = point.latitude - 35
        let waves = (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3
        var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot() + waves
        dLat += (20 * sin(y * .pi) + 40 * sin(y / 3 * .pi)) * 2 / 3
        dLat += (160 * sin(y / 12 * .pi) + 320 * sin(y * .pi / 30)) * 2 / 3
        var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot() + waves
        dLon += (20 * sin(x * .pi) + 40 * sin(x / 3 * .pi)) * 2 / 3
        dLon += (150 * sin(x / 12 * .pi) + 300 * sin(x / 30 * .pi)) * 2 / 3
        let radians = point.latitude / 180 * .pi
        let magic = 1 - eccentricitySquared * sin(radians) * sin(radians)
        let root = magic.squareRoot()
        dLat = dLat * 180 / (semiMajorAxis * (1 - eccentricitySquared) / (magic * root) * .pi)
        dLon = dLon * 180 / (semiMajorAxis / root * cos(radians) * .pi)
        return GeoPoint(latitude: dLat, longitude: dLon)
    }
}
