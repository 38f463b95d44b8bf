import Foundation

/// A vehicle's drive from one point to another along the city's grid of streets (east or west
/// first, then north or south), at an even pace from `start` to `end` (simulated Unix seconds).
struct Drive {
    /// The start, the turn and the destination, without repeats.
    let corners: [CityPoint]
    let start: Double
    let end: Double

    init(from: CityPoint, to: CityPoint, start: Double, end: Double) {
        var corners = [from]
        for point in [CityPoint(x: to.x, y: from.y), to] where point != corners[corners.count - 1] { corners.append(point) }
        self.corners = corners
        self.start = start
        self.end = end
    }

    var destination: CityPoint { corners[corners.count - 1] }

    /// Kilometres along the streets.
    var length: Double {
        zip(corners, corners.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
    }

    /// Where the vehicle is at `time`, and which way it faces in degrees clockwise from north
    /// (nil for a drive that goes nowhere).
    func position(at time: Double) -> (point: CityPoint, heading: Double?) {
        let fraction = end > start ? min(1, max(0, (time - start) / (end - start))) : 1
        var remaining = fraction * length
        var heading: Double?
        for (from, to) in zip(corners, corners.dropFirst()) {
            let leg = from.distance(to: to)
            heading = Self.heading(from: from, to: to)
            if remaining < leg {
                let part = remaining / leg
                return (CityPoint(x: from.x + (to.x - from.x) * part, y: from.y + (to.y - from.y) * part), heading)
            }
            remaining -= leg
        }
        return (destination, heading)
    }

    private static func heading(from: CityPoint, to: CityPoint) -> Double {
        let degrees = atan2(to.x - from.x, to.y - from.y) * 180 / .pi
        return degrees < 0 ? degrees + 360 : degrees
    }
}
