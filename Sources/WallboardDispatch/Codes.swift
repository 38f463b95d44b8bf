/// Vehicle status codes as one widely used Chinese 120 dispatch system numbers them, in the order
/// a task runs. Stored as the integer code; anything else is reported as a data issue.
public enum VehicleStatus: Int, Sendable, Codable, CaseIterable, Hashable {
    case assigning = 0
    case orderReceived = 1
    case enRoute = 2
    case atScene = 3
    case patientOnBoard = 4
    case atHospital = 5
    case availableOnRoad = 6
    case standby = 7
    case unavailable = 8
    case suspended = 9

    public var chineseName: String {
        switch self {
        case .assigning: "开始分配任务"
        case .orderReceived: "收到指令"
        case .enRoute: "驶向现场"
        case .atScene: "到达现场"
        case .patientOnBoard: "病人上车"
        case .atHospital: "到达医院"
        case .availableOnRoad: "途中待命"
        case .standby: "站内待命"
        case .unavailable: "不能调用"
        case .suspended: "暂停调用"
        }
    }

    public var englishName: String {
        switch self {
        case .assigning: "assigning"
        case .orderReceived: "order received"
        case .enRoute: "en route"
        case .atScene: "at scene"
        case .patientOnBoard: "patient on board"
        case .atHospital: "at hospital"
        case .availableOnRoad: "available on the road"
        case .standby: "standby at station"
        case .unavailable: "unavailable"
        case .suspended: "suspended"
        }
    }

    /// Codes 0–5: the vehicle is working a task.
    public var isOnTask: Bool { rawValue <= 5 }
    /// Codes 6–7: the vehicle can be dispatched.
    public var isDispatchable: Bool { self == .availableOnRoad || self == .standby }
    /// Codes 8–9: out of service.
    public var isOutOfService: Bool { self == .unavailable || self == .suspended }
}

/// Incident priority 急救分级: 1 危重 critical, 2 急 urgent, 3 一般 routine.
public enum IncidentPriority: Int, Sendable, Codable, CaseIterable, Hashable {
    case critical = 1
    case urgent = 2
    case routine = 3

    public var chineseName: String {
        switch self {
        case .critical: "危重"
        case .urgent: "急"
        case .routine: "一般"
        }
    }

    public var englishName: String {
        switch self {
        case .critical: "critical"
        case .urgent: "urgent"
        case .routine: "routine"
        }
    }
}

/// How a call ended. Stored as the English word; NULL while the call rings or is being taken,
/// and for a call abandoned before anyone answered.
public enum CallOutcome: String, Sendable, Codable, CaseIterable, Hashable {
    case valid
    case information
    case nuisance
    case silent
    case misdial

    public var chineseName: String {
        switch self {
        case .valid: "有效"
        case .information: "咨询"
        case .nuisance: "骚扰"
        case .silent: "无声"
        case .misdial: "误拨"
        }
    }
}

/// A call-taker seat's state, stored as the English word.
public enum SeatState: String, Sendable, Codable, CaseIterable, Hashable {
    case idle
    case talking
    case wrapUp = "wrap-up"
    case away

    public var chineseName: String {
        switch self {
        case .idle: "空闲"
        case .talking: "通话"
        case .wrapUp: "话后处理"
        case .away: "离席"
        }
    }
}
