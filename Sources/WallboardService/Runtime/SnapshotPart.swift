import Foundation
import WallboardDispatch

/// The rows of a snapshot that boards of one station read scope can show (`ReadScope(boards:)`
/// knows which parts a layout reads): while it stays equal from one snapshot to the next, such a
/// board shows nothing new and need not bind the snapshot again. It errs on the side of more:
/// every station (a vehicle shows its station's name), the stations' vehicles, the incidents they
/// work with every vehicle on those incidents (an incident shows their call signs), and the calls
/// waiting about those incidents or that opened them (whose numbers are scrubbed from the
/// incidents' free text).
struct SnapshotPart: Equatable, Sendable {
    let dayStart: Date
    let stations: [Station]
    let vehicles: [Vehicle]
    let incidents: [Incident]
    let waitingCalls: [Call]
    let seats: [Seat]
    let figures: DispatchFigures?
    let day: DayFigures?

    /// Nil for a scope of the whole centre: its boards show figures and waits counted to the
    /// moment of the read, so every read is new to them.
    init?(_ snapshot: DispatchSnapshot, readBy scope: ReadScope) {
        guard let stationIDs = scope.stationIDs else { return nil }
        let own = snapshot.vehicles.filter { stationIDs.contains($0.stationID) }
        let incidentIDs = Set(own.flatMap { [$0.incidentID, $0.task?.incidentID].compactMap(\.self) })
        incidents = snapshot.incidents.filter { incident in
            incidentIDs.contains(incident.id) || own.contains { incident.vehicleIDs.contains($0.id) }
        }
        let onIncidents = Set(incidents.flatMap(\.vehicleIDs))
        let shownIncidentIDs = Set(incidents.map(\.id))
        vehicles = snapshot.vehicles.filter { vehicle in
            stationIDs.contains(vehicle.stationID) || onIncidents.contains(vehicle.id)
                || [vehicle.incidentID, vehicle.task?.incidentID].contains { $0.map(shownIncidentIDs.contains) ?? false }
        }
        if scope.parts.contains(.waitingCalls) {
            waitingCalls = snapshot.waitingCalls
        } else if scope.parts.contains(.incidentCallers) {
            let openingCalls = Set(incidents.compactMap(\.callID))
            waitingCalls = snapshot.waitingCalls.filter { call in
                openingCalls.contains(call.id) || (call.incidentID.map(shownIncidentIDs.contains) ?? false)
            }
        } else {
            waitingCalls = []
        }
        dayStart = snapshot.dayStart
        stations = snapshot.stations
        seats = scope.parts.contains(.seats) ? snapshot.seats : []
        figures = scope.parts.contains(.dayTallies) ? snapshot.figures : nil
        day = scope.parts.contains(.figuresOverTheDay) ? snapshot.day : nil
    }
}
