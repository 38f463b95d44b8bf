import WallboardProtocols
import WallboardTransport

/// Wallboard's side of one NovaStar H-series processor over UDP: a heartbeat every
/// `timing.heartbeat`, offline after `NovaStar.missedHeartbeatsUntilOffline` misses in a row,
/// readiness asked after each (re)connection, the watched input's signal polled, and the commands
/// an operator or a rule sends. One request is in flight at a time and a reply counts only when it
/// comes from the processor and names the command in flight; anything else is ignored.
public actor NovaStarLink {
    public struct Timing: Sendable {
        public var heartbeat: Duration
        /// How long a request waits for its reply.
        public var reply: Duration
        public var readinessRetry: Duration
        public var signalPoll: Duration

        public init(heartbeat: Duration, reply: Duration, readinessRetry: Duration, signalPoll: Duration) {
            self.heartbeat = heartbeat
            self.reply = reply
            self.readinessRetry = readinessRetry
            self.signalPoll = signalPoll
        }

        /// As the sources' module runs a processor; offline within `heartbeat × 3 + reply` = 10 s
        /// of its last answer, a lost signal known within `signalPoll + reply` = 3 s.
        public static let standard = Timing(heartbeat: NovaStar.heartbeatInterval, reply: .seconds(1),
                                            readinessRetry: NovaStar.readinessRetryInterval, signalPoll: .seconds(2))

        /// The longest a processor that stopped answering still counts as online.
        public var offlineAfter: Duration { heartbeat * NovaStar.missedHeartbeatsUntilOffline + reply }
    }

    public enum SignalState: Equatable, Sendable, CustomStringConvertible {
        /// No input is watched, or the processor has not been asked yet.
        case unknown
        case present
        /// The watched input has no usable signal (the reason as the processor reports it).
        case lost(NovaStarSignal)
        /// The processor answers heartbeats but not the input-signal queries.
        case notSupported

        public var description: String {
            switch self {
            case .unknown: "unknown"
            case .present: "present"
            case .lost(let signal): "lost (\(signal))"
            case .notSupported: "not supported by this processor"
            }
        }
    }

    public struct Status: Equatable, Sendable {
        public var online = false
        /// The processor said it finished starting (`R0118` rate 100).
        public var ready = false
        public var missedHeartbeats = 0
        public var signal = SignalState.unknown
        /// The last refusal or unreadable reply, naming its command.
        public var lastFault: NovaStarFault?
        /// Datagrams that were not a reply to the command in flight.
        public var ignoredDatagrams = 0
    }

    /// Why a command did not take effect.
    public enum CommandError: Error, Equatable, CustomStringConvertible {
        case refused(NovaStarFault)
        case noReply(NovaStarCommand, processor: String)

        public var description: String {
            switch self {
            case .refused(let fault): "the processor refused \(fault)"
            case .noReply(let command, let processor): "\(command): no reply from processor \(processor)"
            }
        }
    }

    public nonisolated let processor: UDPPeer
    public nonisolated let screen: NovaStarNumber
    public nonisolated let watched: NovaStarInput?
    public nonisolated let timing: Timing
    public private(set) var status = Status()
    private let socket: UDPSocket
    private var inFlight = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(processor: UDPPeer, screen: NovaStarNumber, watching input: NovaStarInput? = nil, timing: Timing = .standard) throws {
        self.processor = processor
        self.screen = screen
        self.watched = input
        self.timing = timing
        socket = try UDPSocket()
    }

    /// Keeps the heartbeat, readiness and signal watch going until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.keepHeartbeat() }
            group.addTask { await self.keepReadiness() }
            if watched != nil { group.addTask { await self.watchSignal() } }
        }
        socket.close()
    }

    public func loadPreset(_ preset: NovaStarNumber) async throws(CommandError) {
        try await command(.loadPreset(screen: screen, preset: preset))
    }

    public func setBrightness(_ percent: Int) async throws(CommandError) {
        try await command(.brightness(screen: screen, percent: percent))
    }

    public func setBlackScreen(_ black: Bool) async throws(CommandError) {
        try await command(.blackScreen(screen: screen, black: black))
    }

    private func command(_ request: NovaStarRequest) async throws(CommandError) {
        switch await exchange(request) {
        case .reply: return
        case .refused(let fault): throw .refused(fault)
        case nil: throw .noReply(request.command, processor: processor.description)
        }
    }

    private func keepHeartbeat() async {
        while !Task.isCancelled {
            let next = ContinuousClock.now.advanced(by: timing.heartbeat)
            switch await exchange(.heartbeat) {
            case .reply, .refused:
                status.online = true
                status.missedHeartbeats = 0
            case nil:
                status.missedHeartbeats += 1
                if status.missedHeartbeats >= NovaStar.missedHeartbeatsUntilOffline {
                    status.online = false
                    status.ready = false
                    if watched != nil { status.signal = .unknown }
                }
            }
            try? await Task.sleep(until: next)
        }
    }

    /// Asks readiness whenever the processor is online and not known ready.
    private func keepReadiness() async {
        while !Task.isCancelled {
            guard status.online, !status.ready else {
                try? await Task.sleep(for: timing.heartbeat / 10)
                continue
            }
            if case .reply(.readiness(let rate)) = await exchange(.readiness), rate >= NovaStar.readyRate {
                status.ready = true
            } else {
                try? await Task.sleep(for: timing.readinessRetry)
            }
        }
    }

    private func watchSignal() async {
        guard let watched else { return }
        var unansweredQueries = 0
        while !Task.isCancelled {
            let next = ContinuousClock.now.advanced(by: timing.signalPoll)
            if status.online && status.signal != .notSupported {
                let answer = await exchange(.slotSignal(slot: watched.slot))
                unansweredQueries = answer == nil ? unansweredQueries + 1 : 0
                if case .reply(.slotSignals(let slot)) = answer {
                    if let interface = slot.interfaces.first(where: { $0.interface == watched.interface }) {
                        status.signal = interface.signal == .connected ? .present : .lost(interface.signal)
                    } else {
                        status.lastFault = NovaStarFault(command: NovaStarCommand.slotSignal.rawValue,
                                                         reason: "slot \(watched.slot) has no interface \(watched.interface)")
                    }
                }
                // Twice unanswered while the heartbeats are answered: a processor without the query.
                if unansweredQueries >= 2 && status.missedHeartbeats == 0 { status.signal = .notSupported }
            }
            try? await Task.sleep(until: next)
        }
    }

    /// Sends `request` once it is the only one in flight and waits for its reply: nil when none
    /// came within `timing.reply`.
    private func exchange(_ request: NovaStarRequest) async -> ExchangeResult? {
        if inFlight {
            await withCheckedContinuation { waiting.append($0) }
        }
        inFlight = true
        defer {
            if waiting.isEmpty { inFlight = false } else { waiting.removeFirst().resume() }
        }
        let deadline = ContinuousClock.now.advanced(by: timing.reply)
        do {
            try await socket.send(request.datagram, to: processor)
            while true {
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero, let (datagram, sender) = try await socket.receive(timeout: remaining) else { return nil }
                guard sender == processor else {
                    status.ignoredDatagrams += 1
                    continue
                }
                switch NovaStarReply.read(datagram, answering: request.command) {
                case .reply(let reply): return .reply(reply)
                case .refused(let fault):
                    status.lastFault = fault
                    return .refused(fault)
                case .unrelated: status.ignoredDatagrams += 1
                }
            }
        } catch {
            status.lastFault = NovaStarFault(command: request.command.rawValue, reason: "\(error)")
        }
        return nil
    }

    private enum ExchangeResult: Equatable {
        case reply(NovaStarReply)
        case refused(NovaStarFault)
    }
}
