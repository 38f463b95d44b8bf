import Foundation
import WallboardDispatch

/// The statements that read the state now, every table as it stands; none takes arguments.
package struct LiveStatements {
    let stations = "SELECT \(SelectList.stations) FROM stations"
    let vehicles: String
    // Two indexed lookups; an OR would scan the whole table.
    let incidents = """
        SELECT \(SelectList.incidents) FROM incidents WHERE closed_at IS NULL UNION ALL \
        SELECT \(SelectList.incidents) FROM incidents WHERE closed_at IS NOT NULL \
        AND id IN (SELECT incident_id FROM vehicles WHERE incident_id IS NOT NULL)
        """
    let tasks = """
        SELECT \(SelectList.tasks) FROM vehicle_tasks WHERE completed_at IS NULL UNION ALL \
        SELECT \(SelectList.tasks) FROM vehicle_tasks WHERE completed_at IS NOT NULL \
        AND id IN (SELECT task_id FROM vehicles WHERE task_id IS NOT NULL)
        """
    let waitingCalls = "SELECT \(SelectList.calls) FROM calls WHERE answered_at IS NULL AND ended_at IS NULL"
    let seats = "SELECT \(SelectList.seats) FROM seats"

    package init(vehiclePositions: Bool) {
        vehicles = "SELECT \(SelectList.vehicles(withPositions: vehiclePositions)) FROM vehicles"
    }

    /// In the order a live read runs them.
    package var all: [String] { [stations, vehicles, incidents, tasks, waitingCalls, seats] }
}

extension StateQuery {
    mutating func readLive<DB: InterfaceConnection>(_ db: DB, into rows: inout Rows) throws {
        let statements = LiveStatements(vehiclePositions: features.vehiclePositions)
        rows.vehicles = try fetch(db, statements.vehicles, [], Self.vehicle)
        rows.incidents = try fetch(db, statements.incidents, [], incident)
        rows.activeTasks = try fetch(db, statements.tasks, [], task)
        rows.waitingCalls = try fetch(db, statements.waitingCalls, [], call)
        rows.seats = try fetch(db, statements.seats, [], seat)
    }
}
