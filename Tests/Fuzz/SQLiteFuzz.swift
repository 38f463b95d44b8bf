import Foundation
import GRDB
import GRDBSQLite
import WallboardDispatch
import WallboardInterface
import WallboardLayout
import WallboardSQLite

/// Rows of arbitrary values in the interface's tables, then snapshots read through the real
/// reader: now and at a past moment. Every value a column can hold is reachable: NULL, integers,
/// reals (infinities too), text that is not UTF-8, blobs, time stamps near the data clock, and the
/// keys and code words the reader looks for. The tables are either the interface schema itself or
/// the same columns without types or constraints, as a dispatch system's views might return them.
/// Reading must give a snapshot (with data issues noted) or a `SourceProblem` that says what is wrong.
final class SQLiteRowFuzzing: @unchecked Sendable {
    // Unchecked: libFuzzer calls one input at a time, on one thread.
    struct Database {
        let path: String
        /// Plain SQLite, not GRDB: the rows go in fast, and the reader's own statements are what is measured.
        let writer: OpaquePointer
        /// Kept open from run to run, as the service keeps it; it never carries call counts over.
        let reader: SQLiteSnapshotReader
    }

    /// The data clock: readings are taken at this wall time, and time stamps are made around it.
    static let now = Date(timeIntervalSince1970: 1_763_700_000)
    static let words = [
        "", " ", "1", " 7 ", "-1", "1e3", "version", "simulated_time", "simulated_wall_time", "simulated_speed", "S1", "S2",
        "V1", "V2", "I1", "I2", "T1", "T2", "C1", "C2", "P1", "valid", "information", "nuisance", "silent", "misdial",
        "idle", "talking", "wrap-up", "急救1号", "急救10号", "中山一路1号", "\u{7}\t\u{85}", "\u{FFFD}", "1763700000", "nan",
    ]

    nonisolated(unsafe) static var directory = ""
    let tables: [(name: String, columns: [String])]
    let strict: Database
    let loose: Database

    /// The databases live in `directory`, which is removed when the process exits.
    init(directory: String) {
        SQLiteRowFuzzing.directory = directory
        atexit { try? FileManager.default.removeItem(atPath: SQLiteRowFuzzing.directory) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let strictPath = "\(directory)/interface.sqlite", loosePath = "\(directory)/untyped.sqlite"
            let strictQueue = try DatabaseQueue(path: strictPath)
            try strictQueue.write { db in try db.execute(sql: InterfaceSchema.sql) }
            let tables: [(name: String, columns: [String])] = try strictQueue.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid").map { table in
                    (table, try db.columns(in: table).map(\.name))
                }
            }
            self.tables = tables
            try DatabaseQueue(path: loosePath).write { db in
                for table in tables {
                    try db.execute(sql: "CREATE TABLE \(table.name) (\(table.columns.joined(separator: ", ")))")
                }
            }
            func database(_ path: String) throws -> Database {
                var writer: OpaquePointer?
                guard sqlite3_open(path, &writer) == SQLITE_OK, let writer else { throw DatabaseError(message: "cannot open \(path)") }
                // Nothing here needs to survive a power cut: no syncing, no journal file per run.
                sqlite3_exec(writer, "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY", nil, nil, nil)
                let configuration = SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai, wallClock: { SQLiteRowFuzzing.now }, settledRecount: 0)
                return Database(path: path, writer: writer, reader: SQLiteSnapshotReader(configuration: configuration))
            }
            strict = try database(strictPath)
            loose = try database(loosePath)
        } catch {
            fuzzSetupFailed("cannot set up the fuzzing databases in \(directory): \(error)")
        }
    }

    func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let header = input.byte()
        let database = header & 1 == 0 ? strict : loose
        let writer = database.writer
        sqlite3_exec(writer, "BEGIN", nil, nil, nil)
        for table in tables { sqlite3_exec(writer, "DELETE FROM \(table.name)", nil, nil, nil) }
        if header & 2 == 0 {
            sqlite3_exec(writer, "INSERT INTO wallboard_interface (key, value) VALUES ('version', '1')", nil, nil, nil)
        }
        while !input.isEmpty {
            let table = tables[Int(input.byte()) % tables.count]
            let values = table.columns.map { _ in value(&input) }
            let sql = "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES (\(values.map(\.placeholder).joined(separator: ", ")))"
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(writer, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                fatalError("cannot prepare \(sql): \(String(cString: sqlite3_errmsg(writer)))")
            }
            for (index, value) in values.enumerated() { value.bind(statement, CInt(index + 1)) }
            // A row the strict schema refuses (NULL in a NOT NULL column, a repeated key) is left out.
            sqlite3_step(statement)
            sqlite3_finalize(statement)
        }
        guard sqlite3_exec(writer, "COMMIT", nil, nil, nil) == SQLITE_OK else {
            fatalError("cannot write the fuzzing database \(database.path): \(String(cString: sqlite3_errmsg(writer)))")
        }
        let reader = database.reader
        do {
            try reader.open()
            let snapshot = try reader.readSnapshot()
            show(snapshot)
            show(try reader.readSnapshot(at: Self.now.addingTimeInterval(-Double(header >> 2) * 97)))
        } catch {
            guard !error.message.isEmpty else { fatalError("a source problem that says nothing: \(error.kind)") }
        }
    }

    /// What the boards do with a snapshot: the wall's context and a door board's alerts.
    private func show(_ snapshot: DispatchSnapshot) {
        _ = snapshot.issues.map(\.description)
        let wall = ContextBuilder(identity: BoardIdentity(centreName: "中心", privacy: .internal, timeZone: .gmt))
        _ = wall.context(for: snapshot)
        for station in snapshot.stations.prefix(2) {
            let door = DoorBoardState(snapshot: snapshot, stationID: station.id, now: snapshot.takenAt, hold: 60)
            let builder = ContextBuilder(identity: BoardIdentity(centreName: "中心", stationID: station.id, privacy: .public, timeZone: .gmt))
            _ = builder.context(for: snapshot, alert: door.alerts.first.map { (index: 0, count: door.alerts.count, alert: $0) })
        }
    }

    /// One column value as the INSERT binds it.
    enum Value {
        case null, integer(Int64), real(Double), text(String), blob([UInt8])
        /// Bytes stored as TEXT whether or not they are UTF-8, as another program's writer may store them.
        case rawText([UInt8])

        var placeholder: String {
            if case .rawText = self { return "CAST(? AS TEXT)" }
            return "?"
        }

        func bind(_ statement: OpaquePointer, _ index: CInt) {
            switch self {
            case .null: sqlite3_bind_null(statement, index)
            case .integer(let number): sqlite3_bind_int64(statement, index, number)
            case .real(let number): sqlite3_bind_double(statement, index, number)
            case .text(let text): sqlite3_bind_text(statement, index, text, -1, transient)
            case .blob(let bytes), .rawText(let bytes): sqlite3_bind_blob(statement, index, bytes, CInt(bytes.count), transient)
            }
        }
    }

    private func value(_ input: inout FuzzInput) -> Value {
        let clock = Self.now.timeIntervalSince1970
        switch input.byte() % 9 {
        case 0: return .null
        case 1: return .integer(Int64(Int8(bitPattern: input.byte())))
        case 2: return .integer(Int64(bitPattern: input.uint64()))
        case 3: return .real(Double(bitPattern: input.uint64()))
        case 4: return .real(clock + Double(Int16(bitPattern: input.uint16())))
        case 5: return .integer(Int64(clock) + Int64(Int16(bitPattern: input.uint16())) * 8)
        case 6: return .text(Self.words[Int(input.byte()) % Self.words.count])
        case 7: return .rawText(input.bytes(Int(input.byte()) % 24))
        default: return .blob(input.bytes(Int(input.byte()) % 24))
        }
    }
}

/// Reads a fuzzer's input as a stream; past the end every read gives zeros.
struct FuzzInput {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isEmpty: Bool { offset >= bytes.count }

    mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in byte() } }

    mutating func uint16() -> UInt16 { bytes(2).reduce(0) { $0 << 8 | UInt16($1) } }

    mutating func uint64() -> UInt64 { bytes(8).reduce(0) { $0 << 8 | UInt64($1) } }
}

/// SQLite's SQLITE_TRANSIENT (copy the bound bytes), a macro Swift does not import.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
