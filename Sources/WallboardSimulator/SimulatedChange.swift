import Foundation
import WallboardDispatch
import WallboardInterface

/// What one simulated event changed in the centre, in the order it happened: the model's output,
/// before it is written to any database.
enum SimulatedChange {
    case station(id: String, name: String, district: String, order: Int, location: CityPoint)
    case vehicle(id: String, callSign: String, plate: String, stationID: String, at: Double, location: CityPoint)
    case seat(id: String, name: String, dispatcherName: String)
    case seatState(seatID: String, SeatState, at: Double, dispatcherName: String, callID: String?)
    case callReceived(id: String, at: Double, callerPhone: String)
    case callAnswered(id: String, at: Double, seatID: String)
    case callAbandoned(id: String, at: Double)
    case callEnded(id: String, at: Double, outcome: CallOutcome, incidentID: String?)
    case incident(SimulatedIncident)
    case taskDispatched(id: String, incidentID: String, vehicleID: String, at: Double, firstOfIncident: Bool)
    case vehicleStatus(vehicleID: String, VehicleStatus, at: Double, incidentID: String?, taskID: String?)
    case taskCompleted(id: String, at: Double, emptyRunReason: String?)
    case incidentClosed(id: String, at: Double)
    case position(vehicleID: String, CityPoint, heading: Double?, at: Double)
}

/// A new incident's row.
struct SimulatedIncident {
    let id: String
    let callID: String
    let received: Double
    let answered: Double?
    let details: IncidentDetails
    let hospital: String
    let callerPhone: String
    let location: CityPoint
}

/// The interface's statements for each change: the simulator's only SQL.
enum SimulationSQL {
    static func statements(for change: SimulatedChange) -> [InterfaceStatement] {
        switch change {
        case .station(let id, let name, let district, let order, let location):
            return [InterfaceStatement("INSERT INTO stations (id, name, district, sort_order, latitude, longitude) VALUES (?, ?, ?, ?, ?, ?)",
                                       [id, name, district, order, location.latitude, location.longitude])]
        case .vehicle(let id, let callSign, let plate, let stationID, let at, let location):
            return [
                InterfaceStatement("""
                    INSERT INTO vehicles (id, call_sign, plate, station_id, status, status_since, latitude, longitude, position_at)
                    VALUES (?, ?, ?, ?, 7, ?, ?, ?, ?)
                    """, [id, callSign, plate, stationID, at, location.latitude, location.longitude, at]),
                InterfaceStatement("INSERT INTO vehicle_status_log (vehicle_id, status, at) VALUES (?, 7, ?)", [id, at]),
            ]
        case .seat(let id, let name, let dispatcherName):
            return [InterfaceStatement("INSERT INTO seats (id, name, dispatcher_name) VALUES (?, ?, ?)", [id, name, dispatcherName])]
        case .seatState(let seatID, let state, let at, let dispatcherName, let callID):
            return [
                InterfaceStatement("UPDATE seats SET state = ?, state_since = ?, call_id = ? WHERE id = ?", [state.rawValue, at, callID, seatID]),
                InterfaceStatement("INSERT INTO seat_log (seat_id, at, state, dispatcher_name, call_id) VALUES (?, ?, ?, ?, ?)",
                                   [seatID, at, state.rawValue, dispatcherName, callID]),
            ]
        case .callReceived(let id, let at, let callerPhone):
            return [InterfaceStatement("INSERT INTO calls (id, received_at, caller_phone) VALUES (?, ?, ?)", [id, at, callerPhone])]
        case .callAnswered(let id, let at, let seatID):
            return [InterfaceStatement("UPDATE calls SET answered_at = ?, seat_id = ? WHERE id = ?", [at, seatID, id])]
        case .callAbandoned(let id, let at):
            return [InterfaceStatement("UPDATE calls SET ended_at = ? WHERE id = ?", [at, id])]
        case .callEnded(let id, let at, let outcome, let incidentID):
            return [InterfaceStatement("UPDATE calls SET ended_at = ?, outcome = ?, incident_id = ? WHERE id = ?", [at, outcome.rawValue, incidentID, id])]
        case .incident(let incident):
            let details = incident.details
            return [InterfaceStatement("""
                INSERT INTO incidents (id, call_id, received_at, answered_at, priority, category, complaint, incident_address,
                    pickup_address, landmark, district, casualties, destination_hospital, patient_name, patient_sex, patient_age,
                    callback_phone, latitude, longitude)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                    incident.id, incident.callID, incident.received, incident.answered, details.priority, details.category, details.complaint,
                    details.incidentAddress, details.pickupAddress, "\(details.landmark)附近", details.district, details.casualties,
                    incident.hospital, details.patientName, details.patientSex, details.patientAge, incident.callerPhone,
                    incident.location.latitude, incident.location.longitude,
                ])]
        case .taskDispatched(let id, let incidentID, let vehicleID, let at, let firstOfIncident):
            let task = InterfaceStatement("INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at) VALUES (?, ?, ?, ?)", [id, incidentID, vehicleID, at])
            guard firstOfIncident else { return [task] }
            return [task, InterfaceStatement("UPDATE incidents SET dispatched_at = ? WHERE id = ?", [at, incidentID])]
        case .vehicleStatus(let vehicleID, let status, let at, let incidentID, let taskID):
            var statements = [
                InterfaceStatement("UPDATE vehicles SET status = ?, status_since = ?, incident_id = ?, task_id = ? WHERE id = ?",
                                   [status.rawValue, at, incidentID, taskID, vehicleID]),
                InterfaceStatement("INSERT INTO vehicle_status_log (vehicle_id, status, at, incident_id, task_id) VALUES (?, ?, ?, ?, ?)",
                                   [vehicleID, status.rawValue, at, incidentID, taskID]),
            ]
            let column: String? = switch status {
            case .enRoute: "departed_at"
            case .atScene: "at_scene_at"
            case .patientOnBoard: "patient_on_board_at"
            case .atHospital: "at_hospital_at"
            default: nil
            }
            if let column, let taskID {
                statements.append(InterfaceStatement("UPDATE vehicle_tasks SET \(column) = ? WHERE id = ?", [at, taskID]))
            }
            return statements
        case .taskCompleted(let id, let at, let emptyRunReason):
            return [InterfaceStatement("UPDATE vehicle_tasks SET completed_at = ?, empty_run_reason = ? WHERE id = ?", [at, emptyRunReason, id])]
        case .incidentClosed(let id, let at):
            return [InterfaceStatement("UPDATE incidents SET closed_at = ? WHERE id = ?", [at, id])]
        case .position(let vehicleID, let point, let heading, let at):
            return [InterfaceStatement("UPDATE vehicles SET latitude = ?, longitude = ?, heading = ?, position_at = ? WHERE id = ?",
                                       [point.latitude, point.longitude, heading, at, vehicleID])]
        }
    }
}
