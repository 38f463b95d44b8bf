import Foundation
import GRDB
import WallboardDispatch
import WallboardInterface
import WallboardSupport

/// Settings for reading a dispatch database through the Wallboard interface.
public struct SQLiteSourceConfiguration: Sendable {
    public var path: String
    /// How often `PRAGMA data_version` is polled.
    public var pollInterval: Duration
    /// How long to wait before reopening or rereading after a failure.
    public var retryInterval: Duration
    /// How long one read waits for a writer's lock before reporting `locked`.
    public var lockWait: Duration
    /// Where the dispatch day starts.
    public var dayBoundary: DayBoundary
    /// Time stamps later than now plus this many seconds are treated as bad.
    public var futureTolerance: TimeInterval
    /// The wall clock; tests pass a fixed one.
    public var wallClock: @Sendable () -> Date
    /// Seconds between full counts of the day's calls and runs. In between, calls that ended and
    /// were received over ten minutes ago, and runs completed over ten minutes ago, keep their
    /// counts, so a late correction to such a row shows up within this time; everything newer is
    /// counted on every snapshot.
    public var settledRecount: TimeInterval
    /// What is read: which stations, and which parts of the state (the figures over the day cost
    /// a read of yesterday and a pass over the day: only layouts that show them need them).
    public var scope: ReadScope

    public init(
        path: String, dayBoundary: DayBoundary, pollInterval: Duration = .milliseconds(10), retryInterval: Duration = .seconds(1),
        lockWait: Duration = .milliseconds(50),
        futureTolerance: TimeInterval = 120, wallClock: @escaping @Sendable () -> Date = { Date() },
        settledRecount: TimeInterval = 60, scope: ReadScope = .wholeCentre
    ) {
        self.settledRecount = settledRecount
        self.scope = scope
        self.path = path
        self.pollInterval = pollInterval
        self.retryInterval = retryInterval
        self.lockWait = lockWait
        self.dayBoundary = dayBoundary
        self.futureTolerance = futureTolerance
        self.wallClock = wallClock
    }
}

extension SQLiteSourceConfiguration {
    var querySettings: QuerySettings {
        QuerySettings(dayBoundary: dayBoundary, futureTolerance: futureTolerance, settledRecount: settledRecount,
                      scope: scope, wallClock: wallClock)
    }
}

/// One read-only connection to the dispatch database: polls for changes and reads snapshots.
/// Not thread-safe: one owner at a time. `SQLiteDispatchSource` drives one; use it directly for
/// one-shot reads and measurements.
public final class SQLiteSnapshotReader {
    public let configuration: SQLiteSourceConfiguration
    private var queue: DatabaseQueue?
    /// Which file the connection has open, to notice the path being removed or replaced under it.
    private var openedFile: FileIdentity?
    private var checkedSchemaVersion: Int?
    /// The optional parts of the interface the checked schema has.
    private var features = InterfaceFeatures()
    private var settled: SettledDay?
    private var yesterday: YesterdayRows?
    /// `PRAGMA data_version` as of the last snapshot read.
    public private(set) var snapshotDataVersion: Int64?
    /// Set when the file has a rollback journal (not WAL): each read then keeps writers from
    /// committing while it lasts. Checked with the interface.
    public private(set) var journalWarning: String?

    public init(configuration: SQLiteSourceConfiguration) {
        self.configuration = configuration
    }

    public var isOpen: Bool { queue != nil }

    public func close() {
        queue = nil
        openedFile = nil
        checkedSchemaVersion = nil
        snapshotDataVersion = nil
        settled = nil
        yesterday = nil
    }

    /// Opens the file read-only; throws `unreachable`, `notADatabase` or `locked`.
    public func open() throws(SourceProblem) {
        if queue != nil { return }
        let identity = FileIdentity(path: configuration.path)
        queue = try Self.openReadOnly(configuration)
        openedFile = identity
    }

    static func openReadOnly(_ configuration: SQLiteSourceConfiguration) throws(SourceProblem) -> DatabaseQueue {
        let path = configuration.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw SourceProblem(kind: .unreachable, message: "database file \(path) does not exist; check the path, or create it with `wallboard simulate --db \(path)`")
        }
        var databaseConfiguration = Configuration()
        databaseConfiguration.readonly = true
        databaseConfiguration.label = "wallboard.reader"
        let wait = configuration.lockWait
        // A busy day's rows and indexes must stay cached between snapshots (SQLite's default is 2 MB).
        databaseConfiguration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        databaseConfiguration.busyMode = .timeout(wait.inSeconds)
        do {
            return try DatabaseQueue(path: path, configuration: databaseConfiguration)
        } catch {
            throw SourceProblem(error, path: path)
        }
    }

    /// The connection's change counter; differs from `snapshotDataVersion` once another connection committed.
    ///
    /// An open connection keeps reading the file it opened even after that file is deleted or
    /// another file is moved onto its path, so each poll first checks that the path still names
    /// the same file. If another file took its place, the reader reopens the path (and
    /// `snapshotDataVersion` becomes nil, so the caller reads afresh); if the path is gone, it
    /// closes and throws `unreachable`.
    public func dataVersion() throws(SourceProblem) -> Int64 {
        if isOpen { try reopenIfReplaced() }
        guard let queue else { throw SourceProblem(kind: .unreachable, message: "database \(configuration.path) is not open") }
        do {
            return try queue.inDatabase { db in
                try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
            }
        } catch {
            throw SourceProblem(error, path: configuration.path)
        }
    }

    private func reopenIfReplaced() throws(SourceProblem) {
        let current = FileIdentity(path: configuration.path)
        guard current != openedFile else { return }
        close()
        guard current != nil else {
            throw SourceProblem(kind: .unreachable, message: "database file \(configuration.path) was removed while open; waiting for it to come back")
        }
        try open()
    }

    /// Reads the current state in one read transaction.
    public func readSnapshot() throws(SourceProblem) -> DispatchSnapshot {
        try read { db, wall in
            let clock = try DataClock.read(SQLiteConnection(db: db))
            let now = clock.now(wall: wall)
            let version = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
            var query = StateQuery(configuration: configuration.querySettings, now: now, moment: nil, features: features)
            query.settled = settled
            query.yesterday = yesterday
            var snapshot = try query.read(SQLiteConnection(db: db), sourceVersion: version)
            if clock.simulatedTime != nil { snapshot.timeline = DataTimeline(wallTakenAt: wall, speed: clock.speed) }
            settled = query.settled
            yesterday = query.yesterday
            snapshotDataVersion = version
            return snapshot
        }
    }

    /// Rebuilds the state at `moment` in one read transaction.
    public func readSnapshot(at moment: Date) throws(SourceProblem) -> DispatchSnapshot {
        try read { db, wall in
            let now = try DataClock.read(SQLiteConnection(db: db)).now(wall: wall)
            var query = StateQuery(configuration: configuration.querySettings, now: now, moment: moment, features: features)
            return try query.read(SQLiteConnection(db: db), sourceVersion: nil)
        }
    }

    /// In a rollback-journal mode a writer's commit waits until no reader holds the file, however
    /// short each read is: a writer without a busy timeout then fails with "database is locked".
    static func journalWarning(_ db: Database, path: String) throws -> String? {
        let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown"
        guard mode.lowercased() != "wal" else { return nil }
        return "database \(path) has a rollback journal (journal_mode \(mode)), not WAL: while a snapshot is read, "
            + "a writer without a busy timeout fails with \"database is locked\"; switch the file to WAL "
            + "(PRAGMA journal_mode = WAL, once) or give every writer a busy timeout of 1 s or more (SCHEMA.md, \"Writers\")"
    }

    private func read(_ body: (Database, Date) throws -> DispatchSnapshot) throws(SourceProblem) -> DispatchSnapshot {
        guard let queue else { throw SourceProblem(kind: .unreachable, message: "database \(configuration.path) is not open") }
        do {
            return try queue.read { db in
                let schemaVersion = try Int.fetchOne(db.cachedStatement(sql: "PRAGMA schema_version")) ?? 0
                // Read the clock once the transaction holds its snapshot, so nothing committed before
                // the snapshot carries a time later than `now`.
                let wall = configuration.wallClock()
                if schemaVersion != checkedSchemaVersion {
                    features = try InterfaceCheck.verify(db, path: configuration.path)
                    journalWarning = try Self.journalWarning(db, path: configuration.path)
                    checkedSchemaVersion = schemaVersion
                }
                return try body(db, wall)
            }
        } catch let problem as SourceProblem {
            throw problem
        } catch {
            checkedSchemaVersion = nil
            throw SourceProblem(error, path: configuration.path)
        }
    }
}

/// A file's device and inode: equal for the same file under any name, different once another
/// file is moved onto the path.
struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    /// The identity of the file at `path` now; nil if nothing is there.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}

/// Checks that every table or view and column of the interface is there.
enum InterfaceCheck {
    /// Returns the optional parts of the interface the database has.
    static func verify(_ db: Database, path: String) throws -> InterfaceFeatures {
        func columnNames(of table: String) throws -> Set<String> {
            try Set(String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]).map { $0.lowercased() })
        }
        var vehicleColumns: Set<String> = []
        for (table, columns) in InterfaceSchema.requiredColumns {
            let present = try columnNames(of: table)
            if present.isEmpty {
                throw SourceProblem(kind: .interfaceMismatch, message: "\(path): table or view '\(table)' is missing; create it from schema.sql or map it with a view (see SCHEMA.md)")
            }
            let missing = columns.filter { !present.contains($0) }
            if !missing.isEmpty {
                throw SourceProblem(kind: .interfaceMismatch, message: "\(path): '\(table)' lacks column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")); see SCHEMA.md")
            }
            if table == "vehicles" { vehicleColumns = present }
        }
        return InterfaceFeatures(
            vehiclePositions: try InterfaceSchema.hasVehiclePositions(vehicleColumns, problemPrefix: "\(path): "),
            seatLog: try InterfaceSchema.hasSeatLog(try columnNames(of: "seat_log"), problemPrefix: "\(path): ")
        )
    }
}

extension SourceProblem {
    /// Classifies a database error.
    init(_ error: any Error, path: String) {
        guard let error = error as? DatabaseError else {
            self.init(kind: .readFailed, message: "\(path): \(error)")
            return
        }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            self.init(kind: .unreachable, message: "cannot open \(path): \(detail); check that the file exists and is readable")
        case .SQLITE_NOTADB:
            self.init(kind: .notADatabase, message: "\(path) is not a SQLite database (\(detail)); point --db at the dispatch database")
        case .SQLITE_CORRUPT:
            self.init(kind: .notADatabase, message: "\(path) is damaged (\(detail)); restore it from a backup or let the dispatch system rebuild it")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(kind: .locked, message: "\(path) is locked by a writer (\(detail)); retrying")
        default:
            if detail.hasPrefix("no such table") || detail.hasPrefix("no such column") {
                self.init(kind: .interfaceMismatch, message: "\(path): \(detail); see SCHEMA.md")
            } else {
                self.init(kind: .readFailed, message: "\(path): \(detail)")
            }
        }
    }
}
