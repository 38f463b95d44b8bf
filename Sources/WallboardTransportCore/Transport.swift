/// A byte pipe to one board. Implementations never block the caller's thread: waiting happens
/// in the shared poll() loop (`IOReactor`) or on the device's own worker thread, so hundreds of
/// boards share a few threads and a stalled board holds up nobody else.
public protocol Transport: Actor {
    /// The device path, host:port or VID:PID, for status and errors.
    nonisolated var deviceName: String { get }

    /// Opens or connects. Opening an open transport reopens it.
    func open() async throws

    /// Writes all of `bytes`, or throws `TransportError` (`.timedOut` when the device did not take
    /// them within `timeout`, `.disconnected` when it went away).
    func write(_ bytes: [UInt8], timeout: Duration) async throws

    /// Waits up to `timeout` for bytes and returns what has arrived (at most `maxCount`); an empty
    /// array means nothing arrived in time. Throws `.disconnected` when the device went away.
    func read(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8]

    /// `read` for the answer to a write just made, which cannot be there yet: waits until the
    /// device has input before reading, rather than first making a read that finds nothing.
    func readReply(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8]

    /// Closes the device; safe to call more than once.
    func close() async

    /// Waits before trying to reopen after a failure: `delay` at most, less when the transport
    /// learns that the device is back (USB hot-plug).
    func waitBeforeReconnect(delay: Duration) async throws
}

extension Transport {
    public func readReply(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8] {
        try await read(upTo: maxCount, timeout: timeout)
    }

    public func waitBeforeReconnect(delay: Duration) async throws {
        try await Task.sleep(for: delay)
    }
}
