import Foundation
import WallboardDispatch

/// One row of each interface table to its model value; column order as in the SELECT lists of `StateQuery`.
extension StateQuery {
    func station<Row: InterfaceColumns>(_ decoder: inout RowDecoder, _ row: Row, _ position: Int) -> Station? {
        guard let id = decoder.key(row[0], table: "stations", position: position) else { return nil }
        return Station(
            id: id, name: decoder.text(row[1], "stations", id, "name"), district: decoder.text(row[2], "stations", id, "district"),
            sortOrder: decoder.integer(row[3], "stations", id, "sort_order") ?? 0,
            latitude: decoder.real(row[4]), longitude: decoder.real(row[5])
        )
    }

    static func vehicle<Row: InterfaceColumns>(_ decoder: inout RowDecoder, _ row: Row, _ position: Int) -> Vehicle? {
        guard let id = decoder.key(row[0], table: "vehicles", position: position) else { return nil }
        let taskID = decoder.reference(row[7])
        return Vehicle(
            id: id, callSign: decoder.text(row[1], "vehicles", id, "call_sign"), plate: decoder.text(row[2], "vehicles", id, "plate"),
            stationID: decoder.reference(row[3]) ?? "", statusCode: decoder.integer(row[4], "vehicles", id, "status"),
            statusSince: decoder.date(row, 5, "vehicles", id, "status_since"), incidentID: decoder.reference(row[6]),
            task: taskID.map { VehicleTask(id: $0, incidentID: "", vehicleID: id, dispatchedAt: nil) },
            latitude: decoder.real(row[8]), longitude: decoder.real(row[9]), heading: decoder.real(row[10]),
            positionAt: decoder.date(row, 11, "vehicles", id, "position_at")
        )
    }

    func incident<Row: InterfaceColumns>(_ decoder: inout RowDecoder, _ row: Row, _ position: Int) -> Incident? {
        let table = "incidents"
        guard let id = decoder.key(row[0], table: table, position: position) else { return nil }
        let priorityCode = decoder.integer(row[6], table, id, "priority")
        let priority = priorityCode.flatMap(IncidentPriority.init(rawValue:))
        if priorityCode != nil, priority == nil { decoder.note(table, id, "priority", .unknownCode) }
        return Incident(
            id: id, callID: decoder.reference(row[1]), receivedAt: decoder.date(row, 2, table, id, "received_at"),
            answeredAt: decoder.date(row, 3, table, id, "answered_at"), dispatchedAt: decoder.date(row, 4, table, id, "dispatched_at"),
            closedAt: decoder.date(row, 5, table, id, "closed_at"), priority: priority,
            category: decoder.text(row[7], table, id, "category"), complaint: decoder.text(row[8], table, id, "complaint"),
            incidentAddress: decoder.text(row[9], table, id, "incident_address"),
            pickupAddress: decoder.text(row[10], table, id, "pickup_address"), landmark: decoder.text(row[11], table, id, "landmark"),
            district: decoder.text(row[12], table, id, "district"), casualties: decoder.integer(row[13], table, id, "casualties") ?? 1,
            destinationHospital: decoder.text(row[14], table, id, "destination_hospital"),
            patientName: decoder.text(row[15], table, id, "patient_name"), patientSex: decoder.text(row[16], table, id, "patient_sex"),
            patientAge: decoder.integer(row[17], table, id, "patient_age"), callbackPhone: decoder.text(row[18], table, id, "callback_phone"),
            latitude: decoder.real(row[19]), longitude: decoder.real(row[20])
        )
    }

    func task<Row: InterfaceColumns>(_ decoder: inout RowDecoder, _ row: Row, _ position: Int) -> VehicleTask? {
        let table = "vehicle_tasks"
        guard let id = decoder.key(row[0], table: table, position: position) else { return nil }
        guard let incidentID = decoder.reference(row[1]), let vehicleID = decoder.reference(row[2]) else {
            decoder.note(table, id, "incident_id, vehicle_id", .missingValue, skipped: true)
            return nil
        }
        let reason = decoder.text(row[9], table, id, "empty_run_reason")
        return VehicleTask(
            id: id, incidentID: incidentID, vehicleID: vehicleID, dispatchedAt: decoder.date(row, 3, table, id, "dispatched_at"),
            departedAt: decoder.date(row, 4, table, id, "departed_at"), atSceneAt: decoder.date(row, 5, table, id, "at_scene_at"),
            patientOnBoardAt: decoder.date(row, 6, table, id, "patient_on_board_at"),
            atHospitalAt: decoder.date(row, 7, table, id, "at_hospital_at"), completedAt: decoder.date(row, 8, table, id, "completed_at"),
            emptyRunReason: reason.isEmpty ? nil : reason
        )
    }

    func outcome(_ decoder: inout RowDecoder, _ value: Cell, _ rowID: String) -> CallOutcome? {
        guard let word = decoder.reference(value) else { return nil }
        guard let outcome = CallOutcome(rawValue: word) else {
            decoder.note("calls", rowID, "outcome", .unknownCode)
            return nil
        }
        return outcome
    }

    func call<Row: InterfaceColumns>(_ decoder: inout RowDecoder, _ row: Row, _ position: Int) -> Call? {
        guard let id = decoder.key(row[0], table: "calls", position: position) else { return nil }
        return Call(
            id: id, receivedAt: decoder.date(row, 1, "calls", id, "received_at"), answeredAt: decoder.date(row, 2, "calls", id, "answered_at"),
            endedAt: decoder.date(row, 3, "calls", id, "ended_at"), seatID: decoder.reference(row[4]),
            outcome: outcome(&decoder, row[5], id), incidentID: decoder.reference(row[6]),
            callerPhone: decoder.text(row[7], "calls", id, "caller_phone")
        )
    }

    func seat<Row: InterfaceColumns>(_ decoder: inout RowDecoder, _ row: Row, _ position: Int) -> Seat? {
        guard let id = decoder.key(row[0], table: "seats", position: position) else { return nil }
        return Seat(
            id: id, name: decoder.text(row[1], "seats", id, "name"), dispatcherName: decoder.text(row[2], "seats", id, "dispatcher_name"),
            state: Self.seatState(&decoder, row[3], "seats", id), stateSince: decoder.date(row, 4, "seats", id, "state_since"),
            currentCallID: decoder.reference(row[5])
        )
    }

    /// A seat state word; nil for NULL, and nil with a note for a word that is not a state.
    static func seatState(_ decoder: inout RowDecoder, _ value: Cell, _ table: String, _ rowID: String) -> SeatState? {
        guard let word = decoder.reference(value) else { return nil }
        guard let state = SeatState(rawValue: word) else {
            decoder.note(table, rowID, "state", .unknownCode)
            return nil
        }
        return state
    }
}
