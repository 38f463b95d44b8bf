import Foundation
import Testing
@testable import WallboardInterface

/// The lists the interface checks use are read from the built-in `schema.sql`: they must be what
/// SQLite itself makes of the file.
@Suite struct InterfaceSchemaTests {
    /// Each table's columns as `name:TYPE:primary-key`, listed by the sqlite3 program from the schema.
    static func sqliteTables() throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-interface-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("list.sql")
        try (InterfaceSchema.sql + """

            SELECT m.name || ' ' || group_concat(p.name || ':' || upper(p.type) || ':' || p.pk, ' ') FROM sqlite_master m, pragma_table_info(m.name) p
            WHERE m.type = 'table' GROUP BY m.name ORDER BY m.rowid;
            """).write(to: script, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("out")
        try Data().write(to: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [directory.appendingPathComponent("schema.db").path, ".read \(script.path)"]
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func theTablesAreThoseSQLiteMakesOfTheFile() throws {
        let parsed = InterfaceSchema.tables.map { table in
            table.name + " " + table.columns.map { column in
                let type = column.isNumber ? (column.isRowID ? "INTEGER" : "?") : "TEXT"
                return "\(column.name):\(type)"
            }.joined(separator: " ")
        }
        let listed = try Self.sqliteTables().map { line in
            line.split(separator: " ").enumerated().map { index, word -> String in
                guard index > 0 else { return String(word) }
                let parts = word.split(separator: ":", omittingEmptySubsequences: false)
                let type = parts[1] == "TEXT" ? "TEXT" : parts[1] == "INTEGER" && parts[2] == "1" ? "INTEGER" : "?"
                return "\(parts[0]):\(type)"
            }.joined(separator: " ")
        }
        #expect(parsed == listed)
        #expect(InterfaceSchema.tables.count == 9)
    }

    @Test func theChecksListsLeaveOutWhatIsOptional() {
        let required = Dictionary(uniqueKeysWithValues: InterfaceSchema.requiredColumns.map { ($0.table, $0.columns) })
        #expect(required["seat_log"] == nil)
        #expect(required["vehicles"] == ["id", "call_sign", "plate", "station_id", "status", "status_since", "incident_id", "task_id"])
        #expect(required["vehicle_status_log"] == ["vehicle_id", "status", "at", "incident_id", "task_id"])
        #expect(required["stations"] == ["id", "name", "district", "sort_order", "latitude", "longitude"])
        #expect(InterfaceSchema.seatLogColumns == ["seat_id", "at", "state", "dispatcher_name", "call_id"])
        #expect(InterfaceSchema.numberColumns.isSuperset(of: ["calls.received_at", "vehicles.position_at", "seat_log.at", "incidents.patient_age"]))
        #expect(InterfaceSchema.numberColumns.isDisjoint(with: ["calls.id", "seat_log.id", "vehicle_status_log.id", "incidents.complaint"]))
        #expect(InterfaceSchema.numberColumns.count == 31)
    }
}
