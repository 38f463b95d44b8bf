import Synchronization
import WallboardSupport
import WallboardTransportCore

/// Delivers frames to one board: opens the transport when needed, writes, waits for the reply
/// where the protocol has one, retries with backoff, reconnects, and keeps the board's status.
/// Each board has its own link, and a link only ever waits on its own device, so a board that
/// stalls never holds up another.
public actor BoardLink {
    public nonisolated let name: String
    public let transport: any Transport
    public let policy: DeliveryPolicy
    private let replies: (any ReplyInterpreter)?
    private let session: (any BoardSession)?
    private var isOpen = false
    /// Connections opened so far, the first included: a caller that sees it grow knows the
    /// device may have restarted and forgotten what it was told.
    /// Read without waiting for the link, which may be busy with a send.
    public nonisolated var connectionsOpened: Int { opened.load(ordering: .relaxed) }
    private nonisolated let opened = Atomic(0)
    /// What the session's opening named on this connection (Huidu's session GUID).
    private var sessionToken: String?
    /// The last write the board answered, or that needed no answer: the keep-alive's clock.
    private var lastExchange: ContinuousClock.Instant?
    private var missedKeepAlives = 0
    public private(set) var status = BoardStatus()
    /// Sends run one at a time: the actor alone would interleave them at every suspension.
    private var isSending = false
    private var queuedSenders: [CheckedContinuation<Void, Never>] = []

    /// - Parameters:
    ///   - name: the board's name, for status pages.
    ///   - replies: how the board's protocol answers; `nil` for boards that never answer.
    ///   - session: what the protocol does on each connection besides the frames; nil for none.
    public init(name: String, transport: any Transport, replies: (any ReplyInterpreter)?,
                policy: DeliveryPolicy = DeliveryPolicy(), session: (any BoardSession)? = nil)
    {
        self.name = name
        self.transport = transport
        self.replies = replies
        self.policy = policy
        self.session = session
    }

    /// Sends one frame.
    /// - Parameter expectReply: `false` for a frame the board will not answer even though its
    ///   protocol can (an Onbon broadcast to FFFF, say).
    @discardableResult
    public func send(_ frame: [UInt8], expectReply: Bool = true) async -> DeliveryOutcome {
        await takeTurn()
        defer { passTurn() }
        return await attempts(frame, expectReply: expectReply, allowed: policy.maxAttempts).outcome
    }

    /// Sends `messages` in order, pausing `pause` between two, and stops at the first that fails.
    /// A board that answers gets every attempt the policy allows for a message; a board already
    /// failing gets one, since `waitAfterFailure` has waited as the policy says: over a board's
    /// outage the attempts follow the policy's schedule alone. Reports the bytes this delivery wrote.
    public func deliver(_ messages: [[UInt8]], pause: Duration = .zero) async -> DeliveryReport {
        await takeTurn()
        defer { passTurn() }
        var written = 0
        var attemptsMade = 0
        for (index, message) in messages.enumerated() {
            if index > 0, pause > .zero { try? await Task.sleep(for: pause) }
            let (outcome, bytes) = await attempts(message, expectReply: true, allowed: status.consecutiveFailures > 0 ? 1 : policy.maxAttempts)
            written += bytes
            switch outcome {
            case .delivered(let attempts): attemptsMade += attempts
            case .failed: return DeliveryReport(outcome: outcome, bytesWritten: written, lastError: status.lastError)
            }
        }
        return DeliveryReport(outcome: .delivered(attempts: attemptsMade), bytesWritten: written, lastError: nil)
    }

    /// After a frame failed: waits as the policy's backoff says for the failures so far before
    /// the next frame is tried, less when the transport sees the device come back.
    public func waitAfterFailure() async {
        try? await waitBeforeRetry(policy.backoff(beforeAttempt: status.consecutiveFailures + 1))
    }

    /// Up to `allowed` attempts at one frame, with the policy's backoff between them: the only
    /// retry loop between a board and its driver.
    private func attempts(_ frame: [UInt8], expectReply: Bool, allowed: Int) async -> (outcome: DeliveryOutcome, bytes: Int) {
        let interpreter = expectReply ? replies : nil
        var lastHealth = BoardHealth.unknown
        var attempts = 0
        var written = 0
        while attempts < allowed, !Task.isCancelled {
            if attempts > 0 {
                do {
                    try await waitBeforeRetry(policy.backoff(beforeAttempt: attempts + 1))
                } catch {
                    break
                }
                status.retries += 1
            }
            attempts += 1
            let (health, bytes) = await attemptDelivery(frame, interpret: interpreter?.interpret)
            written += bytes
            if health == .ok {
                status.health = .ok
                status.framesDelivered += 1
                status.consecutiveFailures = 0
                status.lastDelivered = .now
                return (.delivered(attempts: attempts), written)
            }
            lastHealth = health
            status.health = health
            status.consecutiveFailures += 1
            if case .rejected(let error) = health, !error.isRetryable { break }
        }
        status.framesFailed += 1
        return (.failed(lastHealth, attempts: attempts), written)
    }

    /// When the session's keep-alive is next due, while the link is open; nil when it has none.
    public var nextKeepAlive: ContinuousClock.Instant? {
        guard let keepAlive = session?.keepAlive, isOpen, let lastExchange else { return nil }
        return lastExchange + keepAlive.interval
    }

    /// Sends the session's keep-alive when the board has had no exchange for its interval; nil
    /// when none was due. After as many unanswered in a row as the session allows, the link
    /// counts as lost: it is closed and the report says so (the next send opens a new session).
    public func keepAlive() async -> DeliveryReport? {
        guard let keepAlive = session?.keepAlive, isOpen, let lastExchange, ContinuousClock.now - lastExchange >= keepAlive.interval else { return nil }
        await takeTurn()
        defer { passTurn() }
        guard isOpen else { return nil }
        let (health, written) = await attemptDelivery(keepAlive.message, interpret: keepAlive.answer.interpret)
        guard health != .ok else {
            missedKeepAlives = 0
            return DeliveryReport(outcome: .delivered(attempts: 1), bytesWritten: written, lastError: nil)
        }
        missedKeepAlives += 1
        // An unanswered heartbeat waits its interval again before the next.
        self.lastExchange = .now
        guard missedKeepAlives >= keepAlive.missesAllowed || health == .disconnected else {
            return DeliveryReport(outcome: .delivered(attempts: 1), bytesWritten: written, lastError: status.lastError)
        }
        let missed = missedKeepAlives
        status.lastError = "\(transport.deviceName): \(missed) heartbeat\(missed == 1 ? "" : "s") unanswered in a row, the link is lost"
        status.health = .disconnected
        status.consecutiveFailures += 1
        status.framesFailed += 1
        await close()
        return DeliveryReport(outcome: .failed(.disconnected, attempts: missed), bytesWritten: written, lastError: status.lastError)
    }

    /// Waits `delay` before sending again; less when the link is closed and its transport sees
    /// the device come back. Throws when cancelled.
    public func waitBeforeRetry(_ delay: Duration) async throws {
        if isOpen {
            try await Task.sleep(for: delay)
        } else {
            try await transport.waitBeforeReconnect(delay: delay)
        }
    }

    private func takeTurn() async {
        if isSending {
            await withCheckedContinuation { queuedSenders.append($0) }
        }
        isSending = true
    }

    private func passTurn() {
        if queuedSenders.isEmpty {
            isSending = false
        } else {
            // The turn passes straight to the next sender; isSending stays true.
            queuedSenders.removeFirst().resume()
        }
    }

    /// Closes the device; the next send reopens it (and opens a new session).
    public func close() async {
        await transport.close()
        isOpen = false
        sessionToken = nil
        lastExchange = nil
        missedKeepAlives = 0
    }

    /// One attempt, and the bytes it wrote: on a closed link the transport opened and the
    /// session's opening first, then `frame` fitted to the session.
    private func attemptDelivery(_ frame: [UInt8], interpret: (([UInt8]) -> ReplyVerdict)?) async -> (BoardHealth, Int) {
        var written = 0
        do {
            if !isOpen {
                try await transport.open()
                isOpen = true
                opened.add(1, ordering: .relaxed)
                if let session {
                    for step in session.opening {
                        try await discardStaleInput()
                        try await transport.write(step.request, timeout: policy.writeTimeout)
                        written += step.request.count
                        status.bytesSent += step.request.count
                        var token: String?
                        let health = try await awaitReply { received in
                            let (verdict, named) = step.read(received)
                            token = named ?? token
                            return verdict
                        }
                        guard health == .ok else {
                            await close()
                            return (health, written)
                        }
                        if let token { sessionToken = token }
                    }
                }
            }
            let wire = session?.prepare(frame, token: sessionToken) ?? frame
            if interpret != nil { try await discardStaleInput() }
            try await transport.write(wire, timeout: policy.writeTimeout)
            written += wire.count
            status.bytesSent += wire.count
            guard let interpret else {
                lastExchange = .now
                return (.ok, written)
            }
            let health = try await awaitReply(interpret)
            if health == .ok { lastExchange = .now }
            return (health, written)
        } catch let error as TransportError {
            // Gone, or stuck (a port that takes no bytes within the write timeout): start afresh.
            status.lastError = error.description
            await close()
            return (.disconnected, written)
        } catch {
            // Only cancellation reaches here: the transports throw nothing but TransportError.
            status.lastError = "\(transport.deviceName): \(error)"
            await close()
            return (.disconnected, written)
        }
    }

    private func awaitReply(_ interpret: ([UInt8]) -> ReplyVerdict) async throws -> BoardHealth {
        let deadline = policy.replyTimeout.fromNow
        var received: [UInt8] = []
        while true {
            // Read at least once even past the deadline: a task that ran late (a busy machine)
            // still finds a reply that came in time.
            let remaining = max(.zero, ContinuousClock.now.duration(to: deadline))
            let chunk = try await transport.readReply(upTo: 4096, timeout: remaining)
            if chunk.isEmpty {
                if ContinuousClock.now >= deadline { break }
                continue
            }
            received += chunk
            switch interpret(received) {
            case .incomplete:
                continue
            case .acknowledged:
                return .ok
            case .rejected(let error):
                status.lastError = "\(transport.deviceName): the board answered NACK, \(error)"
                return .rejected(error)
            case .garbage(let reason):
                status.lastError = "\(transport.deviceName): bad reply \(Self.hex(received)): \(reason)"
                try await discardStaleInput()
                return .badReply
            }
        }
        if received.isEmpty {
            status.lastError = "\(transport.deviceName): no reply within \(policy.replyTimeout)"
            return .noReply
        }
        status.lastError = "\(transport.deviceName): incomplete reply \(Self.hex(received)) "
            + "within \(policy.replyTimeout)"
        return .badReply
    }

    /// Drops bytes left over from an earlier reply or line noise, so they are not read as the
    /// answer to the next frame.
    private func discardStaleInput() async throws {
        while try await !transport.read(upTo: 4096, timeout: .zero).isEmpty {}
    }

    static func hex(_ bytes: [UInt8]) -> String {
        Hex.bytes(bytes.prefix(32)) + (bytes.count > 32 ? " … (\(bytes.count) bytes)" : "")
    }
}
