import Foundation
import WallboardDispatch

/// The time the data lives in: the wall clock, or the simulator's clock when it runs faster or
/// slower than real time (it records its clock in `wallboard_interface`).
package struct DataClock {
    package var simulatedTime: Double?
    var simulatedWallTime: Double?
    package var speed: Double = 1

    package static let statement = "SELECT key, value FROM wallboard_interface"

    package static func read<DB: InterfaceConnection>(_ db: DB) throws -> DataClock {
        var clock = DataClock()
        var version: String?
        let decoder = RowDecoder(latestAcceptable: .distantFuture)
        try db.each(statement, []) { row, _ in
            let value = decoder.reference(row[1])
            switch decoder.reference(row[0]) {
            case "version": version = value
            case "simulated_time": clock.simulatedTime = value.flatMap(Double.init)
            case "simulated_wall_time": clock.simulatedWallTime = value.flatMap(Double.init)
            case "simulated_speed": clock.speed = value.flatMap(Double.init) ?? 1
            default: break
            }
        }
        guard let version else {
            throw SourceProblem(kind: .interfaceMismatch, message: "wallboard_interface has no 'version' row; add (key 'version', value '\(InterfaceSchema.version)') or a view that returns it (see SCHEMA.md)")
        }
        guard Int(version) == InterfaceSchema.version else {
            throw SourceProblem(kind: .interfaceMismatch, message: "wallboard_interface version is '\(version)'; this reader understands version \(InterfaceSchema.version)")
        }
        return clock
    }

    package func now(wall: Date) -> Date {
        guard let simulatedTime, let simulatedWallTime else { return wall }
        return Date(timeIntervalSince1970: simulatedTime + (wall.timeIntervalSince1970 - simulatedWallTime) * speed)
    }
}
