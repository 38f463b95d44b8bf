import Foundation
import WallboardDispatch

/// The state now: every table as it stands.
extension StateQuery {
    mutating func readLive<DB: InterfaceConnection>(_ db: DB, into rows: inout Rows) throws {
        rows.vehicles = try fetch(db, "SELECT \(SelectList.vehicles(withPositions: vehiclePositions)) FROM vehicles", [], Self.vehicle)
        // Two indexed lookups; an OR would scan the whole table.
        rows.incidents = try fetch(db, """
            SELECT \(SelectList.incidents) FROM incidents WHERE closed_at IS NULL UNION ALL \
            SELECT \(SelectList.incidents) FROM incidents WHERE closed_at IS NOT NULL \
            AND id IN (SELECT incident_id FROM vehicles WHERE incident_id IS NOT NULL)
            """, [], incident)
        rows.activeTasks = try fetch(db, """
            SELECT \(SelectList.tasks) FROM vehicle_tasks WHERE completed_at IS NULL UNION ALL \
            SELECT \(SelectList.tasks) FROM vehicle_tasks WHERE completed_at IS NOT NULL \
            AND id IN (SELECT task_id FROM vehicles WHERE task_id IS NOT NULL)
            """, [], task)
        rows.waitingCalls = try fetch(db, "SELECT \(SelectList.calls) FROM calls WHERE answered_at IS NULL AND ended_at IS NULL", [], call)
        rows.seats = try fetch(db, "SELECT \(SelectList.seats) FROM seats", [], seat)
    }
}
