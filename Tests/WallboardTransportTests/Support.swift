import Glibc
@testable import WallboardTransport

/// A reply format simple enough to define here: `AC` acknowledges (as TPM2 boards do), `15 nn`
/// refuses with error nn (5, a CRC error, is worth retrying), anything else is garbage.
struct AckByteInterpreter: ReplyInterpreter {
    func interpret(_ received: [UInt8]) -> ReplyVerdict {
        guard let first = received.first else { return .incomplete }
        switch first {
        case 0xAC:
            return .acknowledged
        case 0x15:
            guard received.count >= 2 else { return .incomplete }
            let code = Int(received[1])
            return .rejected(BoardError(code: code, meaning: code == 5 ? "CRC error" : "refused",
                                        isRetryable: code == 5))
        default:
            return .garbage("expected AC or 15 nn")
        }
    }
}

/// A fresh directory under /tmp, removed with its contents by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/wallboard-transport-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw TransportError.system(errno, device: "/tmp", operation: "mkdtemp")
        }
        path = String(cString: created)
    }

    /// Points `name` in this directory at `target`, replacing an earlier link, as udev does
    /// for /dev/wallboard/ names when an adapter is plugged back in.
    func link(_ name: String, to target: String) throws -> String {
        let linkPath = "\(path)/\(name)"
        unlink(linkPath)
        guard symlink(target, linkPath) == 0 else {
            throw TransportError.system(errno, device: linkPath, operation: "symlink")
        }
        return linkPath
    }

    func remove() {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { unlink("\(path)/\(name)") }
            }
            closedir(directory)
        }
        rmdir(path)
    }
}

/// A listening TCP socket on 127.0.0.1 with an ephemeral port, playing a networked controller.
final class LocalListener: Sendable {
    let port: UInt16
    private let listening: Descriptor

    init(backlog: Int32 = 16) throws {
        let number = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard number >= 0 else { throw TransportError.system(errno, device: "127.0.0.1", operation: "socket") }
        listening = Descriptor(number: number, device: "127.0.0.1 listener", isSocket: true)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(number, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(number, backlog) == 0 else {
            throw TransportError.system(errno, device: "127.0.0.1", operation: "bind/listen")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(number, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
    }

    /// The next connection, as a descriptor the test reads and writes.
    func accept(timeout: Duration = .seconds(10)) async throws -> Descriptor {
        while true {
            let number = Glibc.accept(listening.number, nil, nil)
            if number >= 0 {
                let accepted = Descriptor(number: number, device: "accepted", isSocket: true)
                try Descriptor.makeNonBlocking(number, device: "accepted")
                return accepted
            }
            guard errno == EAGAIN || errno == EWOULDBLOCK else {
                throw TransportError.system(errno, device: "127.0.0.1:\(port)", operation: "accept")
            }
            if try await listening.waitReady(.readable, until: timeout.fromNow, operation: "accept") == .timedOut {
                throw TransportError(.timedOut, device: "127.0.0.1:\(port)", operation: "accept", detail: "nobody came")
            }
        }
    }

    func close() { listening.close() }
}

extension Descriptor {
    /// Reads until exactly `count` bytes arrived.
    func read(exactly count: Int, timeout: Duration = .seconds(10)) async throws -> [UInt8] {
        let deadline = timeout.fromNow
        var received: [UInt8] = []
        while received.count < count {
            let chunk = try await readAvailable(upTo: count - received.count, deadline: deadline)
            if chunk.isEmpty {
                throw TransportError(.timedOut, device: device, operation: "read",
                                     detail: "received \(received.count) of \(count) bytes")
            }
            received += chunk
        }
        return received
    }
}

/// A frame with every byte value, so raw mode is checked too (no CR/LF translation, no
/// XON/XOFF swallowed, no echo).
let everyByte: [UInt8] = (0...255).map { UInt8($0) }

/// Short timeouts for the paths that must time out; long ones where a wait must not run out.
let fastPolicy = DeliveryPolicy(writeTimeout: .seconds(5), replyTimeout: .milliseconds(150), maxAttempts: 2,
                                initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(20))
