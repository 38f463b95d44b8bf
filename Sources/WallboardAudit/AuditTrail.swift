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
    /// The text sent, when the action sends one (a message's text, the name of a kiosk being enrolled).
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

/// An append-only trail of JSON lines, one file per day beside the configured path
/// (`audit.jsonl` → `audit-2026-12-05.jsonl`), each line holding an entry, the hash of the line
/// before it and its own hash over both. The chain runs on from one day's file into the next, so
/// an edited, inserted or deleted line, or a removed day, breaks it (`AuditTrail.verify`). Each line
/// is on disk (fsync) before `append` returns; days older than `retentionDays` are removed.
public final class AuditTrail: Sendable {
    /// A stored line: the entry's fields, the previous line's hash and this line's.
    struct Line: Codable {
        var entry: AuditEntry
        var previous: String
        var hash: String
    }

    private struct Writer {
        var descriptor: Int32 = -1
        var day = ""
        var last: String
    }

    /// The configured path; the days' files lie beside it.
    public let path: String
    public let retentionDays: Int
    /// The zone whose midnight starts a new file.
    public let timeZone: TimeZone
    private let state: Mutex<Writer>
    static let genesis = String(repeating: "0", count: 64)
    /// What 等保 2.0 level 3 and the Cybersecurity Law ask for at least: six months.
    public static let minimumRetentionDays = 180

    /// Continues the chain of the newest day's file beside `path` (checking that file first).
    public init(path: String, retentionDays: Int = AuditTrail.minimumRetentionDays, timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current) throws {
        self.path = path
        self.retentionDays = retentionDays
        self.timeZone = timeZone
        let newest = Self.dayFiles(of: path).last
        let last = try newest.map { try Self.verify(files: [$0.path], from: nil).lastHash } ?? Self.genesis
        state = Mutex(Writer(day: newest?.day ?? "", last: last))
    }

    deinit {
        state.withLock { if $0.descriptor >= 0 { _ = close($0.descriptor) } }
    }

    /// Appends `entry` to the file of its day (never an earlier day than the last line's) and waits until it is on disk.
    public func append(_ entry: AuditEntry) throws {
        try state.withLock { state in
            // A clock set back never writes into an earlier day's file: the chain runs in file order.
            let day = max(Self.day(of: entry.time, in: timeZone), state.day)
            if state.descriptor < 0 || day > state.day {
                try open(day: day, state: &state)
                removeDays(before: Self.day(of: entry.time.addingTimeInterval(-Double(retentionDays) * 86400), in: timeZone))
            }
            let line = Line(entry: entry, previous: state.last, hash: try Self.hash(entry, previous: state.last))
            var bytes = Array(try Self.encoder.encode(line))
            bytes.append(UInt8(ascii: "\n"))
            let written = bytes.withUnsafeBytes { write(state.descriptor, $0.baseAddress, $0.count) }
            guard written == bytes.count, fsync(state.descriptor) == 0 else {
                throw AuditError(Self.file(of: path, day: state.day), "cannot write the audit trail: \(String(cString: strerror(errno)))")
            }
            state.last = line.hash
        }
    }

    private func open(day: String, state: inout Writer) throws {
        let file = Self.file(of: path, day: day)
        let descriptor = Glibc.open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw AuditError(file, "cannot open the audit trail: \(String(cString: strerror(errno)))") }
        if state.descriptor >= 0 { _ = close(state.descriptor) }
        state.descriptor = descriptor
        state.day = day
    }

    private func removeDays(before cutoff: String) {
        for old in Self.dayFiles(of: path) where old.day < cutoff {
            try? FileManager.default.removeItem(atPath: old.path)
        }
    }

    /// Checks the newest day's file, the one being written, while no line is being written: every
    /// line holds, and the last is the one this trail wrote last (none was removed from the end
    /// since). Throws naming the file and line that fail; the day and its lines when all hold.
    public func verifyNewestDay() throws -> (day: String, lines: Int) {
        try state.withLock { state in
            guard !state.day.isEmpty else { return ("", 0) }
            let file = Self.file(of: path, day: state.day)
            let verified = try Self.verify(files: [file], from: nil)
            guard verified.lastHash == state.last else {
                throw AuditError(file, "its last line is not the last one written (line \(verified.lines + 1) or more was removed, or the file replaced)")
            }
            return (state.day, verified.lines)
        }
    }

    /// Entries from `since` on, oldest first, at most `limit`; without `since`, the newest `limit`.
    public func entries(since: Date?, limit: Int) throws -> [AuditEntry] {
        var files = Self.dayFiles(of: path)
        if let since {
            // A day's file holds nothing older than its day, so earlier days can be skipped.
            let first = Self.day(of: since, in: timeZone)
            files.removeAll { $0.day < first }
            var found: [AuditEntry] = []
            for file in files {
                found += try Self.lines(of: file.path).map(\.entry).filter { $0.time >= since }
                if found.count >= limit { break }
            }
            return Array(found.prefix(limit))
        }
        var found: [AuditEntry] = []
        for file in files.reversed() {
            found = try Self.lines(of: file.path).map(\.entry) + found
            if found.count >= limit { break }
        }
        return Array(found.suffix(limit))
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

    static func day(of time: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: time)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// `audit.jsonl` and `2026-12-05` → `audit-2026-12-05.jsonl`.
    static func file(of path: String, day: String) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        return url.deletingPathExtension().path + "-" + day + ext
    }

    /// The days' files of the trail configured at `path`, oldest first.
    public static func dayFiles(of path: String) -> [(day: String, path: String)] {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let stem = url.deletingPathExtension().lastPathComponent + "-"
        let ext = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name -> (day: String, path: String)? in
            guard name.hasPrefix(stem), name.hasSuffix(ext) else { return nil }
            let day = String(name.dropFirst(stem.count).dropLast(ext.count))
            guard day.count == 10, day.enumerated().allSatisfy({ [4, 7].contains($0.offset) ? $0.element == "-" : $0.element.isNumber }) else { return nil }
            return (day, folder + "/" + name)
        }.sorted { $0.day < $1.day }
    }

    /// What `verify` found: the lines that hold, in how many files, and the hash the next line must follow.
    public struct Verified: Sendable {
        public var lines: Int
        public var files: Int
        public var lastHash: String
        /// false when the oldest file continues days removed after the retention period.
        public var startsAtTheBeginning: Bool
    }

    /// Checks every line's chain and hash across the trail's days, oldest first; throws naming the
    /// first file and line that fails. `path` is the configured path (its days' files), a folder
    /// holding one trail's days, or a single file. The oldest day's first line may continue days
    /// already removed; every later line must follow the one before it, across files too.
    public static func verify(path: String) throws -> Verified {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if exists, !isFolder.boolValue { return try verify(files: [path], from: nil) }
        let files: [String]
        if exists {
            let all = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).map { path + "/" + $0 }
            let trails = Set(all.compactMap { file -> String? in
                let url = URL(fileURLWithPath: file)
                let name = url.deletingPathExtension().lastPathComponent
                guard name.count > 11 else { return nil }
                let stem = String(name.dropLast(11))
                let trail = url.deletingLastPathComponent().path + "/" + stem + (url.pathExtension.isEmpty ? "" : "." + url.pathExtension)
                return dayFiles(of: trail).contains { $0.path == file } ? trail : nil
            })
            guard trails.count <= 1 else {
                throw AuditError(path, "holds several trails (\(trails.sorted().joined(separator: ", "))); name one")
            }
            files = trails.first.map { dayFiles(of: $0).map(\.path) } ?? []
        } else {
            files = dayFiles(of: path).map(\.path)
        }
        guard !files.isEmpty else {
            throw AuditError(path, "holds no audit trail: no file or folder of that name, and no days' files beside it (\(URL(fileURLWithPath: file(of: path, day: "YYYY-MM-DD")).lastPathComponent))")
        }
        return try verify(files: files, from: nil)
    }

    /// Checks `files` in order as one chain that begins at `start`, or anywhere when nil.
    static func verify(files: [String], from start: String?) throws -> Verified {
        var last = start
        var count = 0
        var startsAtTheBeginning = true
        for (fileIndex, file) in files.enumerated() {
            for (index, line) in try lines(of: file).enumerated() {
                let number = index + 1
                if let expected = last {
                    guard line.previous == expected else {
                        let before = number > 1 ? "line \(number - 1)" : "the last line of \(URL(fileURLWithPath: files[fileIndex - 1]).lastPathComponent)"
                        throw AuditError(file, "line \(number) does not follow \(before): a line or a day before it was removed, inserted or changed")
                    }
                } else {
                    startsAtTheBeginning = line.previous == genesis
                }
                guard try hash(line.entry, previous: line.previous) == line.hash else {
                    throw AuditError(file, "line \(number) was changed after it was written (its hash does not match)")
                }
                last = line.hash
                count += 1
            }
        }
        return Verified(lines: count, files: files.count, lastHash: last ?? genesis, startsAtTheBeginning: startsAtTheBeginning)
    }

    /// The lines of one file; throws naming the line that is not an audit line. A missing file has none.
    static func lines(of file: String) throws -> [Line] {
        guard FileManager.default.fileExists(atPath: file) else { return [] }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw AuditError(file, "cannot read the audit trail: \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var lines: [Line] = []
        for (index, text) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !text.isEmpty {
            guard let line = try? decoder.decode(Line.self, from: Data(text)) else {
                throw AuditError(file, "line \(index + 1) is not an audit line")
            }
            lines.append(line)
        }
        return lines
    }
}

/// An audit trail that cannot be read, written or trusted, with the file and the line.
public struct AuditError: Error, CustomStringConvertible {
    public let description: String

    init(_ path: String, _ problem: String) {
        description = "\(path): \(problem)"
    }
}
