import Foundation

/// One column's value as the database returned it, whichever database that is.
package enum Cell: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// The current row of an interface query, as the row decoder reads it: a SQLite statement read in
/// place, or a row a PostgreSQL server sent. Columns are numbered from 0 in SELECT order.
package protocol InterfaceColumns: SendableMetatype {
    subscript(_ index: Int) -> Cell { get }
    /// How the column is stored, read without building a `Cell`: the fast path for time stamps.
    func stored(_ index: Int) -> StoredValue
    func isNull(_ index: Int) -> Bool
    /// A boolean expression's result (SQLite's integer, PostgreSQL's boolean); false for NULL.
    func flag(_ index: Int) -> Bool
    /// Whether the column is text with exactly `word`'s bytes, compared without building a string.
    func isText(_ index: Int, equalTo word: StaticString) -> Bool
}

/// How a column holds its value, without building it.
package enum StoredValue {
    case null
    case number(Double)
    /// Text or a blob: read through the subscript.
    case other
}

/// A connection inside one read transaction, running the interface's queries. The SQL is written
/// once for both databases, with `?` for each argument, always bound, never written into the SQL.
package protocol InterfaceConnection {
    associatedtype Row: InterfaceColumns
    /// Runs `sql` with `arguments` bound and hands each row to `body` with its position, counted from 1.
    func each(_ sql: String, binding arguments: [Cell], _ body: (Row, Int) throws -> Void) throws
    /// Says that `each` will soon be asked for `sql` with `arguments`: a connection to a server
    /// may send it now, so that its answer is on its way while earlier rows are decoded.
    func expect(_ sql: String, binding arguments: [Cell]) throws
}

extension InterfaceConnection {
    /// An embedded database answers at once: nothing to send ahead.
    package func expect(_ sql: String, binding arguments: [Cell]) throws {}

    /// `each` with Unix seconds as the arguments, as most of the interface's statements take.
    package func each(_ sql: String, _ arguments: [Double], _ body: (Row, Int) throws -> Void) throws {
        try each(sql, binding: arguments.map(Cell.real), body)
    }

    package func expect(_ sql: String, _ arguments: [Double]) throws {
        try expect(sql, binding: arguments.map(Cell.real))
    }

    /// The first column of the first row as a number; nil for no row, NULL or text.
    package func firstNumber(_ sql: String, _ arguments: [Double]) throws -> Double? {
        var result: Double?
        try each(sql, arguments) { row, position in
            if position == 1, case .number(let number) = row.stored(0) { result = number }
        }
        return result
    }
}

/// A row already decoded into cells (PostgreSQL's rows arrive this way).
package struct CellRow: InterfaceColumns {
    package let cells: [Cell]

    package init(_ cells: [Cell]) {
        self.cells = cells
    }

    package subscript(_ index: Int) -> Cell {
        cells.indices.contains(index) ? cells[index] : .null
    }

    package func stored(_ index: Int) -> StoredValue {
        switch self[index] {
        case .null: .null
        case .integer(let number): .number(Double(number))
        case .real(let number): .number(number)
        case .text, .blob: .other
        }
    }

    package func isNull(_ index: Int) -> Bool {
        self[index] == .null
    }

    package func flag(_ index: Int) -> Bool {
        switch self[index] {
        case .integer(let number): number != 0
        case .real(let number): number != 0
        default: false
        }
    }

    package func isText(_ index: Int, equalTo word: StaticString) -> Bool {
        guard case .text(let text) = self[index] else { return false }
        return text.utf8.elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }
}
