import Foundation
import Synchronization
import WallboardConfig
import WallboardProcessors
import WallboardProtocols

/// What the HTTP side may know about one video-wall processor and what an operator asks of it:
/// the link's state as the runtime last saw it, what is loaded, the faults, and the operator's
/// holds. The runtime writes it; HTTP handlers read it and set the holds; neither waits on the other.
public final class ProcessorMonitor: Sendable {
    public let configuration: ProcessorConfiguration

    /// What an operator set, held until they release it (`releaseToAutomatic`).
    struct Holds: Equatable {
        var preset: String?
        var brightness: Double?
        var blackScreen: Bool?
    }

    struct State {
        /// The link's status as last seen; nil before the runtime first looked.
        var link: NovaStarLink.Status?
        var holds = Holds()
        /// The preset the rules want for the newest snapshot; nil before the first.
        var automaticPreset: String?
        /// The preset last loaded (or refused), as the processor should be showing it.
        var preset: String?
        var presetLoads = 0
        /// Brightness in percent as last applied, and whether the screen was last set black.
        var brightness: Int?
        var blackScreen: Bool?
        var lastFault: String?
        var lastFaultAt: Date?
        var history = BoardHistory()
    }

    let state = Mutex(State())
    /// Rung when an operator changes a hold, so the runtime acts at once.
    let bell = Doorbell()
    /// Rung whenever the processor's health changes.
    let healthWatchers = HealthWatchers()

    init(configuration: ProcessorConfiguration) {
        self.configuration = configuration
    }

    public var id: String { configuration.id }

    /// Loads `preset` and keeps it whatever the rules say, until `releaseToAutomatic`.
    public func holdPreset(_ preset: String) {
        change { $0.preset = preset }
    }

    /// Overrides the schedule's brightness (0…1); nil returns to it.
    public func holdBrightness(_ level: Double?) {
        change { $0.brightness = level }
    }

    /// Sets the screen black (true) or showing its picture (false) whatever the schedule says; nil returns to it.
    public func holdBlackScreen(_ black: Bool?) {
        change { $0.blackScreen = black }
    }

    /// Back to automatic: the rules choose the preset and the schedule the brightness and black screen.
    public func releaseToAutomatic() {
        change { $0 = Holds() }
    }

    private func change(_ body: (inout Holds) -> Void) {
        state.withLock { body(&$0.holds) }
        bell.ring()
    }

    var holds: Holds { state.withLock { $0.holds } }

    func record(link status: NovaStarLink.Status, automaticPreset: String?, at now: Date) {
        let (health, detail) = Self.health(of: status, watched: configuration.signal)
        let healthChanged = state.withLock { state -> Bool in
            if let fault = status.lastFault, fault != state.link?.lastFault {
                state.lastFault = fault.description
                state.lastFaultAt = now
            }
            state.link = status
            state.automaticPreset = automaticPreset
            let changed = state.history.record(health, at: now, detail: detail)
            guard changed else { return false }
            // Going offline and losing the wall PC's signal are faults in their own right.
            if let detail {
                state.lastFault = detail
                state.lastFaultAt = now
            }
            return true
        }
        if healthChanged { healthWatchers.ringAll() }
    }

    /// A processor is failing while offline or while the wall PC's input has lost its signal, and
    /// waiting until it first answers.
    static func health(of status: NovaStarLink.Status, watched: NovaStarInput?) -> (BoardDeliveryStatus, String?) {
        if !status.online {
            guard status.missedHeartbeats >= NovaStar.missedHeartbeatsUntilOffline else { return (.waiting, nil) }
            return (.failing, "\(NovaStarCommand.heartbeat): offline, \(status.missedHeartbeats) heartbeats unanswered")
        }
        if case .lost(let signal) = status.signal, let watched {
            return (.failing, "\(NovaStarCommand.slotSignal): the wall PC's input (\(watched)) lost its signal: \(signal)")
        }
        return (.ok, nil)
    }

    func recordPresetLoaded(_ preset: String) {
        state.withLock { state in
            state.preset = preset
            state.presetLoads += 1
        }
    }

    func recordPresetRefused() {
        state.withLock { $0.preset = nil }
    }

    func recordBrightness(_ percent: Int) {
        state.withLock { $0.brightness = percent }
    }

    func recordBlackScreen(_ black: Bool) {
        state.withLock { $0.blackScreen = black }
    }

    func recordFault(_ description: String, at now: Date) {
        state.withLock { state in
            state.lastFault = description
            state.lastFaultAt = now
        }
    }

    /// Offline: what was loaded and set is unknown until the runtime sends it again.
    func forgetApplied() {
        state.withLock { state in
            state.preset = nil
            state.brightness = nil
            state.blackScreen = nil
        }
    }

    /// The processor's health changes, newest first, each with how long it lasted until `now`.
    public func events(now: Date) -> [BoardEvent] {
        state.withLock { $0.history }.newestFirst(lastingUntil: now)
    }

    /// The status shown by `/api/v1/processors`, `/healthz` and the console.
    public var report: ProcessorReport {
        let configuration = self.configuration
        return state.withLock { state in
            ProcessorReport(
                id: configuration.id, kind: configuration.kind.rawValue, address: "\(configuration.host):\(configuration.port)",
                screen: configuration.screen.shown, presets: configuration.presets.map(\.name),
                status: state.history.events.last?.status ?? .waiting,
                online: state.link?.online ?? false, ready: state.link?.ready ?? false,
                signal: configuration.signal == nil ? nil : state.link?.signal.description ?? "unknown",
                signalInput: configuration.signal?.description,
                preset: state.preset, automaticPreset: state.automaticPreset, heldPreset: state.holds.preset,
                presetLoads: state.presetLoads,
                brightness: state.brightness, brightnessOverride: state.holds.brightness,
                blackScreen: state.blackScreen, blackScreenOverride: state.holds.blackScreen,
                lastFault: state.lastFault, lastFaultAt: state.lastFaultAt, ignoredDatagrams: state.link?.ignoredDatagrams ?? 0
            )
        }
    }
}

/// One processor's status as the API reports it; numbers as the processor's console shows them.
public struct ProcessorReport: Codable, Sendable, Hashable {
    public var id: String
    public var kind: String
    /// `host:port` of its UDP side.
    public var address: String
    public var screen: Int
    public var presets: [String]
    /// `waiting` until it first answers, `failing` while offline or while the wall PC's input has no signal.
    public var status: BoardDeliveryStatus
    public var online: Bool
    /// It said it has finished starting (`R0118`).
    public var ready: Bool
    /// The watched input's signal (`present`, `lost (no source)`, `unknown`, `not supported by this
    /// processor`); nil when no input is watched.
    public var signal: String?
    public var signalInput: String?
    /// The preset last loaded; nil before the first, while offline, or after a refusal.
    public var preset: String?
    /// What the rules want for the newest snapshot.
    public var automaticPreset: String?
    /// An operator's preset, held until released.
    public var heldPreset: String?
    public var presetLoads: Int
    /// Percent, as last sent.
    public var brightness: Int?
    public var brightnessOverride: Double?
    public var blackScreen: Bool?
    public var blackScreenOverride: Bool?
    /// The last refusal, unanswered command or lost signal, naming its command (`W0605: …`).
    public var lastFault: String?
    public var lastFaultAt: Date?
    /// Datagrams that answered nothing in flight (garbage, another command's reply, another sender).
    public var ignoredDatagrams: Int
}
