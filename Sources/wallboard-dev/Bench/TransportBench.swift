import WallboardSupport
import WallboardTransport
import WallboardTransportCore

extension BenchCatalog {
    /// Delivery round trips through real pseudo-terminals and loopback TCP: what one frame with
    /// its acknowledgement costs here, and whether hundreds of waiting boards slow the others.
    static let transport: [BenchCase] = [
        BenchCase(name: "transport-pty-ack-roundtrip") {
            try await measureRoundTrips(idleBoards: 0, overTCP: false)
        },
        BenchCase(name: "transport-pty-ack-roundtrip-300-idle") {
            try await measureRoundTrips(idleBoards: 300, overTCP: false)
        },
        BenchCase(name: "transport-tcp-ack-roundtrip") {
            try await measureRoundTrips(idleBoards: 0, overTCP: true)
        },
    ]
}

/// A typical station door update's size on the wire (an Onbon font-card text area is tens of bytes).
private let doorUpdate: [UInt8] = Array(repeating: 0x41, count: 63) + [0x36]

/// Answers `AC` to every frame ending in `36`, as a TPM2 device does.
private struct AcknowledgingBoard: ServedBoard {
    func receive(_ bytes: [UInt8]) async -> [UInt8] {
        bytes.filter { $0 == 0x36 }.map { _ in 0xAC }
    }
}

private struct AcknowledgementByte: ReplyInterpreter {
    func interpret(_ received: [UInt8]) -> ReplyVerdict {
        guard let first = received.first else { return .incomplete }
        return first == 0xAC ? .acknowledged : .garbage("expected AC")
    }
}

private func measureRoundTrips(idleBoards: Int, overTCP: Bool) async throws -> [String: any Sendable] {
    let silent = try (0..<idleBoards).map { _ in try PseudoTerminal() }
    let idleLinks = silent.map {
        BoardLink(name: "idle", transport: SerialTransport(path: $0.devicePath), replies: AcknowledgementByte(),
                  policy: DeliveryPolicy(replyTimeout: .seconds(3600), maxAttempts: 1))
    }
    let waiting = idleLinks.map { link in Task { await link.send(doorUpdate) } }
    for terminal in silent { _ = try await terminal.read(exactly: doorUpdate.count, timeout: .seconds(30)) }

    let transport: any Transport
    let stopServer: () -> Void
    let serving: Task<Void, any Error>
    if overTCP {
        let server = try TCPBoardServer(board: AcknowledgingBoard())
        serving = Task { try await server.run() }
        transport = TCPTransport(host: "127.0.0.1", port: server.port)
        stopServer = server.close
    } else {
        let server = try PseudoTerminalBoardServer(board: AcknowledgingBoard())
        serving = Task { try await server.run() }
        transport = SerialTransport(path: server.devicePath)
        stopServer = server.close
    }
    let link = BoardLink(name: "bench", transport: transport, replies: AcknowledgementByte(),
                         policy: DeliveryPolicy(replyTimeout: .seconds(5), maxAttempts: 1))
    var failures = 0
    var figures = await measureAsyncThroughput {
        if case .failed = await link.send(doorUpdate) { failures += 1 }
    }
    figures["bytes"] = doorUpdate.count
    let wire = SerialSettings(baudRate: 9600).wireTime(byteCount: doorUpdate.count)
    figures["wire_ms_9600"] = (wire.inMilliseconds * 10).rounded() / 10
    figures["idle_boards"] = idleBoards
    figures["failures"] = failures

    await link.close()
    stopServer()
    serving.cancel()
    waiting.forEach { $0.cancel() }
    for task in waiting { _ = await task.value }
    silent.forEach { $0.close() }
    return figures
}

/// `measureThroughput` for async bodies.
private func measureAsyncThroughput(seconds: Double = 1, _ body: () async throws -> Void) async rethrows
    -> [String: any Sendable]
{
    let clock = ContinuousClock()
    for _ in 0..<3 { try await body() }
    var iterations = 1
    while true {
        let start = clock.now
        for _ in 0..<iterations { try await body() }
        let elapsed = clock.now - start
        let elapsedSeconds = elapsed.inSeconds
        if elapsedSeconds >= seconds / 4 || iterations >= 1 << 20 {
            let repeatCount = max(iterations, Int(Double(iterations) * seconds / max(elapsedSeconds, 1e-9)))
            let measuredStart = clock.now
            for _ in 0..<repeatCount { try await body() }
            let measured = clock.now - measuredStart
            let ns = measured.inSeconds * 1e9 / Double(repeatCount)
            return ["ns_per_op": (ns * 10).rounded() / 10, "ops_per_s": (1e9 / ns).rounded(), "iterations": repeatCount]
        }
        iterations *= 2
    }
}
