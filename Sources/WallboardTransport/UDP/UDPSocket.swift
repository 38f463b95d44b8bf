import Glibc
import WallboardTransportCore

/// An IPv4 address and port a datagram goes to or came from.
public struct UDPPeer: Hashable, Sendable, CustomStringConvertible {
    /// The address in network byte order, as `sockaddr_in` holds it.
    let address: in_addr_t
    public let port: UInt16

    /// - Parameter host: an IPv4 address ("192.168.10.20"); names are not resolved.
    public init(host: String, port: UInt16) throws {
        var parsed = in_addr()
        guard inet_pton(AF_INET, host, &parsed) == 1 else {
            throw TransportError(.unsupportedSetting, device: "\(host):\(port)", operation: "address",
                                 detail: "\(host) is not an IPv4 address (write it as four numbers, 192.168.10.20)")
        }
        self.address = parsed.s_addr
        self.port = port
    }

    fileprivate init(_ socketAddress: sockaddr_in) {
        address = socketAddress.sin_addr.s_addr
        port = UInt16(bigEndian: socketAddress.sin_port)
    }

    fileprivate var socketAddress: sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        socketAddress.sin_addr.s_addr = address
        return socketAddress
    }

    public var description: String {
        let bytes = withUnsafeBytes(of: address) { Array($0) }
        return bytes.map(String.init).joined(separator: ".") + ":\(port)"
    }
}

/// A non-blocking IPv4 UDP socket whose sends and receives wait in the shared `IOReactor`, as the
/// TCP and serial transports do: one datagram per call, never blocking a thread.
public final class UDPSocket: Sendable {
    /// The largest datagram read; a longer one is cut there.
    public static let maximumDatagram = 65_507

    public let localPort: UInt16
    private let descriptor: Descriptor

    /// - Parameters:
    ///   - host: the IPv4 address to bind, "127.0.0.1" for this machine only, "0.0.0.0" for all.
    ///   - port: 0 for an ephemeral port.
    public init(host: String = "0.0.0.0", port: UInt16 = 0) throws {
        let name = "udp \(host):\(port)"
        var address = try UDPPeer(host: host, port: port).socketAddress
        let number = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard number >= 0 else { throw TransportError.system(errno, device: name, operation: "socket") }
        let descriptor = Descriptor(number: number, device: name, isSocket: true)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(number, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TransportError.system(errno, device: name, operation: "bind") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(number, $0, &length) }
        }
        guard named == 0 else { throw TransportError.system(errno, device: name, operation: "getsockname") }
        localPort = UInt16(bigEndian: address.sin_port)
        self.descriptor = descriptor
    }

    /// Sends one datagram to `peer`, waiting up to `timeout` for room in the socket's buffer.
    public func send(_ datagram: [UInt8], to peer: UDPPeer, timeout: Duration = .seconds(1)) async throws {
        let deadline = timeout.fromNow
        var address = peer.socketAddress
        while true {
            try ensureOpen(operation: "send to \(peer)")
            let sent = datagram.withUnsafeBytes { buffer in
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(descriptor.number, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), $0,
                               socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            if sent >= 0 { return }
            let error = errno
            if error == EINTR { continue }
            guard error == EAGAIN || error == EWOULDBLOCK else {
                throw TransportError.system(error, device: "udp \(peer)", operation: "sendto")
            }
            if try await descriptor.waitReady(.writable, until: deadline, operation: "send to \(peer)") == .timedOut {
                throw TransportError(.timedOut, device: "udp \(peer)", operation: "sendto", detail: "no room to send within \(timeout)")
            }
        }
    }

    /// The next datagram and who sent it, or nil when none arrives within `timeout`.
    public func receive(timeout: Duration) async throws -> (datagram: [UInt8], from: UDPPeer)? {
        let deadline = timeout.fromNow
        var buffer = [UInt8](repeating: 0, count: Self.maximumDatagram)
        while true {
            try ensureOpen(operation: "receive")
            var sender = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = buffer.withUnsafeMutableBytes { bytes in
                withUnsafeMutablePointer(to: &sender) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(descriptor.number, bytes.baseAddress, bytes.count, 0, $0, &length)
                    }
                }
            }
            if count >= 0 { return (Array(buffer.prefix(count)), UDPPeer(sender)) }
            let error = errno
            if error == EINTR { continue }
            // An earlier datagram was refused by its destination (ICMP): not this socket's failure.
            if error == ECONNREFUSED { continue }
            guard error == EAGAIN || error == EWOULDBLOCK else {
                throw TransportError.system(error, device: descriptor.device, operation: "recvfrom")
            }
            if deadline <= .now { return nil }
            if try await descriptor.waitReady(.readable, until: deadline, operation: "receive") == .timedOut { return nil }
        }
    }

    public func close() { descriptor.close() }

    private func ensureOpen(operation: String) throws {
        if descriptor.isClosed {
            throw TransportError(.notOpen, device: descriptor.device, operation: operation, detail: "the socket is closed")
        }
    }
}
