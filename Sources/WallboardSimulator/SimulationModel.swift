import Foundation
import WallboardDispatch

/// The simulated centre: calls, seats, incidents and vehicles, advanced one event at a time.
/// Every decision draws from one seeded generator in a fixed order, so a seed replays exactly.
/// It keeps all of its state and writes nothing: what each event changed is collected as
/// `SimulatedChange`s for `DispatchSimulator` to write.
struct SimulationModel {
    private enum Event {
        case callArrives
        case callAnswered(call: Int, seat: Int)
        case callAbandoned(call: Int)
        case callEnds(call: Int)
        case seatReady(seat: Int)
        case seatBack(seat: Int)
        case vehicleStep(vehicle: Int, generation: Int, status: VehicleStatus)
        case emptyRun(vehicle: Int, generation: Int, reason: String)
        case backAtStation(vehicle: Int, generation: Int)
        case serviceStarts(vehicle: Int)
        case serviceEnds(vehicle: Int)
        /// Every moving vehicle reports where it is.
        case positions
    }

    private struct SimCall {
        let id: String
        let received: Double
        let outcome: CallOutcome
        let callerPhone: String
        var answeredAt: Double?
        /// The seat that answered it.
        var seat: Int?
        var ended = false
    }

    private struct SimSeat {
        var busy = false
        var away = false
    }

    private struct SimVehicle {
        var status = VehicleStatus.standby
        /// Where the vehicle stands, or where its drive began.
        var location: CityPoint
        var drive: Drive?
        /// The way it faced when it last moved.
        var heading: Double?
        /// A position not yet reported.
        var unwrittenPosition: (point: CityPoint, heading: Double?, at: Double)?
        var incident: Int?
        var taskID: String?
        /// Bumped on every dispatch so that events for an earlier run are ignored.
        var generation = 0
    }

    private struct SimIncident {
        let id: String
        let location: CityPoint
        let maternity: Bool
        let priority: Int
        var vehiclesStillNeeded: Int
        var openTasks = 0
        var dispatched = false
        var closed = false
    }

    private let settings: SimulationSettings
    private var random: SeededRandom
    private let city: City
    private var events = EventQueue<Event>()
    private var calls: [SimCall] = []
    private var waitingCalls: [Int] = []
    private var seats: [SimSeat]
    private var vehicles: [SimVehicle]
    private var incidents: [SimIncident] = []
    /// Incidents waiting for a free vehicle, in the order they arrived.
    private var pendingIncidents: [Int] = []
    private var taskCount = 0
    private let callsPerSecond: Double
    private let peakFactor: Double
    private let massCasualtyChance: Double
    private(set) var lastEventTime: Double
    /// Seconds between the reports of a moving vehicle's position.
    private let positionInterval = 6.0
    private var positionsScheduled = false
    /// What the events changed since the last `takeChanges()`.
    private var changes: [SimulatedChange] = []

    init(settings: SimulationSettings) {
        self.settings = settings
        var random = SeededRandom(seed: settings.seed)
        let seatCount = settings.seatCount ?? max(3, settings.vehicleCount / 10)
        let city = City(stationCount: settings.stationCount, vehicleCount: settings.vehicleCount, seatCount: seatCount, random: &random)
        self.city = city
        self.random = random
        seats = Array(repeating: SimSeat(), count: seatCount)
        vehicles = city.vehicles.map { SimVehicle(location: city.stations[$0.stationIndex].location) }
        let perDay = settings.callsPerDay ?? Double(settings.vehicleCount) * 14
        callsPerSecond = perDay / 86_400
        let profile = CityWords.hourlyCallProfile
        let mean = profile.reduce(0, +) / Double(profile.count)
        peakFactor = (profile.max() ?? 1) / mean
        // About one mass-casualty incident a day.
        massCasualtyChance = 1 / max(perDay * 0.55, 1)
        lastEventTime = settings.start.timeIntervalSince1970
        let start = lastEventTime
        scheduleNextCall(after: start)
        for index in vehicles.indices { scheduleService(vehicle: index, after: start) }
    }

    var nextEventTime: Double? { events.nextTime }

    /// The changes made since the last call, in order.
    mutating func takeChanges() -> [SimulatedChange] {
        defer { changes = [] }
        return changes
    }

    // MARK: The fixed rows

    /// The stations, vehicles and seats as the simulation starts.
    mutating func recordCity() {
        let start = settings.start.timeIntervalSince1970
        for (index, station) in city.stations.enumerated() {
            changes.append(.station(id: station.id, name: station.name, district: station.district, order: index + 1, location: station.location))
        }
        for vehicle in city.vehicles {
            let station = city.stations[vehicle.stationIndex]
            changes.append(.vehicle(id: vehicle.id, callSign: vehicle.callSign, plate: vehicle.plate, stationID: station.id, at: start, location: station.location))
        }
        for (index, seat) in city.seats.enumerated() {
            changes.append(.seat(id: seat.id, name: seat.name, dispatcherName: seat.dispatcherName))
            setSeat(index, .idle, at: start)
        }
    }

    // MARK: Events

    /// Applies the next event, recording its changes; returns its time.
    mutating func processNext() -> Double {
        guard let (time, event) = events.pop() else { return lastEventTime }
        lastEventTime = time
        switch event {
        case .callArrives: callArrives(at: time)
        case .callAnswered(let call, let seat): callAnswered(call: call, seat: seat, at: time)
        case .callAbandoned(let call): callAbandoned(call: call, at: time)
        case .callEnds(let call): callEnds(call: call, at: time)
        case .seatReady(let seat): seatReady(seat: seat, at: time)
        case .seatBack(let seat): seatBack(seat: seat, at: time)
        case .vehicleStep(let vehicle, let generation, let status):
            if vehicles[vehicle].generation == generation { vehicleStep(vehicle: vehicle, to: status, at: time) }
        case .emptyRun(let vehicle, let generation, let reason):
            if vehicles[vehicle].generation == generation, vehicles[vehicle].status.isOnTask {
                finishTask(vehicle: vehicle, at: time, emptyRunReason: reason)
            }
        case .backAtStation(let vehicle, let generation):
            if vehicles[vehicle].generation == generation, vehicles[vehicle].status == .availableOnRoad {
                arrive(vehicle, at: time)
                setStatus(vehicle: vehicle, .standby, at: time)
            }
        case .serviceStarts(let vehicle): serviceStarts(vehicle: vehicle, at: time)
        case .serviceEnds(let vehicle):
            setStatus(vehicle: vehicle, .standby, at: time)
            scheduleService(vehicle: vehicle, after: time)
            dispatchPending(at: time)
        case .positions:
            positionsScheduled = false
            for index in vehicles.indices where vehicles[index].drive != nil { notePosition(index, at: time) }
            if vehicles.contains(where: { $0.drive != nil }) { schedulePositions(after: time) }
        }
        return time
    }

    // MARK: Positions

    /// Where the vehicle is at `time`.
    private func position(of vehicle: Int, at time: Double) -> CityPoint {
        vehicles[vehicle].drive?.position(at: time).point ?? vehicles[vehicle].location
    }

    /// Sets the vehicle driving from where it is to `destination`, arriving at `arrival`.
    private mutating func startDriving(_ vehicle: Int, to destination: CityPoint, at time: Double, arriving arrival: Double) {
        let from = position(of: vehicle, at: time)
        vehicles[vehicle].location = from
        vehicles[vehicle].drive = Drive(from: from, to: destination, start: time, end: arrival)
        notePosition(vehicle, at: time)
        schedulePositions(after: time)
    }

    /// Stops the vehicle where its drive has taken it by `time` (its destination once it is due).
    private mutating func arrive(_ vehicle: Int, at time: Double) {
        guard vehicles[vehicle].drive != nil else { return }
        notePosition(vehicle, at: time)
        vehicles[vehicle].location = position(of: vehicle, at: time)
        vehicles[vehicle].drive = nil
    }

    private mutating func notePosition(_ vehicle: Int, at time: Double) {
        let point = position(of: vehicle, at: time)
        if let heading = vehicles[vehicle].drive?.position(at: time).heading { vehicles[vehicle].heading = heading }
        vehicles[vehicle].unwrittenPosition = (point, vehicles[vehicle].heading, time)
    }

    /// The next report, on the next multiple of the interval, so that all moving vehicles report together.
    private mutating func schedulePositions(after time: Double) {
        guard !positionsScheduled else { return }
        positionsScheduled = true
        events.schedule(.positions, at: ((time / positionInterval).rounded(.down) + 1) * positionInterval)
    }

    /// Records each vehicle's latest position since the last call: one per vehicle and transaction.
    mutating func reportPositions() {
        for index in vehicles.indices {
            guard let position = vehicles[index].unwrittenPosition else { continue }
            changes.append(.position(vehicleID: city.vehicles[index].id, position.point, heading: position.heading, at: position.at))
            vehicles[index].unwrittenPosition = nil
        }
    }

    private mutating func schedule(_ event: Event, at time: Double) {
        // Dispatch systems record whole seconds.
        events.schedule(event, at: time.rounded(.up))
    }

    /// Calls arrive as a Poisson process whose rate follows the local hour (by thinning).
    private mutating func scheduleNextCall(after time: Double) {
        var candidate = time
        let maximumRate = callsPerSecond * peakFactor
        while true {
            candidate += random.exponential(mean: 1 / maximumRate)
            if random.unit() * maximumRate <= callsPerSecond * relativeRate(at: candidate) { break }
        }
        events.schedule(.callArrives, at: max(candidate.rounded(), time + 1))
    }

    private func relativeRate(at time: Double) -> Double {
        let date = Date(timeIntervalSince1970: time)
        let hours = date.timeIntervalSince(settings.dayBoundary.dayStart(containing: date)) / 3600
        let profile = CityWords.hourlyCallProfile
        let mean = profile.reduce(0, +) / Double(profile.count)
        let hour = Int(hours) % 24
        let fraction = hours - hours.rounded(.down)
        return (profile[hour] * (1 - fraction) + profile[(hour + 1) % 24] * fraction) / mean
    }

    private mutating func callArrives(at time: Double) {
        scheduleNextCall(after: time)
        let outcome = random.weighted([
            (CallOutcome.valid, 55.0), (.information, 15), (.nuisance, 9), (.silent, 13), (.misdial, 8),
        ])
        let index = calls.count
        let call = SimCall(id: String(format: "C%07d", index + 1), received: time, outcome: outcome, callerPhone: IncidentDetails.phoneNumber(&random))
        calls.append(call)
        changes.append(.callReceived(id: call.id, at: time, callerPhone: call.callerPhone))
        if let seat = freeSeat() {
            seats[seat].busy = true
            schedule(.callAnswered(call: index, seat: seat), at: time + random.logNormal(median: 4, sigma: 0.45, within: 1...25))
        } else {
            waitingCalls.append(index)
            schedule(.callAbandoned(call: index), at: time + random.logNormal(median: 50, sigma: 0.6, within: 8...300))
        }
    }

    private func freeSeat() -> Int? {
        seats.indices.first { !seats[$0].busy && !seats[$0].away }
    }

    private mutating func callAnswered(call: Int, seat: Int, at time: Double) {
        guard !calls[call].ended else {
            seatReady(seat: seat, at: time)
            return
        }
        calls[call].answeredAt = time
        calls[call].seat = seat
        changes.append(.callAnswered(id: calls[call].id, at: time, seatID: city.seats[seat].id))
        setSeat(seat, .talking, at: time, call: calls[call].id)
        let talk: Double = switch calls[call].outcome {
        case .valid: random.logNormal(median: 95, sigma: 0.35, within: 40...360)
        case .information: random.logNormal(median: 60, sigma: 0.5, within: 15...300)
        case .nuisance: random.logNormal(median: 25, sigma: 0.6, within: 5...180)
        case .silent: random.logNormal(median: 12, sigma: 0.4, within: 4...40)
        case .misdial: random.logNormal(median: 8, sigma: 0.4, within: 3...30)
        }
        schedule(.callEnds(call: call), at: time + talk)
    }

    private mutating func callAbandoned(call: Int, at time: Double) {
        guard let position = waitingCalls.firstIndex(of: call) else { return }
        waitingCalls.remove(at: position)
        calls[call].ended = true
        changes.append(.callAbandoned(id: calls[call].id, at: time))
    }

    private mutating func callEnds(call: Int, at time: Double) {
        calls[call].ended = true
        let seatIndex = calls[call].seat
        var incidentID: String?
        if calls[call].outcome == .valid {
            incidentID = createIncident(call: call, at: time)
        }
        changes.append(.callEnded(id: calls[call].id, at: time, outcome: calls[call].outcome, incidentID: incidentID))
        guard let seatIndex else { return }
        setSeat(seatIndex, .wrapUp, at: time)
        let wrapUp = calls[call].outcome == .valid ? random.logNormal(median: 20, sigma: 0.4, within: 5...90) : random.uniform(2...8)
        schedule(.seatReady(seat: seatIndex), at: time + wrapUp)
    }

    private mutating func seatReady(seat: Int, at time: Double) {
        let othersAvailable = seats.indices.filter { $0 != seat && !seats[$0].away }.count
        if othersAvailable >= 2, random.chance(0.015) {
            seats[seat] = SimSeat(busy: false, away: true)
            setSeat(seat, .away, at: time)
            schedule(.seatBack(seat: seat), at: time + random.uniform(300...1200))
            return
        }
        setSeat(seat, .idle, at: time)
        seats[seat].busy = false
        takeWaitingCall(seat: seat, at: time)
    }

    private mutating func seatBack(seat: Int, at time: Double) {
        seats[seat] = SimSeat()
        setSeat(seat, .idle, at: time)
        takeWaitingCall(seat: seat, at: time)
    }

    /// Puts a seat in `state` from `time`.
    private mutating func setSeat(_ seat: Int, _ state: SeatState, at time: Double, call callID: String? = nil) {
        let info = city.seats[seat]
        changes.append(.seatState(seatID: info.id, state, at: time, dispatcherName: info.dispatcherName, callID: callID))
    }

    private mutating func takeWaitingCall(seat: Int, at time: Double) {
        guard !waitingCalls.isEmpty else { return }
        let call = waitingCalls.removeFirst()
        seats[seat].busy = true
        schedule(.callAnswered(call: call, seat: seat), at: time + random.uniform(1...3))
    }

    // MARK: Incidents and vehicles

    private mutating func createIncident(call: Int, at time: Double) -> String {
        let location = City.randomLocation(&random)
        let massCasualty = random.chance(massCasualtyChance)
        let details = IncidentDetails(at: location, massCasualty: massCasualty, random: &random)
        let vehiclesNeeded = massCasualty ? min(6, max(3, details.casualties / 2)) : details.casualties > 1 && random.chance(0.5) ? 2 : 1
        let index = incidents.count
        let incident = SimIncident(
            id: String(format: "E%07d", index + 1), location: location, maternity: details.category == "分娩",
            priority: details.priority, vehiclesStillNeeded: vehiclesNeeded
        )
        incidents.append(incident)
        let hospital = city.nearestHospital(to: location, maternity: incident.maternity)
        changes.append(.incident(SimulatedIncident(
            id: incident.id, callID: calls[call].id, received: calls[call].received, answered: calls[call].answeredAt, details: details,
            hospital: hospital.name, callerPhone: calls[call].callerPhone, location: location
        )))
        pendingIncidents.append(index)
        dispatchPending(at: time)
        return incident.id
    }

    /// Sends the nearest dispatchable vehicle to each waiting incident, most urgent first.
    private mutating func dispatchPending(at time: Double) {
        let order = pendingIncidents.enumerated().sorted { (incidents[$0.element].priority, $0.offset) < (incidents[$1.element].priority, $1.offset) }
        var stillPending: [Int] = []
        for (_, incidentIndex) in order {
            while incidents[incidentIndex].vehiclesStillNeeded > 0, let vehicle = nearestDispatchable(to: incidents[incidentIndex].location, at: time) {
                dispatch(vehicle: vehicle, incident: incidentIndex, at: time)
            }
            if incidents[incidentIndex].vehiclesStillNeeded > 0 { stillPending.append(incidentIndex) }
        }
        pendingIncidents = pendingIncidents.filter(stillPending.contains)
    }

    private func nearestDispatchable(to point: CityPoint, at time: Double) -> Int? {
        var best: (index: Int, distance: Double)?
        for index in vehicles.indices where vehicles[index].status.isDispatchable {
            let distance = position(of: index, at: time).distance(to: point)
            if best.map({ distance < $0.distance }) ?? true { best = (index, distance) }
        }
        return best?.index
    }

    private mutating func dispatch(vehicle: Int, incident: Int, at time: Double) {
        taskCount += 1
        let taskID = String(format: "T%07d", taskCount)
        incidents[incident].vehiclesStillNeeded -= 1
        incidents[incident].openTasks += 1
        vehicles[vehicle].generation += 1
        vehicles[vehicle].incident = incident
        vehicles[vehicle].taskID = taskID
        // A crew on its way home stops where it is to take the order.
        arrive(vehicle, at: time)
        let incidentID = incidents[incident].id
        changes.append(.taskDispatched(id: taskID, incidentID: incidentID, vehicleID: city.vehicles[vehicle].id, at: time, firstOfIncident: !incidents[incident].dispatched))
        incidents[incident].dispatched = true
        setStatus(vehicle: vehicle, .assigning, at: time)
        let generation = vehicles[vehicle].generation
        let orderReceived = time + random.uniform(5...20)
        schedule(.vehicleStep(vehicle: vehicle, generation: generation, status: .orderReceived), at: orderReceived)
        // Turnout: most crews roll within a minute or two; a few take longer than the 3-minute target.
        let turnout = random.logNormal(median: 75, sigma: 0.5, within: 25...480)
        schedule(.vehicleStep(vehicle: vehicle, generation: generation, status: .enRoute), at: max(orderReceived + 5, time + turnout))
    }

    /// Minutes to drive between two points in city traffic, with some luck either way.
    private mutating func driveSeconds(from: CityPoint, to: CityPoint, urgent: Bool) -> Double {
        let kilometres = from.distance(to: to) * 1.35
        let speed = urgent ? 34.0 : 28.0
        return (kilometres / speed * 3600 + 60) * random.logNormal(median: 1, sigma: 0.2, within: 0.7...1.8)
    }

    private mutating func vehicleStep(vehicle: Int, to status: VehicleStatus, at time: Double) {
        guard let incidentIndex = vehicles[vehicle].incident else { return }
        let incident = incidents[incidentIndex]
        let generation = vehicles[vehicle].generation
        // The run's end is written by finishTask, which also frees the vehicle.
        if status != .availableOnRoad { setStatus(vehicle: vehicle, status, at: time) }
        let hospital = city.nearestHospital(to: incident.location, maternity: incident.maternity, skipping: vehicle % 2 == 0 ? 0 : (incident.vehiclesStillNeeded + incident.openTasks > 1 ? 1 : 0))
        switch status {
        case .enRoute:
            let drive = driveSeconds(from: vehicles[vehicle].location, to: incident.location, urgent: incident.priority <= 2)
            if random.chance(0.04) {
                schedule(.emptyRun(vehicle: vehicle, generation: generation, reason: random.pick(CityWords.emptyRunReasonsEnRoute)), at: time + drive * random.uniform(0.2...0.9))
            }
            startDriving(vehicle, to: incident.location, at: time, arriving: (time + drive).rounded(.up))
            schedule(.vehicleStep(vehicle: vehicle, generation: generation, status: .atScene), at: time + drive)
        case .atScene:
            arrive(vehicle, at: time)
            if random.chance(0.05) {
                schedule(.emptyRun(vehicle: vehicle, generation: generation, reason: random.pick(CityWords.emptyRunReasonsAtScene)), at: time + random.uniform(180...900))
            } else {
                schedule(.vehicleStep(vehicle: vehicle, generation: generation, status: .patientOnBoard), at: time + random.logNormal(median: 720, sigma: 0.35, within: 240...2400))
            }
        case .patientOnBoard:
            let drive = driveSeconds(from: incident.location, to: hospital.location, urgent: incident.priority == 1)
            startDriving(vehicle, to: hospital.location, at: time, arriving: (time + drive).rounded(.up))
            schedule(.vehicleStep(vehicle: vehicle, generation: generation, status: .atHospital), at: time + drive)
        case .atHospital:
            arrive(vehicle, at: time)
            schedule(.vehicleStep(vehicle: vehicle, generation: generation, status: .availableOnRoad), at: time + random.logNormal(median: 900, sigma: 0.35, within: 300...2700))
        case .availableOnRoad:
            finishTask(vehicle: vehicle, at: time, emptyRunReason: nil)
        default:
            break
        }
    }

    /// Ends the vehicle's run (handed over, or an empty run), frees it and sends it home.
    private mutating func finishTask(vehicle: Int, at time: Double, emptyRunReason: String?) {
        guard let incidentIndex = vehicles[vehicle].incident, let taskID = vehicles[vehicle].taskID else { return }
        changes.append(.taskCompleted(id: taskID, at: time, emptyRunReason: emptyRunReason))
        vehicles[vehicle].incident = nil
        vehicles[vehicle].taskID = nil
        vehicles[vehicle].generation += 1
        setStatus(vehicle: vehicle, .availableOnRoad, at: time)
        incidents[incidentIndex].openTasks -= 1
        if incidents[incidentIndex].openTasks == 0, incidents[incidentIndex].vehiclesStillNeeded == 0 {
            incidents[incidentIndex].closed = true
            changes.append(.incidentClosed(id: incidents[incidentIndex].id, at: time))
        }
        // An empty run en route turns round where the vehicle is.
        arrive(vehicle, at: time)
        let home = city.stations[city.vehicles[vehicle].stationIndex].location
        let homecoming = (time + driveSeconds(from: vehicles[vehicle].location, to: home, urgent: false)).rounded(.up)
        startDriving(vehicle, to: home, at: time, arriving: homecoming)
        schedule(.backAtStation(vehicle: vehicle, generation: vehicles[vehicle].generation), at: homecoming)
        dispatchPending(at: time)
    }

    /// A vehicle's status change (its row, the status log and the matching task time stamp).
    private mutating func setStatus(vehicle: Int, _ status: VehicleStatus, at time: Double) {
        vehicles[vehicle].status = status
        let vehicleID = city.vehicles[vehicle].id
        let incidentID = vehicles[vehicle].incident.map { incidents[$0].id }
        let taskID = vehicles[vehicle].taskID
        changes.append(.vehicleStatus(vehicleID: vehicleID, status, at: time, incidentID: incidentID, taskID: taskID))
    }

    // MARK: Maintenance

    private mutating func scheduleService(vehicle: Int, after time: Double) {
        // About one suspension every six vehicle-days, one unavailability every thirty.
        schedule(.serviceStarts(vehicle: vehicle), at: time + random.exponential(mean: 86_400 / 0.2))
    }

    private mutating func serviceStarts(vehicle: Int, at time: Double) {
        guard vehicles[vehicle].status == .standby else {
            schedule(.serviceStarts(vehicle: vehicle), at: time + 1800)
            return
        }
        if random.chance(0.15) {
            setStatus(vehicle: vehicle, .unavailable, at: time)
            schedule(.serviceEnds(vehicle: vehicle), at: time + random.uniform(7200...21_600))
        } else {
            setStatus(vehicle: vehicle, .suspended, at: time)
            schedule(.serviceEnds(vehicle: vehicle), at: time + random.uniform(1800...9000))
        }
    }
}
