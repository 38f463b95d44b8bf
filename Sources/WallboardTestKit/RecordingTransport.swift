import WallboardTransportCore

/// A transport that records every frame written and answers through a closure: for testing
/// delivery and anything above it without a device. It can be unplugged and plugged back.
public actor RecordingTransport: Transport {
    public nonisolated let deviceName: String
    /// Every frame written, in order.
    public private(set) var writes: [[UInt8]] = []
    public private(set) var openCount = 0
    public private(set) var closeCount = 0
    public private(set) var isOpen = false
    /// Every read, in order: whether it was a plain `read` or a `readReply`.
    public private(set) var reads: [ReadKind] = []
    private var isPlugged = true
    private var pendingInput: [UInt8] = []
    private let answer: @Sendable ([UInt8]) -> [UInt8]

    /// - Parameter answer: the bytes the "board" sends back for each frame written (empty: silence).
    public init(deviceName: String = "recording", answer: @escaping @Sendable ([UInt8]) -> [UInt8] = { _ in [] }) {
        self.deviceName = deviceName
        self.answer = answer
    }

    public func open() throws {
        guard isPlugged else {
            throw TransportError(.notFound, device: deviceName, operation: "open", detail: "the device is unplugged")
        }
        openCount += 1
        isOpen = true
    }

    public func write(_ bytes: [UInt8], timeout: Duration) throws {
        try checkUsable(operation: "write")
        writes.append(bytes)
        pendingInput += answer(bytes)
    }

    public enum ReadKind: Sendable, Equatable {
        case plain, reply
    }

    public func read(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8] {
        reads.append(.plain)
        return try await take(upTo: maxCount, timeout: timeout)
    }

    public func readReply(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8] {
        reads.append(.reply)
        return try await take(upTo: maxCount, timeout: timeout)
    }

    private func take(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8] {
        try checkUsable(operation: "read")
        if pendingInput.isEmpty, timeout > .zero {
            try await Task.sleep(for: timeout)
            try checkUsable(operation: "read")
        }
        let chunk = Array(pendingInput.prefix(maxCount))
        pendingInput.removeFirst(chunk.count)
        return chunk
    }

    public func close() {
        if isOpen { closeCount += 1 }
        isOpen = false
        pendingInput = []
    }

    /// The device goes away: open fails and I/O on an open transport reports a disconnection.
    public func unplug() { isPlugged = false }

    public func plug() { isPlugged = true }

    /// Bytes the board sends unasked (line noise, a late reply).
    public func receive(_ bytes: [UInt8]) { pendingInput += bytes }

    private func checkUsable(operation: String) throws {
        guard isOpen else {
            throw TransportError(.notOpen, device: deviceName, operation: operation, detail: "not open")
        }
        guard isPlugged else {
            isOpen = false
            throw TransportError(.disconnected, device: deviceName, operation: operation, detail: "unplugged")
        }
    }
}
