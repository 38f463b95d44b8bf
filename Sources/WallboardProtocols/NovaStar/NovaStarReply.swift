/// What a processor answered to one command.
public enum NovaStarReply: Equatable, Sendable {
    /// `"ack":"Ok"` to a heartbeat or a write (preset, brightness, black screen).
    case acknowledged(NovaStarCommand)
    /// The readiness rate (`R0118`): `NovaStar.readyRate` once the processor has started.
    case readiness(rate: Int)
    /// One slot's interfaces (`R0102`).
    case slotSignals(NovaStarSlotSignals)
    /// Every slot's interfaces (`R0100`).
    case deviceSignals([NovaStarSlotSignals])

    public var command: NovaStarCommand {
        switch self {
        case .acknowledged(let command): command
        case .readiness: .readiness
        case .slotSignals: .slotSignal
        case .deviceSignals: .deviceDetails
        }
    }

    /// The reply datagram, as a processor sends it (the emulator's side).
    public var datagram: [UInt8] {
        var members: [JSONValue.Member] = [.init("cmd", .string(command.rawValue)), .init("ack", .string(NovaStar.acknowledged))]
        switch self {
        case .acknowledged: break
        case .readiness(let rate): members.append(.init("rate", .integer(rate)))
        case .slotSignals(let slot): members += Self.members(of: slot)
        case .deviceSignals(let slots):
            members.append(.init("slotList", .array(slots.map { slot in
                .object(Self.members(of: slot) + [.init("cardType", .integer(Self.inputCardType)), .init("status", .integer(1))])
            })))
        }
        return Array(JSONValue.array([.object(members)]).serialized.utf8)
    }

    /// The refusal of a command, `"ack":"Error"` (the failure value is unverified: Wallboard reads
    /// anything but `"Ok"` as a refusal).
    public static func refusal(of command: String) -> [UInt8] {
        Array(JSONValue.array([.object([.init("cmd", .string(command)), .init("ack", .string("Error"))])]).serialized.utf8)
    }

    /// `cardType` of an input card in `R0100`'s slot list.
    static let inputCardType = 1

    private static func members(of slot: NovaStarSlotSignals) -> [JSONValue.Member] {
        [.init("slotId", .integer(slot.slot.wire)),
         .init("interfaces", .array(slot.interfaces.map { interface in
             .object([.init("interfaceId", .integer(interface.interface.wire)), .init("iSignal", .integer(interface.signal.rawValue))])
         }))]
    }

    /// Reads a datagram that arrived while `command` was in flight. Anything that is not a reply
    /// (not JSON, no `cmd`) or answers another command is `.unrelated`, for the caller to ignore;
    /// a reply to `command` without `"ack":"Ok"`, or whose data cannot be read, is a fault naming it.
    public static func read(_ datagram: [UInt8], answering command: NovaStarCommand) -> NovaStarReplyReading {
        let value: JSONValue
        do {
            value = try JSONValue.parse(datagram)
        } catch {
            return .unrelated(error.description)
        }
        guard let first = value.array?.first, let name = first["cmd"]?.string else {
            return .unrelated("not a reply: no JSON array whose first object has \"cmd\"")
        }
        guard name == command.rawValue else { return .unrelated("a reply to \(name), not \(command)") }
        guard let ack = first["ack"], ack == .string(NovaStar.acknowledged) else {
            let said = first["ack"].map { "\"ack\":\($0.serialized)" } ?? "no \"ack\""
            return .refused(NovaStarFault(command: name, reason: "refused (\(said) instead of \"ack\":\"Ok\")"))
        }
        do {
            return .reply(try reply(command, from: first))
        } catch {
            return .refused(error)
        }
    }

    private static func reply(_ command: NovaStarCommand, from object: JSONValue) throws(NovaStarFault) -> NovaStarReply {
        switch command {
        case .heartbeat, .loadPreset, .brightness, .blackScreen: return .acknowledged(command)
        case .readiness:
            guard let rate = object["rate"]?.integer else { throw NovaStarFault(command: command.rawValue, reason: "no \"rate\" in the reply") }
            return .readiness(rate: rate)
        case .slotSignal: return .slotSignals(try slot(from: object, command: command))
        case .deviceDetails:
            guard let slots = object["slotList"]?.array else {
                throw NovaStarFault(command: command.rawValue, reason: "no \"slotList\" in the reply")
            }
            var read: [NovaStarSlotSignals] = []
            for slotObject in slots where slotObject["cardType"]?.integer == inputCardType {
                read.append(try slot(from: slotObject, command: command))
            }
            return .deviceSignals(read)
        }
    }

    private static func slot(from object: JSONValue, command: NovaStarCommand) throws(NovaStarFault) -> NovaStarSlotSignals {
        func fault(_ reason: String) -> NovaStarFault { NovaStarFault(command: command.rawValue, reason: reason) }
        guard let wire = object["slotId"]?.integer, let slot = NovaStarNumber(wire: wire) else {
            throw fault("\"slotId\" missing or not a number from 0")
        }
        guard let interfaces = object["interfaces"]?.array else { throw fault("no \"interfaces\" for slot \(slot)") }
        var signals: [NovaStarInterfaceSignal] = []
        for interface in interfaces {
            guard let wire = interface["interfaceId"]?.integer, let number = NovaStarNumber(wire: wire) else {
                throw fault("an interface of slot \(slot) without a valid \"interfaceId\"")
            }
            guard let code = interface["iSignal"]?.integer, let signal = NovaStarSignal(rawValue: code) else {
                throw fault("interface \(number) of slot \(slot): \"iSignal\" missing or not 0, 1 or 2")
            }
            signals.append(NovaStarInterfaceSignal(interface: number, signal: signal))
        }
        return NovaStarSlotSignals(slot: slot, interfaces: signals)
    }
}

/// A datagram read against the command in flight.
public enum NovaStarReplyReading: Equatable, Sendable {
    case reply(NovaStarReply)
    /// The processor answered the command but refused it, or its answer cannot be read.
    case refused(NovaStarFault)
    /// Not a reply to the command in flight (garbage, a late reply to another one): ignore it.
    case unrelated(String)
}
