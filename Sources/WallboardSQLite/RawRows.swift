import Foundation
import GRDB
import GRDBSQLite
import WallboardDispatch

/// The current row of a stepped statement. Reading values straight from the statement is several
/// times faster than through `Row` for the ten thousand calls of a busy day.
struct Columns {
    let statement: SQLiteStatement

    subscript(_ index: Int) -> DatabaseValue {
        DatabaseValue(sqliteStatement: statement, index: CInt(index))
    }

    /// How SQLite stores a column, read without building a `DatabaseValue`.
    enum StoredValue {
        case null
        case number(Double)
        /// Text or a blob: read through the subscript.
        case other
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

    /// The column as SQLite's integer (0 for NULL).
    func int(_ index: Int) -> Int32 {
        sqlite3_column_int(statement, CInt(index))
    }

    /// Whether the column is text with exactly `word`'s bytes, compared without building a string.
    func isText(_ index: Int, equalTo word: StaticString) -> Bool {
        guard sqlite3_column_type(statement, CInt(index)) == SQLITE_TEXT, let text = sqlite3_column_text(statement, CInt(index)) else {
            return false
        }
        let count = Int(sqlite3_column_bytes(statement, CInt(index)))
        return word.utf8CodeUnitCount == count && memcmp(word.utf8Start, text, count) == 0
    }
}

/// The raw-row fast path beside GRDB: statements from GRDB's cache, stepped and read in place.
/// Every direct call into SQLite's C interface is here.
enum RawRows {
    /// Steps `sql` bound to `arguments` and hands each row to `body` without building values.
    static func step(
        _ db: Database, _ arguments: [Double], _ decoder: inout RowDecoder, _ sql: String,
        _ body: (inout RowDecoder, Columns, Int) -> Void
    ) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(StatementArguments(arguments))
        let raw = statement.sqliteStatement
        // A statement left un-reset would keep the read transaction open.
        defer { sqlite3_reset(raw) }
        let row = Columns(statement: raw)
        var position = 0
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
            position += 1
            body(&decoder, row, position)
        }
    }

    static func fetch<T>(
        _ db: Database, _ sql: String, _ arguments: [Date], _ decoder: inout RowDecoder, _ decode: (inout RowDecoder, Columns, Int) -> T?
    ) throws -> [T] {
        let statement = try db.cachedStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(arguments.map { $0.timeIntervalSince1970 }))
        let columns = Columns(statement: statement.sqliteStatement)
        var result: [T] = []
        var position = 0
        while try cursor.next() != nil {
            position += 1
            if let value = decode(&decoder, columns, position) { result.append(value) }
        }
        return result
    }
}
