import Glibc
import WallboardTransportCore

/// A listening IPv4 TCP socket whose accepts wait in the shared poll() loop.
final class TCPListener: Sendable {
    let port: UInt16
    let address: String
    private let listening: Descriptor

    /// - Parameters:
    ///   - host: an IPv4 address to bind, "127.0.0.1" for this machine only, "0.0.0.0" for all.
    ///   - port: 0 for an ephemeral port.
    init(host: String, port: UInt16, backlog: Int32 = 16) throws {
        let name = "\(host):\(port)"
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw TransportError(.unsupportedSetting, device: name, operation: "listen",
                                 detail: "\(host) is not an IPv4 address")
        }
        let number = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                                | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard number >= 0 else { throw TransportError.system(errno, device: name, operation: "socket") }
        listening = Descriptor(number: number, device: name, isSocket: true)
        var reuse: Int32 = 1
        _ = setsockopt(number, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(number, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw TransportError.system(errno, device: name, operation: "bind") }
        guard listen(number, backlog) == 0 else { throw TransportError.system(errno, device: name, operation: "listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(number, $0, &length) }
        }
        guard named == 0 else { throw TransportError.system(errno, device: name, operation: "getsockname") }
        self.port = UInt16(bigEndian: address.sin_port)
        self.address = host
    }

    /// The next connection; waits up to `timeout` (throws `.timedOut`) or until cancelled.
    func accept(timeout: Duration) async throws -> Descriptor {
        let deadline = timeout.fromNow
        while true {
            let number = Glibc.accept(listening.number, nil, nil)
            if number >= 0 {
                let connection = Descriptor(number: number, device: "\(address):\(port) peer", isSocket: true)
                try Descriptor.makeNonBlocking(number, device: connection.device)
                return connection
            }
            let error = errno
            guard error == EAGAIN || error == EWOULDBLOCK || error == EINTR || error == ECONNABORTED else {
                throw TransportError.system(error, device: "\(address):\(port)", operation: "accept")
            }
            if try await listening.waitReady(.readable, until: deadline, operation: "accept") == .timedOut {
                throw TransportError(.timedOut, device: "\(address):\(port)", operation: "accept",
                                     detail: "no connection within \(timeout)")
            }
        }
    }

    func close() { listening.close() }
}
