import Foundation
import GRDB
import WallboardDispatch
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
        let writer: DatabaseQueue
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
            for path in [strictPath, loosePath] {
                for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            // Nothing here needs to survive a power cut: no syncing, no journal file per run.
            var writing = Configuration()
            writing.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY") }
            let strictWriter = try DatabaseQueue(path: strictPath, configuration: writing)
            try strictWriter.write { db in try db.execute(sql: InterfaceSchema.sql) }
            let tables: [(name: String, columns: [String])] = try strictWriter.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid").map { table in
                    (table, try db.columns(in: table).map(\.name))
                }
            }
            let looseWriter = try DatabaseQueue(path: loosePath, configuration: writing)
            try looseWriter.write { db in
                for table in tables {
                    try db.execute(sql: "CREATE TABLE \(table.name) (\(table.columns.joined(separator: ", ")))")
                }
            }
            self.tables = tables
            func reader(_ path: String) -> SQLiteSnapshotReader {
                SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(path: path, wallClock: { SQLiteRowFuzzing.now }))
            }
            strict = Database(path: strictPath, writer: strictWriter, reader: reader(strictPath))
            loose = Database(path: loosePath, writer: looseWriter, reader: reader(loosePath))
        } catch {
            fuzzSetupFailed("cannot set up the fuzzing databases in \(directory): \(error)")
        }
    }

    func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let header = input.byte()
        let database = header & 1 == 0 ? strict : loose
        do {
            try database.writer.inTransaction { db in
                for table in tables { try db.execute(sql: "DELETE FROM \(table.name)") }
                if header & 2 == 0 {
                    try? db.execute(sql: "INSERT INTO wallboard_interface (key, value) VALUES ('version', '1')")
                }
                while !input.isEmpty {
                    let table = tables[Int(input.byte()) % tables.count]
                    var placeholders: [String] = []
                    var values: [DatabaseValue] = []
                    for _ in table.columns {
                        let (placeholder, value) = self.value(&input)
                        placeholders.append(placeholder)
                        values.append(value)
                    }
                    // A row the strict schema refuses (NULL in a NOT NULL column, a repeated key) is left out.
                    try? db.execute(
                        sql: "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES (\(placeholders.joined(separator: ", ")))",
                        arguments: StatementArguments(values)
                    )
                }
                return .commit
            }
        } catch {
            fatalError("cannot write the fuzzing database \(database.path): \(error)")
        }
        let reader = database.reader
        reader.close()
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

    /// One column value and how the INSERT binds it.
    private func value(_ input: inout FuzzInput) -> (String, DatabaseValue) {
        switch input.byte() % 9 {
        case 0: return ("?", .null)
        case 1: return ("?", Int64(Int8(bitPattern: input.byte())).databaseValue)
        case 2: return ("?", Int64(bitPattern: input.uint64()).databaseValue)
        case 3: return ("?", Double(bitPattern: input.uint64()).databaseValue)
        case 4: return ("?", (Self.now.timeIntervalSince1970 + Double(Int16(bitPattern: input.uint16()))).databaseValue)
        case 5: return ("?", Int64(Self.now.timeIntervalSince1970 + Double(Int16(bitPattern: input.uint16())) * 8).databaseValue)
        case 6: return ("?", Self.words[Int(input.byte()) % Self.words.count].databaseValue)
        // Bytes stored as TEXT whether or not they are UTF-8, as another program's writer may store them.
        case 7: return ("CAST(? AS TEXT)", Data(input.bytes(Int(input.byte()) % 24)).databaseValue)
        default: return ("?", Data(input.bytes(Int(input.byte()) % 24)).databaseValue)
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
