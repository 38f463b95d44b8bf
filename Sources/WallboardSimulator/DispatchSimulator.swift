import Foundation
import WallboardDispatch
import WallboardInterface

/// What to simulate and how fast.
public struct SimulationSettings: Sendable {
    public var seed: UInt64
    public var stationCount: Int
    public var vehicleCount: Int
    /// Call-taker seats; nil: one per ten vehicles, at least three.
    public var seatCount: Int?
    /// Average calls per day; nil: fourteen per vehicle.
    public var callsPerDay: Double?
    /// Simulated time of the first event.
    public var start: Date
    /// Simulated time to stop at; nil: run until cancelled.
    public var end: Date?
    /// Simulated seconds per wall-clock second once caught up with the clock.
    public var speed: Double
    /// false: write every event as fast as possible, ignoring the clock (needs `end`).
    public var followsClock: Bool
    public var dayBoundary: DayBoundary
    /// Delete existing dispatch rows first; without it the simulator refuses a database that has some.
    public var replacesExistingData: Bool

    public init(
        seed: UInt64 = 1, stationCount: Int = 12, vehicleCount: Int = 36, seatCount: Int? = nil, callsPerDay: Double? = nil,
        start: Date, end: Date? = nil, speed: Double = 1, followsClock: Bool = true, dayBoundary: DayBoundary = .shanghai,
        replacesExistingData: Bool = false
    ) {
        self.seed = seed
        self.stationCount = stationCount
        self.vehicleCount = vehicleCount
        self.seatCount = seatCount
        self.callsPerDay = callsPerDay
        self.start = start
        self.end = end
        self.speed = speed
        self.followsClock = followsClock
        self.dayBoundary = dayBoundary
        self.replacesExistingData = replacesExistingData
    }
}

/// Writes a realistic 120 centre's activity through the Wallboard interface, into a SQLite file
/// or onto a PostgreSQL server, in short transactions as a dispatch system would. The same seed and
/// settings give the same rows. The model keeps the centre's state; each transaction is the SQL of
/// the changes it made, written through the store. An actor: the service group runs it beside the boards.
public actor DispatchSimulator {
    private let settings: SimulationSettings
    private let store: any SimulationStore
    private var model: SimulationModel
    /// Events are written in one transaction per this many simulated seconds while catching up.
    private let catchUpBatchSeconds = 60.0

    /// Installs the interface in `store` and writes the city. Throws if the database already holds
    /// dispatch rows and `replacesExistingData` is false.
    package init(store: any SimulationStore, settings: SimulationSettings) async throws {
        guard settings.stationCount >= 1, settings.vehicleCount >= 1 else {
            throw SimulationError(description: "--stations and --vehicles must be at least 1")
        }
        guard settings.speed > 0 else { throw SimulationError(description: "--speed must be greater than 0") }
        if !settings.followsClock, settings.end == nil {
            throw SimulationError(description: "--fast needs an end: give --duration or --until")
        }
        self.settings = settings
        self.store = store
        model = SimulationModel(settings: settings)
        try await prepareDatabase()
    }

    private func prepareDatabase() async throws {
        try await store.installInterface()
        var statements: [InterfaceStatement] = []
        let existing = try await store.number("SELECT (SELECT count(*) FROM vehicles) + (SELECT count(*) FROM calls)") ?? 0
        if existing > 0 {
            guard settings.replacesExistingData else {
                throw SimulationError(description: "\(store.name) already holds dispatch data; pass --fresh to replace it")
            }
            for table in ["stations", "vehicles", "incidents", "vehicle_tasks", "calls", "seats", "vehicle_status_log", "seat_log"] {
                statements.append(InterfaceStatement("DELETE FROM \(table)"))
            }
        }
        statements.append(InterfaceStatement("DELETE FROM wallboard_interface WHERE key LIKE 'simulated_%'"))
        model.recordCity()
        try await store.commit(statements + model.takeChanges().flatMap(SimulationSQL.statements))
    }

    /// Runs until `end` (or until the task is cancelled when there is none).
    public func run() async throws {
        let end = settings.end.map(\.timeIntervalSince1970) ?? .infinity
        // Catching up writes many simulated minutes per second; losing them in a power cut costs nothing.
        try await store.setDurable(false)
        // Catch up with the clock (or run to the end) in batches, as fast as the disk allows.
        let catchUpUntil = settings.followsClock ? min(end, max(settings.start.timeIntervalSince1970, Date().timeIntervalSince1970)) : end
        while let next = model.nextEventTime, next < catchUpUntil {
            if Task.isCancelled { return }
            let batchEnd = min(catchUpUntil, (next / catchUpBatchSeconds).rounded(.down) * catchUpBatchSeconds + catchUpBatchSeconds)
            try await write(until: batchEnd, clockSpeed: 0)
        }
        guard settings.followsClock else {
            try await write(until: end, clockSpeed: 0, force: true)
            return
        }
        try await store.setDurable(true)
        let simulatedAnchor = catchUpUntil
        let wallAnchor = Date().timeIntervalSince1970
        try await write(until: simulatedAnchor, clockSpeed: settings.speed, force: true)
        while !Task.isCancelled {
            // The clock is followed to the end even when no event falls before it.
            let next = model.nextEventTime ?? .infinity
            let target = min(next, end)
            guard target.isFinite else { break }
            let due = wallAnchor + (target - simulatedAnchor) / settings.speed
            let wait = due - Date().timeIntervalSince1970
            if wait > 0 {
                do { try await Task.sleep(for: .milliseconds(Int((wait * 1000).rounded(.up)))) } catch { break }
            }
            guard next < end else {
                try await write(until: end, clockSpeed: settings.speed, force: true)
                break
            }
            let simulatedNow = simulatedAnchor + (Date().timeIntervalSince1970 - wallAnchor) * settings.speed
            try await write(until: max(next, simulatedNow).nextUp, clockSpeed: settings.speed)
        }
    }

    /// Processes every event before `limit` and writes what they changed, with the simulator's
    /// clock, in one transaction.
    private func write(until limit: Double, clockSpeed: Double, force: Bool = false) async throws {
        guard force || (model.nextEventTime.map { $0 < limit } ?? false) else { return }
        var last = model.lastEventTime
        while let next = model.nextEventTime, next < limit {
            last = model.processNext()
        }
        model.reportPositions()
        let clockTime = limit.isFinite ? limit : last
        let clock: [(String, String)] = [
            ("simulated_time", String(clockTime)),
            ("simulated_wall_time", String(Date().timeIntervalSince1970)),
            ("simulated_speed", String(clockSpeed)),
        ]
        try await store.commit(model.takeChanges().flatMap(SimulationSQL.statements) + clock.map { key, value in
            InterfaceStatement("INSERT INTO wallboard_interface (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])
        })
    }
}
