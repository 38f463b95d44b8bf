import Foundation

/// An ambulance station 急救分站.
public struct Station: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var district: String
    public var sortOrder: Int
    public var latitude: Double?
    public var longitude: Double?

    public init(id: String, name: String, district: String, sortOrder: Int, latitude: Double? = nil, longitude: Double? = nil) {
        self.id = id
        self.name = name
        self.district = district
        self.sortOrder = sortOrder
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// One vehicle's run for one incident 出车任务, with the vehicle time stamps.
public struct VehicleTask: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var incidentID: String
    public var vehicleID: String
    public var dispatchedAt: Date?
    public var departedAt: Date?
    public var atSceneAt: Date?
    public var patientOnBoardAt: Date?
    public var atHospitalAt: Date?
    public var completedAt: Date?
    /// Why the run ended without carrying a patient 放空 (caller cancelled, patient refused…); nil otherwise.
    public var emptyRunReason: String?

    public init(
        id: String, incidentID: String, vehicleID: String, dispatchedAt: Date?, departedAt: Date? = nil,
        atSceneAt: Date? = nil, patientOnBoardAt: Date? = nil, atHospitalAt: Date? = nil,
        completedAt: Date? = nil, emptyRunReason: String? = nil
    ) {
        self.id = id
        self.incidentID = incidentID
        self.vehicleID = vehicleID
        self.dispatchedAt = dispatchedAt
        self.departedAt = departedAt
        self.atSceneAt = atSceneAt
        self.patientOnBoardAt = patientOnBoardAt
        self.atHospitalAt = atHospitalAt
        self.completedAt = completedAt
        self.emptyRunReason = emptyRunReason
    }

    public var isEmptyRun: Bool { emptyRunReason != nil }
}

/// An ambulance 救护车 and what it is doing now.
public struct Vehicle: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    /// Radio call sign, e.g. 急救3号.
    public var callSign: String
    /// Number plate, e.g. 粤A·12345.
    public var plate: String
    public var stationID: String
    /// The code as stored; kept even when it is not one of 0–9.
    public var statusCode: Int?
    /// The decoded status; nil when the code is missing or unknown (reported in `issues`).
    public var status: VehicleStatus?
    public var statusSince: Date?
    public var incidentID: String?
    /// The run this vehicle is on now, if any.
    public var task: VehicleTask?
    /// The last reported position (WGS-84, as GPS reports it); nil when none was reported.
    public var latitude: Double?
    public var longitude: Double?
    /// Degrees clockwise from north.
    public var heading: Double?
    /// When the position was reported.
    public var positionAt: Date?

    public init(
        id: String, callSign: String, plate: String, stationID: String, statusCode: Int?,
        statusSince: Date? = nil, incidentID: String? = nil, task: VehicleTask? = nil,
        latitude: Double? = nil, longitude: Double? = nil, heading: Double? = nil, positionAt: Date? = nil
    ) {
        self.id = id
        self.callSign = callSign
        self.plate = plate
        self.stationID = stationID
        self.statusCode = statusCode
        self.status = statusCode.flatMap(VehicleStatus.init(rawValue:))
        self.statusSince = statusSince
        self.incidentID = incidentID
        self.task = task
        self.latitude = latitude
        self.longitude = longitude
        self.heading = heading
        self.positionAt = positionAt
    }
}

/// An incident 事件/任务: one valid call that needs one or more vehicles.
public struct Incident: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var callID: String?
    /// When the first call about it was received 来电时间.
    public var receivedAt: Date?
    public var answeredAt: Date?
    /// When the first vehicle was dispatched 派车时间.
    public var dispatchedAt: Date?
    /// When the incident was closed; nil while it is active.
    public var closedAt: Date?
    public var priority: IncidentPriority?
    /// 疾病 创伤 车祸 中毒 溺水 触电 分娩 成批伤员 …
    public var category: String
    /// 主诉, e.g. 胸痛2小时伴大汗.
    public var complaint: String
    /// 发病地址.
    public var incidentAddress: String
    /// 候车地址: where the crew meets the caller.
    public var pickupAddress: String
    public var landmark: String
    public var district: String
    public var casualties: Int
    public var destinationHospital: String
    /// Carried for internal boards; the layout layer masks or drops it for public boards.
    public var patientName: String
    public var patientSex: String
    public var patientAge: Int?
    /// Carried for internal boards; the layout layer masks or drops it for public boards.
    public var callbackPhone: String
    public var latitude: Double?
    public var longitude: Double?
    /// Vehicles on an active run for this incident.
    public var vehicleIDs: [String]

    public init(
        id: String, callID: String? = nil, receivedAt: Date?, answeredAt: Date? = nil, dispatchedAt: Date? = nil,
        closedAt: Date? = nil, priority: IncidentPriority?, category: String, complaint: String,
        incidentAddress: String, pickupAddress: String, landmark: String = "", district: String = "",
        casualties: Int = 1, destinationHospital: String = "", patientName: String = "", patientSex: String = "",
        patientAge: Int? = nil, callbackPhone: String = "", latitude: Double? = nil, longitude: Double? = nil,
        vehicleIDs: [String] = []
    ) {
        self.id = id
        self.callID = callID
        self.receivedAt = receivedAt
        self.answeredAt = answeredAt
        self.dispatchedAt = dispatchedAt
        self.closedAt = closedAt
        self.priority = priority
        self.category = category
        self.complaint = complaint
        self.incidentAddress = incidentAddress
        self.pickupAddress = pickupAddress
        self.landmark = landmark
        self.district = district
        self.casualties = casualties
        self.destinationHospital = destinationHospital
        self.patientName = patientName
        self.patientSex = patientSex
        self.patientAge = patientAge
        self.callbackPhone = callbackPhone
        self.latitude = latitude
        self.longitude = longitude
        self.vehicleIDs = vehicleIDs
    }

    public var isActive: Bool { closedAt == nil }
}

/// A call to 120.
public struct Call: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var receivedAt: Date?
    public var answeredAt: Date?
    public var endedAt: Date?
    public var seatID: String?
    public var outcome: CallOutcome?
    public var incidentID: String?
    /// Carried for internal boards; the layout layer masks or drops it for public boards.
    public var callerPhone: String

    public init(
        id: String, receivedAt: Date?, answeredAt: Date? = nil, endedAt: Date? = nil, seatID: String? = nil,
        outcome: CallOutcome? = nil, incidentID: String? = nil, callerPhone: String = ""
    ) {
        self.id = id
        self.receivedAt = receivedAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.seatID = seatID
        self.outcome = outcome
        self.incidentID = incidentID
        self.callerPhone = callerPhone
    }

    /// Ringing or queued: received, not answered, not hung up.
    public var isWaiting: Bool { receivedAt != nil && answeredAt == nil && endedAt == nil }
}

/// A call-taker / dispatcher position 坐席.
public struct Seat: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    /// The position's label, e.g. 3号台.
    public var name: String
    public var dispatcherName: String
    public var state: SeatState?
    public var stateSince: Date?
    public var currentCallID: String?

    public init(id: String, name: String, dispatcherName: String, state: SeatState?, stateSince: Date? = nil, currentCallID: String? = nil) {
        self.id = id
        self.name = name
        self.dispatcherName = dispatcherName
        self.state = state
        self.stateSince = stateSince
        self.currentCallID = currentCallID
    }
}

/// A row the source could not take as it was: skipped, or kept with the bad field cleared.
public struct DataIssue: Sendable, Codable, Hashable, CustomStringConvertible {
    public enum Problem: String, Sendable, Codable, Hashable {
        case missingKey = "missing key"
        case missingValue = "missing value"
        case unknownCode = "unknown code"
        case futureTimestamp = "time stamp in the future"
        case badTimestamp = "not a time stamp"
        case controlCharacters = "control characters removed"
        case invalidText = "invalid UTF-8 replaced"
        case danglingReference = "refers to a missing row"
        /// About the whole table: the seats at a past moment come from the calls instead.
        case seatsDerivedFromCalls = "absent: the seats at a past moment are derived from the calls each one answered (see SCHEMA.md)"
    }

    public var table: String
    /// The row's key, or its rowid when the key itself is missing; empty when the issue is about the whole table.
    public var rowID: String
    public var column: String
    public var problem: Problem
    /// true when the whole row was left out of the snapshot.
    public var rowSkipped: Bool

    public init(table: String, rowID: String, column: String, problem: Problem, rowSkipped: Bool) {
        self.table = table
        self.rowID = rowID
        self.column = column
        self.problem = problem
        self.rowSkipped = rowSkipped
    }

    public var description: String {
        guard !rowID.isEmpty else { return "\(table): \(problem.rawValue)" }
        return "\(table) row \(rowID), column \(column): \(problem.rawValue)\(rowSkipped ? " (row skipped)" : "")"
    }
}

/// Everything the boards show, as it was at one moment, read in one consistent transaction.
public struct DispatchSnapshot: Sendable, Codable, Hashable {
    /// The moment the snapshot describes (the data clock when it was read, or the replay moment).
    public var takenAt: Date
    /// Local midnight that starts the day the figures count, in the configured time zone.
    public var dayStart: Date
    /// The source's change counter for this state, when it has one.
    public var sourceVersion: Int64?
    /// Sorted by sort order, then id.
    public var stations: [Station]
    /// Sorted by station order, then call sign.
    public var vehicles: [Vehicle]
    /// Active incidents, most urgent first, then oldest first.
    public var incidents: [Incident]
    /// Calls ringing or queued now, longest waiting first.
    public var waitingCalls: [Call]
    public var seats: [Seat]
    public var figures: DispatchFigures
    /// The figures over the day (per hour, station, category, seat); nil when the source does not compute them.
    public var day: DayFigures?
    public var issues: [DataIssue]
    /// How the data's clock ran against the wall clock when it did not run with it (a simulation
    /// at another speed or another time); nil when the data lives on the wall clock.
    public var timeline: DataTimeline?

    public init(
        takenAt: Date, dayStart: Date, sourceVersion: Int64?, stations: [Station], vehicles: [Vehicle],
        incidents: [Incident], waitingCalls: [Call], seats: [Seat], figures: DispatchFigures, issues: [DataIssue],
        day: DayFigures? = nil
    ) {
        self.takenAt = takenAt
        self.dayStart = dayStart
        self.sourceVersion = sourceVersion
        self.stations = stations
        self.vehicles = vehicles
        self.incidents = incidents
        self.waitingCalls = waitingCalls
        self.seats = seats
        self.figures = figures
        self.issues = issues
        self.day = day
    }

    /// Whether this snapshot comes from another read than `earlier`: read at another moment, or
    /// of another version of the data. States that only confirm or report keep their snapshot.
    public func isAnotherRead(than earlier: DispatchSnapshot?) -> Bool {
        takenAt != earlier?.takenAt || sourceVersion != earlier?.sourceVersion
    }

    /// What the data's clock reads at wall-clock moment `wall`: `wall` itself unless the data
    /// runs on a clock of its own.
    public func dataTime(atWall wall: Date) -> Date {
        guard let timeline else { return wall }
        return takenAt.addingTimeInterval(wall.timeIntervalSince(timeline.wallTakenAt) * timeline.speed)
    }

    /// The wall-clock moment at which the data's clock reads `data`: the inverse of
    /// `dataTime(atWall:)`; nil when the data's clock stands still or runs backwards.
    public func wallTime(atData data: Date) -> Date? {
        guard let timeline else { return data }
        guard timeline.speed > 0 else { return nil }
        return timeline.wallTakenAt.addingTimeInterval(data.timeIntervalSince(takenAt) / timeline.speed)
    }

    public func station(id: String) -> Station? { stations.first { $0.id == id } }
    public func vehicle(id: String) -> Vehicle? { vehicles.first { $0.id == id } }
    public func incident(id: String) -> Incident? { incidents.first { $0.id == id } }
    public func vehicles(atStation stationID: String) -> [Vehicle] { vehicles.filter { $0.stationID == stationID } }
}

/// A data clock that is not the wall clock: the wall-clock moment a snapshot was read, and how
/// many data seconds pass per wall second.
public struct DataTimeline: Sendable, Codable, Hashable {
    public var wallTakenAt: Date
    public var speed: Double

    public init(wallTakenAt: Date, speed: Double) {
        self.wallTakenAt = wallTakenAt
        self.speed = speed
    }
}
