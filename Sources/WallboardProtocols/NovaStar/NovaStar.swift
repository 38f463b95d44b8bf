/// The NovaStar H-series video-wall processors (H2/H5/H9/H15/H20): not a board but the splicer in
/// front of the wall, driven by JSON commands over UDP. One datagram is one JSON array of command
/// objects; a reply is an array whose first object names the command it answers and says
/// `"ack":"Ok"`. Sources and what is unverified: `PROTOCOLS-HUIDU-CPOWER-NOVASTAR.md`, section C.
public enum NovaStar {
    public static let port: UInt16 = 6000
    public static let heartbeatInterval: Duration = .seconds(3)
    /// Heartbeats missed in a row before the processor counts as offline.
    public static let missedHeartbeatsUntilOffline = 3
    /// The readiness rate (`R0118`) of a processor that has finished starting.
    public static let readyRate = 100
    /// How long to wait before asking a processor that is still starting again.
    public static let readinessRetryInterval: Duration = .seconds(15)
    /// The one device a processor's commands address.
    public static let deviceId = 0
    /// The acknowledgement of a command the processor carried out.
    public static let acknowledged = "Ok"
}

/// A screen, preset, input slot or interface number as the processor's console shows it, from 1.
/// The wire counts from 0; `init(wire:)` and `wire` are the one place that converts.
public struct NovaStarNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let shown: Int

    public init?(shown: Int) {
        guard shown >= 1 else { return nil }
        self.shown = shown
    }

    public init?(wire: Int) {
        guard wire >= 0, wire < Int.max else { return nil }
        shown = wire + 1
    }

    public var wire: Int { shown - 1 }

    public var description: String { String(shown) }

    public static func < (lhs: NovaStarNumber, rhs: NovaStarNumber) -> Bool { lhs.shown < rhs.shown }
}

/// The commands Wallboard sends, by their wire names.
public enum NovaStarCommand: String, Sendable, CaseIterable, CustomStringConvertible {
    case heartbeat = "W0120"
    case readiness = "R0118"
    case loadPreset = "W0605"
    case brightness = "W0410"
    /// Fade to black on one screen; its `type` is inverted: 0 = black, 1 = picture.
    case blackScreen = "W0409"
    /// One input card's interfaces and their signal (`R0102`; only in unmerged sources).
    case slotSignal = "R0102"
    /// Every card with its interfaces and their signal (`R0100`; only in unmerged sources).
    case deviceDetails = "R0100"

    public var description: String { rawValue }
}

/// What a processor refused or answered in a way that cannot be used, naming the command.
public struct NovaStarFault: Error, Equatable, Sendable, CustomStringConvertible {
    /// The wire name of the command (`W0605`), as sent or as received.
    public let command: String
    public let reason: String

    public init(command: String, reason: String) {
        self.command = command
        self.reason = reason
    }

    public var description: String { "\(command): \(reason)" }
}

/// An input interface's signal, as `R0100`/`R0102` report it (`iSignal`).
public enum NovaStarSignal: Int, Sendable, CaseIterable, CustomStringConvertible {
    case noSource = 0
    case connected = 1
    case disconnected = 2

    public var description: String {
        switch self {
        case .noSource: "no source"
        case .connected: "connected"
        case .disconnected: "disconnected"
        }
    }
}

/// One interface of an input card and its signal.
public struct NovaStarInterfaceSignal: Equatable, Sendable {
    public let interface: NovaStarNumber
    public let signal: NovaStarSignal

    public init(interface: NovaStarNumber, signal: NovaStarSignal) {
        self.interface = interface
        self.signal = signal
    }
}

/// One card slot and the signals of its interfaces.
public struct NovaStarSlotSignals: Equatable, Sendable {
    public let slot: NovaStarNumber
    public let interfaces: [NovaStarInterfaceSignal]

    public init(slot: NovaStarNumber, interfaces: [NovaStarInterfaceSignal]) {
        self.slot = slot
        self.interfaces = interfaces
    }
}

/// An input card's interface (slot and interface, as the console numbers them): the one that
/// carries the wall PC, whose signal is watched.
public struct NovaStarInput: Hashable, Sendable, CustomStringConvertible {
    public let slot: NovaStarNumber
    public let interface: NovaStarNumber

    public init(slot: NovaStarNumber, interface: NovaStarNumber) {
        self.slot = slot
        self.interface = interface
    }

    public var description: String { "slot \(slot) interface \(interface)" }
}
