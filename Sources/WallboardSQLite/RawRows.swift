import Foundation
import GRDB
import GRDBSQLite
import WallboardDispatch
import WallboardInterface

/// The current row of a stepped statement. Reading values straight from the statement is several
/// times faster than through GRDB's `Row` for the ten thousand calls of a busy day.
struct SQLiteColumns: InterfaceColumns {
    let statement: SQLiteStatement

    subscript(_ index: Int) -> Cell {
        let column = CInt(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    func stored(_ index: Int) -> StoredValue {
        switch sqlite3_column_type(statement, CInt(index)) {
        case SQLITE_NULL: .null
        case SQLITE_INTEGER, SQLITE_FLOAT: .number(sqlite3_column_double(statement, CInt(index)))
        default: .other
        }
    }

    func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(statement, CInt(index)) == SQLITE_NULL
    }

    func flag(_ index: Int) -> Bool {
        sqlite3_column_int(statement, CInt(index)) != 0
    }

    func isText(_ index: Int, equalTo word: StaticString) -> Bool {
        guard sqlite3_column_type(statement, CInt(index)) == SQLITE_TEXT, let text = sqlite3_column_text(statement, CInt(index)) else {
            return false
        }
        let count = Int(sqlite3_column_bytes(statement, CInt(index)))
        return word.utf8CodeUnitCount == count && memcmp(word.utf8Start, text, count) == 0
    }
}

/// The interface's queries on a SQLite connection: statements from GRDB's cache, stepped and read
/// in place. Every direct call into SQLite's C interface is here.
struct SQLiteConnection: InterfaceConnection {
    let db: Database

    func each(_ sql: String, binding arguments: [Cell], _ body: (SQLiteColumns, Int) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(StatementArguments(arguments.map(Self.value)))
        let raw = statement.sqliteStatement
        // A statement left un-reset would keep the read transaction open.
        defer { sqlite3_reset(raw) }
        let row = SQLiteColumns(statement: raw)
        var position = 0
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
            position += 1
            try body(row, position)
        }
    }

    private static func value(_ cell: Cell) -> DatabaseValue {
        switch cell {
        case .null: .null
        case .integer(let number): number.databaseValue
        case .real(let number): number.databaseValue
        case .text(let text): text.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        }
    }
}
