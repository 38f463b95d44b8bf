import Foundation
import WallboardDispatch

/// Decoded rows put together into one snapshot: references resolved, everything in display order.
extension StateQuery {
    mutating func assemble(_ rows: Rows, sourceVersion: Int64?) -> DispatchSnapshot {
        let stations = rows.stations.sorted { ($0.sortOrder, $0.id) < ($1.sortOrder, $1.id) }
        let stationOrder = Dictionary(stations.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var tasksByID: [String: VehicleTask] = [:]
        var activeTaskByVehicle: [String: VehicleTask] = [:]
        var vehiclesByIncident: [String: [String]] = [:]
        for task in rows.activeTasks {
            tasksByID[task.id] = task
            if task.completedAt == nil {
                activeTaskByVehicle[task.vehicleID] = task
                vehiclesByIncident[task.incidentID, default: []].append(task.vehicleID)
            }
        }
        let incidentIDs = Set(rows.incidents.map(\.id))
        var vehicles: [Vehicle] = []
        vehicles.reserveCapacity(rows.vehicles.count)
        for var vehicle in rows.vehicles {
            if vehicle.statusCode != nil, vehicle.status == nil {
                decoder.note("vehicles", vehicle.id, "status", .unknownCode)
            } else if vehicle.statusCode == nil, moment == nil {
                decoder.note("vehicles", vehicle.id, "status", .missingValue)
            }
            if stationOrder[vehicle.stationID] == nil {
                decoder.note("vehicles", vehicle.id, "station_id", .danglingReference)
            }
            if let incidentID = vehicle.incidentID, !incidentIDs.contains(incidentID) {
                decoder.note("vehicles", vehicle.id, "incident_id", .danglingReference)
            }
            if let taskID = vehicle.task?.id {
                vehicle.task = tasksByID[taskID] ?? activeTaskByVehicle[vehicle.id]
            } else {
                vehicle.task = activeTaskByVehicle[vehicle.id]
            }
            vehicles.append(vehicle)
        }
        // Sort small keys and gather once: comparing whole structs would copy them on every swap.
        // Call signs sort by their number (急救2号 before 急救10号), then by their bytes: fast, and
        // free of the Unicode-aware comparison that Chinese text would otherwise cost.
        let vehicleOrder = vehicles.indices.map { index in
            let vehicle = vehicles[index]
            return (stationOrder[vehicle.stationID] ?? Int.max, Self.firstNumber(in: vehicle.callSign), Array(vehicle.callSign.utf8), Array(vehicle.id.utf8), index)
        }
        vehicles = vehicleOrder.sorted { left, right in
            if left.0 != right.0 { return left.0 < right.0 }
            if left.1 != right.1 { return left.1 < right.1 }
            if left.2 != right.2 { return left.2.lexicographicallyPrecedes(right.2) }
            return left.3.lexicographicallyPrecedes(right.3)
        }.map { vehicles[$0.4] }
        let incidentOrder = rows.incidents.indices.map { index in
            let incident = rows.incidents[index]
            return (incident.priority?.rawValue ?? 9, incident.receivedAt ?? .distantFuture, incident.id, index)
        }
        let incidents = incidentOrder.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map { key -> Incident in
            var incident = rows.incidents[key.3]
            incident.vehicleIDs = (vehiclesByIncident[incident.id] ?? []).sorted()
            return incident
        }
        let waiting = rows.waitingCalls.sorted { ($0.receivedAt ?? .distantFuture, $0.id) < ($1.receivedAt ?? .distantFuture, $1.id) }
        let figures = DispatchFigures(
            calls: rows.callTally, runs: rows.runTally, vehicles: vehicles, stations: stations,
            now: now, dayStart: dayStart
        )
        let seats = rows.seats.sorted { $0.id < $1.id }
        return DispatchSnapshot(
            takenAt: now, dayStart: dayStart, sourceVersion: sourceVersion, stations: stations, vehicles: vehicles,
            incidents: incidents, waitingCalls: waiting, seats: seats, figures: figures, issues: decoder.issues,
            day: configuration.figuresOverTheDay ? dayFigures(rows, stations: stations, seats: seats) : nil
        )
    }

    private func dayFigures(_ rows: Rows, stations: [Station], seats: [Seat]) -> DayFigures {
        var tally = day
        if let yesterday = rows.yesterday { tally.merge(yesterday.tally) }
        return DayFigures(tally: tally, stations: stations, seats: seats, now: now)
    }

    /// The first run of ASCII digits in `text` as a number; Int.max when there is none.
    private static func firstNumber(in text: String) -> Int {
        var value: Int?
        for byte in text.utf8 {
            if (0x30...0x39).contains(byte) {
                value = min((value ?? 0) * 10 + Int(byte - 0x30), Int.max / 20)
            } else if value != nil {
                break
            }
        }
        return value ?? Int.max
    }
}
