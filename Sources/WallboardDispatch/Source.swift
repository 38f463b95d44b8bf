import Foundation
import WallboardSupport

/// Why a source could not deliver a current snapshot.
public struct SourceProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in words every kind of source shares; a kind adds its own (a SQLite file
    /// that is not a database, a lock held by a writer) beside its source.
    public struct Kind: RawRepresentable, Sendable, Codable, Hashable {
        public var rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The source (its file, server or feed) is not there or cannot be opened.
        public static let unreachable = Kind(rawValue: "unreachable")
        /// What the source offers is not the interface Wallboard reads: a table or field missing,
        /// an unsupported interface version.
        public static let interfaceMismatch = Kind(rawValue: "interfaceMismatch")
        /// Anything else the source reported.
        public static let readFailed = Kind(rawValue: "readFailed")
    }

    public var kind: Kind
    /// What went wrong, where, and what to do about it.
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// How current the source's data is, so boards can say "data interrupted since 22:41:07".
public struct SourceHealth: Sendable, Hashable {
    /// The last moment (wall clock) the source confirmed that its snapshot matches the data.
    public var confirmedAt: Date?
    /// The same moment on the monotonic clock: the data's age, measured on it, does not jump
    /// when the machine's clock is stepped (NTP), so a step never shows the "data interrupted" banner.
    public var confirmedUptime: ContinuousClock.Instant?
    /// When the last snapshot was read (wall clock).
    public var lastSnapshotAt: Date?
    /// The current problem; nil while everything works.
    public var problem: SourceProblem?
    /// When the current problem was first seen (wall clock).
    public var problemSince: Date?
    /// The server the data comes from, for sources that have a choice of several; nil for a file.
    public var endpoint: SourceEndpoint?
    /// Something about the source that works but puts its writers at risk (a SQLite file with a
    /// rollback journal), with what to do about it; nil when there is nothing to say.
    public var warning: String?

    public init(confirmedAt: Date? = nil, lastSnapshotAt: Date? = nil, problem: SourceProblem? = nil, problemSince: Date? = nil) {
        self.confirmedAt = confirmedAt
        self.lastSnapshotAt = lastSnapshotAt
        self.problem = problem
        self.problemSince = problemSince
    }

    /// Seconds since the data was last confirmed current; nil if it never was.
    public func age(now: Date) -> TimeInterval? {
        if let confirmedUptime { return (ContinuousClock.now - confirmedUptime).inSeconds }
        return confirmedAt.map { now.timeIntervalSince($0) }
    }

    /// True when the data has not been confirmed for longer than `threshold` seconds (or ever).
    public func isStale(now: Date, threshold: TimeInterval) -> Bool {
        guard let age = age(now: now) else { return true }
        return age > threshold
    }
}

/// Which server a source reads, and what that server is.
public struct SourceEndpoint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the server is to the source, in the words of its kind (a PostgreSQL primary or standby).
    public struct Role: RawRepresentable, Sendable, Hashable, Codable {
        public var rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }
    }

    /// `host:port` as configured.
    public var host: String
    public var role: Role

    public init(host: String, role: Role) {
        self.host = host
        self.role = role
    }

    public var description: String { "\(host) (\(role.rawValue))" }
}

/// What a source knows at one moment: the latest good snapshot (kept while failing) and its health.
public struct SourceState: Sendable {
    public var snapshot: DispatchSnapshot?
    public var health: SourceHealth

    public init(snapshot: DispatchSnapshot?, health: SourceHealth) {
        self.snapshot = snapshot
        self.health = health
    }
}

/// Where the dispatch state comes from. The SQLite reader is one implementation; nothing that
/// uses a source may depend on which one it is.
public protocol DispatchStateSource: Sendable {
    /// Watches the data until the task is cancelled, publishing each change to `states()`.
    func run() async
    /// The current state first, then every new snapshot and every change of health.
    /// Slow consumers see only the newest state.
    func states() -> AsyncStream<SourceState>
    /// The state now, without waiting.
    var currentState: SourceState { get }
    /// Reads one snapshot now, outside `run()`: for one-shot commands and measurements.
    func readSnapshotOnce() async throws -> DispatchSnapshot
}

/// A source that keeps the history to rebuild a past moment (a database with the status and seat
/// logs); a feed that only knows the present does not conform.
public protocol PastMomentSource: DispatchStateSource {
    /// The state as it was at `moment`, rebuilt from the status log and the time stamps.
    func snapshot(at moment: Date) async throws -> DispatchSnapshot
}
