import Glibc
import Synchronization
import WallboardTransportCore

/// Owns one non-blocking file descriptor (a serial port, a socket, a pseudo-terminal end) and
/// closes it once, explicitly or in deinit. Reads and writes suspend in the `IOReactor`.
final class Descriptor: Sendable {
    let number: Int32
    let device: String
    private let isSocket: Bool
    private let closed = Atomic<Bool>(false)

    init(number: Int32, device: String, isSocket: Bool = false) {
        self.number = number
        self.device = device
        self.isSocket = isSocket
    }

    deinit { close() }

    func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        IOReactor.shared.close(descriptor: number)
    }

    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Writes every byte before `deadline`.
    func writeAll(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
        var written = 0
        while written < bytes.count {
            try ensureOpen(operation: "write")
            let result = bytes.withUnsafeBytes { buffer in
                let start = buffer.baseAddress.map { $0 + written }
                return isSocket
                    ? send(number, start, bytes.count - written, Int32(MSG_NOSIGNAL))
                    : Glibc.write(number, start, bytes.count - written)
            }
            if result > 0 {
                written += result
                continue
            }
            let error = errno
            if result < 0 && error == EINTR { continue }
            guard result < 0 && (error == EAGAIN || error == EWOULDBLOCK) else {
                throw TransportError.system(result == 0 ? EIO : error, device: device, operation: "write")
            }
            if try await waitReady(.writable, until: deadline, operation: "write") == .timedOut {
                throw TransportError(.timedOut, device: device, operation: "write",
                                     detail: "wrote \(written) of \(bytes.count) bytes before the timeout")
            }
        }
    }

    /// Returns the bytes that arrive first (at most `maxCount`), or nothing when `deadline` passes.
    func readAvailable(upTo maxCount: Int, deadline: ContinuousClock.Instant) async throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max(1, maxCount))
        while true {
            try ensureOpen(operation: "read")
            let result = buffer.withUnsafeMutableBytes { Glibc.read(number, $0.baseAddress, $0.count) }
            if result > 0 { return Array(buffer.prefix(result)) }
            if result == 0 {
                throw TransportError(.disconnected, device: device, operation: "read",
                                     detail: "the other end closed the connection")
            }
            let error = errno
            if error == EINTR { continue }
            guard error == EAGAIN || error == EWOULDBLOCK else {
                throw TransportError.system(error, device: device, operation: "read")
            }
            // Nothing there and no time to wait (a drain of stale input): no need to go to the loop.
            if deadline <= .now { return [] }
            if try await waitReady(.readable, until: deadline, operation: "read") == .timedOut { return [] }
        }
    }

    /// `readAvailable` for input that cannot have arrived yet: waits for it first, then reads
    /// (once even when the wait timed out, so input that came just in time is not missed).
    func readWhenReady(upTo maxCount: Int, deadline: ContinuousClock.Instant) async throws -> [UInt8] {
        try ensureOpen(operation: "read")
        if deadline > .now { _ = try await waitReady(.readable, until: deadline, operation: "read") }
        return try await readAvailable(upTo: maxCount, deadline: deadline)
    }

    func waitReady(_ interest: IOReactor.Interest, until deadline: ContinuousClock.Instant, operation: String)
        async throws -> IOReactor.Readiness
    {
        do {
            return try await IOReactor.shared.wait(for: interest, on: number, until: deadline)
        } catch is IOReactor.DescriptorClosed {
            throw TransportError(.notOpen, device: device, operation: operation, detail: "closed while waiting")
        }
    }

    private func ensureOpen(operation: String) throws {
        if isClosed {
            throw TransportError(.notOpen, device: device, operation: operation, detail: "the device is closed")
        }
    }

    /// Sets O_NONBLOCK on a descriptor that was opened without it.
    static func makeNonBlocking(_ number: Int32, device: String) throws {
        let flags = fcntl(number, F_GETFL)
        guard flags >= 0, fcntl(number, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw TransportError.system(errno, device: device, operation: "fcntl(O_NONBLOCK)")
        }
    }
}

extension Duration {
    /// The instant this long from now.
    var fromNow: ContinuousClock.Instant { ContinuousClock.now.advanced(by: self) }
}
