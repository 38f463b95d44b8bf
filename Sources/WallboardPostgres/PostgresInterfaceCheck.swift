import Foundation
import WallboardDispatch
import WallboardInterface

/// Checks, once per connection, that every interface table or view is there with every column, and
/// that each column's type is one the reader can decode and compare: a view that returns a
/// `timestamptz` where the interface wants Unix seconds is named, with the fix.
enum PostgresInterfaceCheck {
    /// Returns the optional parts of the interface the server has.
    static func verify(_ connection: BlockingConnection) throws -> InterfaceFeatures {
        var features = InterfaceFeatures()
        for (table, columns) in InterfaceSchema.requiredColumns {
            guard let types = try columnTypes(of: table, connection) else {
                throw SourceProblem(kind: .interfaceMismatch, message: "table or view '\(table)' is missing; install schema-postgres.sql (`wallboard postgres install`) or map it with a view (see SCHEMA.md)")
            }
            let missing = columns.filter { types[$0] == nil }
            if !missing.isEmpty {
                throw SourceProblem(kind: .interfaceMismatch, message: "'\(table)' lacks column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")); see SCHEMA.md")
            }
            if table == "vehicles" { features.vehiclePositions = try InterfaceSchema.hasVehiclePositions(Set(types.keys)) }
            let optional = table == "vehicles" && features.vehiclePositions ? InterfaceSchema.vehiclePositionColumns : []
            try checkTypes(table, columns + optional, types)
        }
        if let types = try columnTypes(of: "seat_log", connection) {
            features.seatLog = try InterfaceSchema.hasSeatLog(Set(types.keys))
            if features.seatLog { try checkTypes("seat_log", InterfaceSchema.seatLogColumns, types) }
        }
        return features
    }

    private typealias ColumnTypes = [String: (id: UInt32, name: String)]

    /// Each column's type (through domains) by lower-case name; nil when there is no such table or view.
    private static func columnTypes(of table: String, _ connection: BlockingConnection) throws -> ColumnTypes? {
        var types: ColumnTypes = [:]
        var exists = false
        try connection.each("""
            SELECT to_regclass('\(table)') IS NOT NULL, a.attname::text, COALESCE(NULLIF(t.typbasetype, 0), t.oid)::int8, \
            format_type(a.atttypid, a.atttypmod) \
            FROM (SELECT 1) AS one LEFT JOIN pg_attribute a ON a.attrelid = to_regclass('\(table)') AND a.attnum > 0 AND NOT a.attisdropped \
            LEFT JOIN pg_type t ON t.oid = a.atttypid
            """, []) { row, _ in
            exists = row.flag(0)
            guard case .text(let column) = row[1], case .integer(let type) = row[2], case .text(let typeName) = row[3] else { return }
            types[column.lowercased()] = (UInt32(truncatingIfNeeded: type), typeName)
        }
        return exists ? types : nil
    }

    private static func checkTypes(_ table: String, _ columns: [String], _ types: ColumnTypes) throws {
        for column in columns {
            guard let type = types[column] else { continue }
            let isNumber = InterfaceSchema.numberColumns.contains("\(table).\(column)")
            let accepted = isNumber ? PostgresCells.numberTypes : PostgresCells.textTypes.union(PostgresCells.integerTypes)
            guard accepted.contains(type.id) else {
                let wanted = isNumber
                    ? (column.hasSuffix("_at") || column.hasSuffix("_since") || column == "at"
                        ? "Unix seconds as a number (double precision; in a view: extract(epoch FROM \(column)))" : "a number")
                    : "text"
                throw SourceProblem(kind: .interfaceMismatch, message: "\(table).\(column) is \(type.name); the interface needs \(wanted); see SCHEMA.md")
            }
        }
    }
}
