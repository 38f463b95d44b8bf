import Crypto
import Glibc
import Foundation
import Synchronization

/// One line of the audit trail: who did what to which board, from where, and how it was answered.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var time: Date
    /// The user's name; nil when the request had no accepted credential.
    public var user: String?
    public var role: String?
    public var client: String
    /// `POST /api/v1/boards/door-s01/message` and the like.
    public var action: String
    /// The text sent, when the action sends one.
    public var text: String?
    /// The HTTP status it was answered with.
    public var status: Int

    public init(time: Date, user: String?, role: String?, client: String, action: String, text: String?, status: Int) {
        self.time = time
        self.user = user
        self.role = role
        self.client = client
        self.action = action
        self.text = text
        self.status = status
    }
}

/// An append-only file of JSON lines, each holding an entry, the hash of the line before it and its
/// own hash over both, so that an edited, inserted or deleted line breaks the chain
/// (`AuditTrail.verify`). Each line is on disk (fsync) before `append` returns.
public final class AuditTrail: Sendable {
    /// A stored line: the entry's fields, the previous line's hash and this line's.
    struct Line: Codable {
        var entry: AuditEntry
        var previous: String
        var hash: String
    }

    public let path: String
    private let state: Mutex<(descriptor: Int32, last: String)>
    static let genesis = String(repeating: "0", count: 64)

    /// Opens `path` for appending (creating it, mode 600), continuing the chain of its last line.
    public init(path: String) throws {
        self.path = path
        let last = try Self.verify(path: path).lastHash
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw AuditError(path, "cannot open the audit trail: \(String(cString: strerror(errno)))") }
        state = Mutex((descriptor, last))
    }

    deinit {
        state.withLock { _ = close($0.descriptor) }
    }

    /// Appends `entry` and waits until it is on disk.
    public func append(_ entry: AuditEntry) throws {
        try state.withLock { state in
            let line = Line(entry: entry, previous: state.last, hash: try Self.hash(entry, previous: state.last))
            var bytes = Array(try Self.encoder.encode(line))
            bytes.append(UInt8(ascii: "\n"))
            let written = bytes.withUnsafeBytes { write(state.descriptor, $0.baseAddress, $0.count) }
            guard written == bytes.count, fsync(state.descriptor) == 0 else {
                throw AuditError(path, "cannot write the audit trail: \(String(cString: strerror(errno)))")
            }
            state.last = line.hash
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func hash(_ entry: AuditEntry, previous: String) throws -> String {
        let data = Data(previous.utf8) + (try encoder.encode(entry))
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// What `verify` found: the lines that hold, and the hash the next line must follow.
    public struct Verified: Sendable {
        public var lines: Int
        public var lastHash: String
    }

    /// Checks every line's chain and hash; throws naming the first line that fails. A missing file is an empty trail.
    public static func verify(path: String) throws -> Verified {
        guard FileManager.default.fileExists(atPath: path) else { return Verified(lines: 0, lastHash: genesis) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw AuditError(path, "cannot read the audit trail: \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var last = genesis
        var count = 0
        for (index, text) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !text.isEmpty {
            let number = index + 1
            guard let line = try? decoder.decode(Line.self, from: Data(text)) else {
                throw AuditError(path, "line \(number) is not an audit line")
            }
            guard line.previous == last else {
                throw AuditError(path, "line \(number) does not follow line \(number - 1): a line before it was removed, inserted or changed")
            }
            guard try hash(line.entry, previous: line.previous) == line.hash else {
                throw AuditError(path, "line \(number) was changed after it was written (its hash does not match)")
            }
            last = line.hash
            count += 1
        }
        return Verified(lines: count, lastHash: last)
    }
}

/// An audit trail that cannot be read, written or trusted, with the file and the line.
public struct AuditError: Error, CustomStringConvertible {
    public let description: String

    init(_ path: String, _ problem: String) {
        description = "\(path): \(problem)"
    }
}
