import Dispatch
import Glibc
import WallboardTransportCore

/// A networked controller over TCP (Onbon BX-5E/6E/6Q and Ethernet font cards listen on 5005).
/// Connects without blocking, with a timeout; names are resolved off the cooperative pool.
public actor TCPTransport: Transport {
    public static let onbonPort: UInt16 = 5005

    public nonisolated let deviceName: String
    public let host: String
    public let port: UInt16
    public let connectTimeout: Duration
    private var descriptor: Descriptor?

    public init(host: String, port: UInt16 = TCPTransport.onbonPort, connectTimeout: Duration = .seconds(3)) {
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        self.deviceName = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public func open() async throws {
        close()
        let deadline = connectTimeout.fromNow
        let addresses = try await resolve()
        var lastError = TransportError(.notFound, device: deviceName, operation: "getaddrinfo",
                                       detail: "no address for \(host)")
        for address in addresses {
            do {
                descriptor = try await connect(to: address, deadline: deadline)
                return
            } catch let error as TransportError {
                lastError = error
            }
        }
        throw lastError
    }

    public func write(_ bytes: [UInt8], timeout: Duration) async throws {
        try await connected(for: "write").writeAll(bytes, deadline: timeout.fromNow)
    }

    public func read(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8] {
        try await connected(for: "read").readAvailable(upTo: maxCount, deadline: timeout.fromNow)
    }

    public func readReply(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8] {
        try await connected(for: "read").readWhenReady(upTo: maxCount, deadline: timeout.fromNow)
    }

    public func close() {
        descriptor?.close()
        descriptor = nil
    }

    private func connected(for operation: String) throws -> Descriptor {
        guard let descriptor else {
            throw TransportError(.notOpen, device: deviceName, operation: operation, detail: "not connected")
        }
        return descriptor
    }

    private struct SocketAddress: Sendable {
        let family: Int32
        let bytes: [UInt8]
    }

    /// getaddrinfo can wait on DNS for seconds, so it runs on a Dispatch worker, not in the pool.
    private func resolve() async throws -> [SocketAddress] {
        let host = host
        let port = port
        let device = deviceName
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                hints.ai_family = AF_UNSPEC
                var list: UnsafeMutablePointer<addrinfo>?
                let status = getaddrinfo(host, String(port), &hints, &list)
                guard status == 0 else {
                    continuation.resume(throwing: TransportError(
                        .notFound, device: device, operation: "getaddrinfo", code: status,
                        detail: String(cString: gai_strerror(status))))
                    return
                }
                defer { freeaddrinfo(list) }
                var addresses: [SocketAddress] = []
                var entry = list
                while let current = entry?.pointee {
                    if let address = current.ai_addr {
                        addresses.append(SocketAddress(
                            family: current.ai_family,
                            bytes: Array(UnsafeRawBufferPointer(start: address, count: Int(current.ai_addrlen)))))
                    }
                    entry = current.ai_next
                }
                continuation.resume(returning: addresses)
            }
        }
    }

    private func connect(to address: SocketAddress, deadline: ContinuousClock.Instant) async throws -> Descriptor {
        let number = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                                | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard number >= 0 else { throw TransportError.system(errno, device: deviceName, operation: "socket") }
        let socketDescriptor = Descriptor(number: number, device: deviceName, isSocket: true)
        var noDelay: Int32 = 1
        _ = setsockopt(number, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))

        let result = address.bytes.withUnsafeBytes { buffer in
            Glibc.connect(number, buffer.baseAddress?.assumingMemoryBound(to: sockaddr.self), socklen_t(buffer.count))
        }
        if result != 0 {
            guard errno == EINPROGRESS else {
                throw TransportError.system(errno, device: deviceName, operation: "connect")
            }
            if try await socketDescriptor.waitReady(.writable, until: deadline, operation: "connect") == .timedOut {
                throw TransportError(.timedOut, device: deviceName, operation: "connect",
                                     detail: "no answer within \(connectTimeout)")
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(number, SOL_SOCKET, SO_ERROR, &socketError, &length) == 0 else {
                throw TransportError.system(errno, device: deviceName, operation: "getsockopt(SO_ERROR)")
            }
            if socketError != 0 {
                throw TransportError.system(socketError, device: deviceName, operation: "connect")
            }
        }
        return socketDescriptor
    }
}
