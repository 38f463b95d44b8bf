import WallboardProtocols
import WallboardTransportCore

/// A NovaStar H-series processor as its network side behaves: screens with presets, brightness and
/// black screen, input cards whose interfaces have a signal. It answers each command object of a
/// datagram with `"ack":"Ok"` and its data, and refuses (`"ack":"Error"`) an unknown command,
/// screen, preset or slot. A test can take an input's signal away, silence the processor, or make
/// it one that does not answer the input-signal queries.
public actor NovaStarProcessorEmulator: ServedDatagramDevice {
    /// The name `wallboard emulate --protocol` takes.
    public static let protocolName = "novastar-h"

    public struct Screen: Equatable, Sendable {
        public let presets: Set<NovaStarNumber>
        public var preset: NovaStarNumber?
        public var brightness = 100
        public var black = false
    }

    public enum Event: Equatable, Sendable, CustomStringConvertible {
        case carried(NovaStarRequest)
        case refused(NovaStarFault)
        /// A request it received while told not to answer.
        case ignored(NovaStarRequest)

        public var description: String {
            switch self {
            case .carried(let request): "carried out: \(request)"
            case .refused(let fault): "refused \(fault)"
            case .ignored(let request): "ignored while silent: \(request)"
            }
        }
    }

    public private(set) var screens: [NovaStarNumber: Screen]
    public private(set) var inputs: [NovaStarNumber: [NovaStarNumber: NovaStarSignal]]
    /// Below `NovaStar.readyRate` while the processor is still starting.
    public private(set) var readinessRate = NovaStar.readyRate
    /// False: the processor receives but never answers (switched off, cable pulled).
    public private(set) var isAnswering = true
    /// False: a processor whose firmware has no `R0102`/`R0100` and leaves them unanswered.
    public let answersSignalQueries: Bool
    public private(set) var journal: [Event] = []

    /// - Parameters:
    ///   - screens: how many screens, numbered from 1, each with presets 1...`presets`.
    ///   - slots: how many input cards, numbered from 1, each with `interfaces` connected interfaces.
    public init(screens: Int = 1, presets: Int = 16, slots: Int = 1, interfaces: Int = 4, answersSignalQueries: Bool = true) {
        let presetNumbers = Set((1...max(1, presets)).compactMap { NovaStarNumber(shown: $0) })
        self.screens = Dictionary(uniqueKeysWithValues: (1...max(1, screens)).compactMap { NovaStarNumber(shown: $0) }.map {
            ($0, Screen(presets: presetNumbers))
        })
        let connected = Dictionary(uniqueKeysWithValues: (1...max(1, interfaces)).compactMap { NovaStarNumber(shown: $0) }.map {
            ($0, NovaStarSignal.connected)
        })
        self.inputs = Dictionary(uniqueKeysWithValues: (1...max(1, slots)).compactMap { NovaStarNumber(shown: $0) }.map { ($0, connected) })
        self.answersSignalQueries = answersSignalQueries
    }

    public func setAnswering(_ answering: Bool) { isAnswering = answering }

    public func setSignal(_ signal: NovaStarSignal, slot: NovaStarNumber, interface: NovaStarNumber) {
        guard inputs[slot]?[interface] != nil else { return }
        inputs[slot]?[interface] = signal
    }

    public func setReadinessRate(_ rate: Int) { readinessRate = rate }

    /// How many requests it carried out that `matching` picks (preset loads, say).
    public func count(where matching: (NovaStarRequest) -> Bool) -> Int {
        journal.count { event in
            if case .carried(let request) = event { return matching(request) }
            return false
        }
    }

    public func receive(datagram: [UInt8]) async -> [[UInt8]] {
        var answers: [[UInt8]] = []
        for decoded in NovaStarRequest.decode(datagram) {
            switch decoded {
            case .failure(let fault):
                journal.append(.refused(fault))
                if isAnswering { answers.append(NovaStarReply.refusal(of: fault.command)) }
            case .success(let request):
                guard isAnswering else {
                    journal.append(.ignored(request))
                    continue
                }
                switch carryOut(request) {
                case .success(let reply):
                    journal.append(.carried(request))
                    if let reply { answers.append(reply.datagram) }
                case .failure(let fault):
                    journal.append(.refused(fault))
                    answers.append(NovaStarReply.refusal(of: fault.command))
                }
            }
        }
        return answers
    }

    /// The reply to `request` (nil: a query this processor leaves unanswered), or why it refuses.
    private func carryOut(_ request: NovaStarRequest) -> Result<NovaStarReply?, NovaStarFault> {
        let command = request.command.rawValue
        switch request {
        case .heartbeat: return .success(.acknowledged(.heartbeat))
        case .readiness: return .success(.readiness(rate: readinessRate))
        case .loadPreset(let screen, let preset):
            guard screens[screen] != nil else { return .failure(NovaStarFault(command: command, reason: "no screen \(screen)")) }
            guard screens[screen]?.presets.contains(preset) == true else {
                return .failure(NovaStarFault(command: command, reason: "no preset \(preset) on screen \(screen)"))
            }
            screens[screen]?.preset = preset
        case .brightness(let screen, let percent):
            guard screens[screen] != nil else { return .failure(NovaStarFault(command: command, reason: "no screen \(screen)")) }
            screens[screen]?.brightness = percent
        case .blackScreen(let screen, let black):
            guard screens[screen] != nil else { return .failure(NovaStarFault(command: command, reason: "no screen \(screen)")) }
            screens[screen]?.black = black
        case .slotSignal(let slot):
            guard answersSignalQueries else { return .success(nil) }
            guard let interfaces = inputs[slot] else { return .failure(NovaStarFault(command: command, reason: "no input card in slot \(slot)")) }
            return .success(.slotSignals(Self.signals(of: slot, interfaces)))
        case .deviceDetails:
            guard answersSignalQueries else { return .success(nil) }
            return .success(.deviceSignals(inputs.keys.sorted().map { Self.signals(of: $0, inputs[$0] ?? [:]) }))
        }
        return .success(.acknowledged(request.command))
    }

    private static func signals(of slot: NovaStarNumber, _ interfaces: [NovaStarNumber: NovaStarSignal]) -> NovaStarSlotSignals {
        NovaStarSlotSignals(slot: slot, interfaces: interfaces.keys.sorted().map {
            NovaStarInterfaceSignal(interface: $0, signal: interfaces[$0] ?? .noSource)
        })
    }
}
