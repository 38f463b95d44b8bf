import Glibc
@testable import WallboardTransport
import WallboardTransportCore

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

/// Short timeouts, for the paths that must time out (and recordings, whose answers wait already).
let fastPolicy = DeliveryPolicy(writeTimeout: .seconds(5), replyTimeout: .milliseconds(150), maxAttempts: 2,
                                initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(20))

/// For paths where the board does answer: a reply timeout no loaded machine runs into.
let patientPolicy = DeliveryPolicy(writeTimeout: .seconds(30), replyTimeout: .seconds(30), maxAttempts: 1)
