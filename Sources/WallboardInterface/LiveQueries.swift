import Foundation
import WallboardDispatch

/// The statements that read the state now, as far as `scope` reaches: every table as it stands
/// for the whole centre; for some stations, their vehicles, the incidents they work (with every
/// task of those incidents and the vehicles on them, whose call signs an incident shows) and the
/// stations table, which is small. Station ids are bound arguments.
package struct LiveStatements {
    let stations = InterfaceStatement("SELECT \(SelectList.stations) FROM stations")
    let vehicles: InterfaceStatement
    let incidents: InterfaceStatement
    let tasks: InterfaceStatement
    /// Every call waiting.
    let waitingCalls: InterfaceStatement?
    /// For stations, instead: the calls waiting about the incidents their vehicles work.
    let callers: InterfaceStatement?
    let seats: InterfaceStatement?

    // Two indexed lookups; an OR would scan the whole table.
    private static let openOrShownIncidents = """
        closed_at IS NULL UNION ALL SELECT \(SelectList.incidents) FROM incidents WHERE closed_at IS NOT NULL \
        AND id IN (SELECT incident_id FROM vehicles WHERE incident_id IS NOT NULL)
        """
    private static let openOrShownTasks = """
        completed_at IS NULL UNION ALL SELECT \(SelectList.tasks) FROM vehicle_tasks WHERE completed_at IS NOT NULL \
        AND id IN (SELECT task_id FROM vehicles WHERE task_id IS NOT NULL)
        """

    package init(vehiclePositions: Bool, scope: ReadScope) {
        let vehicleColumns = SelectList.vehicles(withPositions: vehiclePositions)
        let waiting = "SELECT \(SelectList.calls) FROM calls WHERE answered_at IS NULL AND ended_at IS NULL"
        waitingCalls = scope.parts.contains(.waitingCalls) || (scope.parts.contains(.incidentCallers) && scope.stationIDs == nil)
            ? InterfaceStatement(waiting) : nil
        if let stationIDs = scope.orderedStationIDs {
            // `own`: the stations' vehicles (none for no station); `worked`: the incidents they
            // work, by their current incident, their open tasks and the task they point at.
            let stationList = stationIDs.isEmpty ? "NULL" : Array(repeating: "?", count: stationIDs.count).joined(separator: ", ")
            let with = """
                WITH own AS (SELECT id, incident_id, task_id FROM vehicles WHERE station_id IN (\(stationList))), \
                worked AS (SELECT incident_id FROM own WHERE incident_id IS NOT NULL \
                UNION SELECT incident_id FROM vehicle_tasks WHERE completed_at IS NULL AND vehicle_id IN (SELECT id FROM own) \
                UNION SELECT incident_id FROM vehicle_tasks WHERE id IN (SELECT task_id FROM own))
                """
            vehicles = InterfaceStatement(with + " " + """
                SELECT \(vehicleColumns) FROM vehicles WHERE id IN (SELECT id FROM own) OR id IN \
                (SELECT vehicle_id FROM vehicle_tasks WHERE completed_at IS NULL AND incident_id IN (SELECT incident_id FROM worked))
                """, stationIDs)
            incidents = InterfaceStatement(with + " " + """
                SELECT \(SelectList.incidents) FROM incidents WHERE id IN (SELECT incident_id FROM worked) \
                AND (closed_at IS NULL OR id IN (SELECT incident_id FROM vehicles WHERE incident_id IS NOT NULL))
                """, stationIDs)
            tasks = InterfaceStatement(with + " " + """
                SELECT \(SelectList.tasks) FROM vehicle_tasks \
                WHERE (completed_at IS NULL OR id IN (SELECT task_id FROM vehicles WHERE task_id IS NOT NULL)) \
                AND (incident_id IN (SELECT incident_id FROM worked) OR vehicle_id IN (SELECT id FROM own) OR id IN (SELECT task_id FROM own))
                """, stationIDs)
            callers = waitingCalls == nil && scope.parts.contains(.incidentCallers)
                ? InterfaceStatement(with + " " + waiting + " AND incident_id IN (SELECT incident_id FROM worked)", stationIDs) : nil
        } else {
            vehicles = InterfaceStatement("SELECT \(vehicleColumns) FROM vehicles")
            incidents = InterfaceStatement("SELECT \(SelectList.incidents) FROM incidents WHERE " + Self.openOrShownIncidents)
            tasks = InterfaceStatement("SELECT \(SelectList.tasks) FROM vehicle_tasks WHERE " + Self.openOrShownTasks)
            callers = nil
        }
        seats = scope.parts.contains(.seats) ? InterfaceStatement("SELECT \(SelectList.seats) FROM seats") : nil
    }

    /// In the order a live read runs them.
    package var all: [InterfaceStatement] { [stations, vehicles, incidents, tasks] + [waitingCalls, callers, seats].compactMap { $0 } }
}

extension StateQuery {
    mutating func readLive<DB: InterfaceConnection>(_ db: DB, into rows: inout Rows) throws {
        let statements = LiveStatements(vehiclePositions: features.vehiclePositions, scope: configuration.scope)
        rows.vehicles = try fetch(db, statements.vehicles, Self.vehicle)
        rows.incidents = try fetch(db, statements.incidents, incident)
        rows.activeTasks = try fetch(db, statements.tasks, task)
        if let waitingCalls = statements.waitingCalls ?? statements.callers { rows.waitingCalls = try fetch(db, waitingCalls, call) }
        if let seats = statements.seats { rows.seats = try fetch(db, seats, seat) }
    }
}
