/// One command to a processor, with numbers as the console shows them. Its wire object holds the
/// command's own keys first, then `cmd` and `deviceId`, with every number 0-based.
public enum NovaStarRequest: Equatable, Sendable, CustomStringConvertible {
    case heartbeat
    case readiness
    case loadPreset(screen: NovaStarNumber, preset: NovaStarNumber)
    /// Brightness in percent, 0...100.
    case brightness(screen: NovaStarNumber, percent: Int)
    case blackScreen(screen: NovaStarNumber, black: Bool)
    case slotSignal(slot: NovaStarNumber)
    case deviceDetails

    public static let brightnessRange = 0...100

    public var command: NovaStarCommand {
        switch self {
        case .heartbeat: .heartbeat
        case .readiness: .readiness
        case .loadPreset: .loadPreset
        case .brightness: .brightness
        case .blackScreen: .blackScreen
        case .slotSignal: .slotSignal
        case .deviceDetails: .deviceDetails
        }
    }

    /// The request's own keys, before `cmd` and `deviceId`.
    private var parameters: [JSONValue.Member] {
        switch self {
        case .heartbeat: []
        case .readiness, .deviceDetails: [.init("param0", .integer(NovaStar.deviceId))]
        case .loadPreset(let screen, let preset):
            [.init("screenId", .integer(screen.wire)), .init("presetId", .integer(preset.wire))]
        case .brightness(let screen, let percent):
            [.init("screenId", .integer(screen.wire)),
             .init("brightness", .integer(min(max(percent, Self.brightnessRange.lowerBound), Self.brightnessRange.upperBound)))]
        case .blackScreen(let screen, let black):
            [.init("screenId", .integer(screen.wire)), .init("type", .integer(black ? 0 : 1))]
        case .slotSignal(let slot):
            [.init("param0", .integer(NovaStar.deviceId)), .init("param1", .integer(slot.wire))]
        }
    }

    public var object: JSONValue {
        .object(parameters + [.init("cmd", .string(command.rawValue)), .init("deviceId", .integer(NovaStar.deviceId))])
    }

    /// The datagram that carries this request alone.
    public var datagram: [UInt8] { Array(JSONValue.array([object]).serialized.utf8) }

    public var description: String {
        switch self {
        case .heartbeat: "heartbeat"
        case .readiness: "readiness"
        case .loadPreset(let screen, let preset): "load preset \(preset) on screen \(screen)"
        case .brightness(let screen, let percent): "brightness \(percent)% on screen \(screen)"
        case .blackScreen(let screen, let black): "black screen \(black ? "on" : "off") on screen \(screen)"
        case .slotSignal(let slot): "input signal of slot \(slot)"
        case .deviceDetails: "device details"
        }
    }

    /// Reads the request objects of one datagram, as a processor does: each object is a request
    /// or a fault naming its command. A datagram that is not a JSON array of objects is one fault.
    public static func decode(_ datagram: [UInt8]) -> [Result<NovaStarRequest, NovaStarFault>] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(datagram)
        } catch {
            return [.failure(NovaStarFault(command: "?", reason: error.description))]
        }
        guard let objects = value.array, !objects.isEmpty else {
            return [.failure(NovaStarFault(command: "?", reason: "a datagram must be a non-empty JSON array of commands"))]
        }
        return objects.map { object in
            Result { () throws(NovaStarFault) in try decode(object: object) }
        }
    }

    static func decode(object: JSONValue) throws(NovaStarFault) -> NovaStarRequest {
        guard let name = object["cmd"]?.string else {
            throw NovaStarFault(command: "?", reason: "a command object without \"cmd\"")
        }
        guard let command = NovaStarCommand(rawValue: name) else {
            throw NovaStarFault(command: name, reason: "unknown command")
        }
        func number(_ key: String) throws(NovaStarFault) -> NovaStarNumber {
            guard let wire = object[key]?.integer, let number = NovaStarNumber(wire: wire) else {
                throw NovaStarFault(command: name, reason: "\"\(key)\" missing or not a number from 0")
            }
            return number
        }
        switch command {
        case .heartbeat: return .heartbeat
        case .readiness: return .readiness
        case .deviceDetails: return .deviceDetails
        case .loadPreset: return .loadPreset(screen: try number("screenId"), preset: try number("presetId"))
        case .brightness:
            guard let percent = object["brightness"]?.integer, brightnessRange.contains(percent) else {
                throw NovaStarFault(command: name, reason: "\"brightness\" missing or outside \(brightnessRange)")
            }
            return .brightness(screen: try number("screenId"), percent: percent)
        case .blackScreen:
            guard let type = object["type"]?.integer, type == 0 || type == 1 else {
                throw NovaStarFault(command: name, reason: "\"type\" missing or neither 0 (black) nor 1 (picture)")
            }
            return .blackScreen(screen: try number("screenId"), black: type == 0)
        case .slotSignal: return .slotSignal(slot: try number("param1"))
        }
    }
}
