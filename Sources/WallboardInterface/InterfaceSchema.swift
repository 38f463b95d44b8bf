import Foundation
import WallboardDispatch

/// The optional parts of the interface that a site's tables or views have, found when the schema is checked.
package struct InterfaceFeatures: Sendable, Equatable {
    /// `vehicles` has the position columns (see `InterfaceSchema.hasVehiclePositions`).
    package var vehiclePositions: Bool
    /// `seat_log` is there: a past moment's seats come from it rather than from the calls they answered.
    package var seatLog: Bool

    package init(vehiclePositions: Bool = false, seatLog: Bool = false) {
        self.vehiclePositions = vehiclePositions
        self.seatLog = seatLog
    }
}

/// The interface's tables, from `schema.sql` beside this file (built into the program): the file
/// is the one statement of the tables and columns; the lists the checks need are read from it.
public enum InterfaceSchema {
    /// The interface version this reader understands (`wallboard_interface.version`).
    public static let version = 1

    /// `schema.sql`: creates whatever is missing; safe to run on a database that has it.
    public static let sql = String(decoding: PackageResources.schema_sql, as: UTF8.self)

    package struct Column: Sendable, Equatable {
        package let name: String
        /// INTEGER or REAL: time stamps in Unix seconds, codes, counts, coordinates.
        package let isNumber: Bool
        /// A log's `INTEGER PRIMARY KEY`, which the reader never selects.
        package let isRowID: Bool
    }

    package struct Table: Sendable {
        package let name: String
        package let columns: [Column]
    }

    /// Each `CREATE TABLE` of `schema.sql` with its columns, in the file's order.
    package static let tables = parseTables(sql)

    /// The columns the reader needs, per table or view, in the order it selects them: every table
    /// but the optional `seat_log`, without the logs' row ids and the optional vehicle positions.
    package static let requiredColumns: [(table: String, columns: [String])] = tables.filter { $0.name != "seat_log" }.map { table in
        let columns = table.columns.filter { !$0.isRowID && !(table.name == "vehicles" && vehiclePositionColumns.contains($0.name)) }
        return (table.name, columns.map(\.name))
    }

    /// The optional columns of `vehicles`: a site that reports positions has all four.
    package static let vehiclePositionColumns = ["latitude", "longitude", "heading", "position_at"]

    /// Whether `vehicles`, having `columns`, reports positions; some of the four without the rest is a mismatch.
    package static func hasVehiclePositions(_ columns: Set<String>, problemPrefix: String = "") throws(SourceProblem) -> Bool {
        let missing = vehiclePositionColumns.filter { !columns.contains($0) }
        guard !missing.isEmpty else { return true }
        guard missing.count < vehiclePositionColumns.count else { return false }
        let present = vehiclePositionColumns.filter(columns.contains)
        throw SourceProblem(kind: .interfaceMismatch, message: """
            \(problemPrefix)'vehicles' has \(present.joined(separator: ", ")) but lacks \(missing.joined(separator: ", ")); \
            a position needs all four (see SCHEMA.md)
            """)
    }

    /// The columns of the optional `seat_log`, in the order the reader selects them.
    package static let seatLogColumns = tables.first { $0.name == "seat_log" }?.columns.filter { !$0.isRowID }.map(\.name) ?? []

    /// Whether the site keeps the seats' history: `seat_log` has `columns` (none when it is absent).
    /// A `seat_log` without all of its columns is a mismatch.
    package static func hasSeatLog(_ columns: Set<String>, problemPrefix: String = "") throws(SourceProblem) -> Bool {
        guard !columns.isEmpty else { return false }
        let missing = seatLogColumns.filter { !columns.contains($0) }
        guard !missing.isEmpty else { return true }
        throw SourceProblem(kind: .interfaceMismatch, message: """
            \(problemPrefix)'seat_log' lacks column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")); \
            the seats' history needs all of \(seatLogColumns.joined(separator: ", ")), or no seat_log at all (see SCHEMA.md)
            """)
    }

    /// The columns that hold numbers (time stamps in Unix seconds, codes, counts, coordinates), as
    /// `table.column`; every other column holds text or a key.
    package static let numberColumns = Set(tables.flatMap { table in
        table.columns.filter { $0.isNumber && !$0.isRowID }.map { "\(table.name).\($0.name)" }
    })

    /// The tables of a script written as `schema.sql` is: `CREATE TABLE IF NOT EXISTS name (` on a
    /// line, then one column per line (`name TYPE …`), then `);`.
    static func parseTables(_ script: String) -> [Table] {
        var tables: [Table] = []
        var current: (name: String, columns: [Column])?
        for line in script.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("CREATE TABLE") {
                current = (line.split(separator: " ").last { $0 != "(" }.map(String.init) ?? "", [])
            } else if line.hasPrefix(")"), let table = current {
                tables.append(Table(name: table.name, columns: table.columns))
                current = nil
            } else if current != nil {
                let words = line.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")).uppercased() }
                guard words.count >= 2 else { continue }
                let number = words[1] == "INTEGER" || words[1] == "REAL"
                let rowID = words[1] == "INTEGER" && line.uppercased().contains("PRIMARY KEY")
                current?.columns.append(Column(name: words[0].lowercased(), isNumber: number, isRowID: rowID))
            }
        }
        return tables
    }
}
