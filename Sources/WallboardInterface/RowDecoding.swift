import Foundation
import WallboardDispatch

/// Turns raw column values into model fields, noting every value it had to clear or repair.
package struct RowDecoder {
    /// Time stamps later than this are treated as not yet happened (clock errors, bad rows).
    let latestAcceptable: Date
    package private(set) var issues: [DataIssue] = []

    package init(latestAcceptable: Date) {
        self.latestAcceptable = latestAcceptable
    }

    mutating func append(_ earlier: [DataIssue]) {
        issues.append(contentsOf: earlier)
    }

    mutating func note(_ table: String, _ rowID: String, _ column: String, _ problem: DataIssue.Problem, skipped: Bool = false) {
        issues.append(DataIssue(table: table, rowID: rowID, column: column, problem: problem, rowSkipped: skipped))
    }

    /// The row's key; nil (and a note naming the rowid position) when it is NULL or empty.
    package mutating func key(_ value: Cell, table: String, column: String = "id", position: Int) -> String? {
        let raw: String?
        switch value {
        case .text(let string): raw = string
        case .integer(let number): raw = String(number)
        case .real(let number): raw = String(number)
        case .blob(let data): raw = String(decoding: data, as: UTF8.self)
        case .null: raw = nil
        }
        guard let raw, !raw.isEmpty else {
            note(table, "#\(position)", column, .missingKey, skipped: true)
            return nil
        }
        return raw
    }

    /// Optional reference to another row's key.
    package func reference(_ value: Cell) -> String? {
        switch value {
        case .text(let string): string.isEmpty ? nil : string
        case .integer(let number): String(number)
        case .real(let number): String(number)
        case .blob(let data): String(decoding: data, as: UTF8.self)
        case .null: nil
        }
    }

    /// Text for display: control characters removed, invalid UTF-8 replaced, NULL as "".
    package mutating func text(_ value: Cell, _ table: String, _ rowID: String, _ column: String) -> String {
        let raw: String
        switch value {
        case .null: return ""
        case .text(let string): raw = string
        case .integer(let number): return String(number)
        case .real(let number): return String(number)
        case .blob(let data): raw = String(decoding: data, as: UTF8.self)
        }
        guard Self.mayNeedRepair(raw) else { return raw }
        if raw.unicodeScalars.contains("\u{FFFD}") { note(table, rowID, column, .invalidText) }
        guard raw.unicodeScalars.contains(where: Self.isControl) else { return raw }
        note(table, rowID, column, .controlCharacters)
        var cleaned = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            if scalar == "\t" || scalar == "\n" || scalar == "\r" {
                cleaned.append(" ")
            } else if !Self.isControl(scalar) {
                cleaned.append(scalar)
            }
        }
        return String(cleaned)
    }

    /// One pass over the bytes: true if the text may hold a control character (C0, DEL, C1 = C2 80…9F)
    /// or a replacement character (EF BF BD). Almost all text passes without a second look.
    private static func mayNeedRepair(_ text: String) -> Bool {
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F { return true }
            if previous == 0xC2, (0x80...0x9F).contains(byte) { return true }
            if beforePrevious == 0xEF, previous == 0xBF, byte == 0xBD { return true }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    package mutating func integer(_ value: Cell, _ table: String, _ rowID: String, _ column: String) -> Int? {
        switch value {
        case .null: return nil
        case .integer(let number): return Int(truncatingIfNeeded: number)
        case .real(let number) where number.isFinite && abs(number) < 1e15: return Int(number)
        case .text(let string):
            if let number = Int(string.trimmingCharacters(in: .whitespaces)) { return number }
        default: break
        }
        note(table, rowID, column, .unknownCode)
        return nil
    }

    package mutating func real(_ value: Cell) -> Double? {
        switch value {
        case .integer(let number): Double(number)
        case .real(let number) where number.isFinite: number
        case .text(let string): Double(string)
        default: nil
        }
    }

    /// A time stamp column of the current row; numbers are read without building a `Cell`.
    package mutating func date<Row: InterfaceColumns>(_ row: Row, _ index: Int, _ table: String, _ rowID: @autoclosure () -> String, _ column: String) -> Date? {
        switch row.stored(index) {
        case .null:
            return nil
        case .number(let seconds):
            return accept(seconds, table, rowID(), column)
        case .other:
            return date(row[index], table, rowID(), column)
        }
    }

    /// A call outcome word, compared as bytes without building a string.
    package mutating func outcome<Row: InterfaceColumns>(_ row: Row, _ index: Int, _ table: String, _ rowID: @autoclosure () -> String) -> CallOutcome? {
        guard !row.isNull(index) else { return nil }
        // Trivial values only (no reference counting) in this loop: it runs for every call of the day.
        for (outcome, word) in Self.outcomeWords where row.isText(index, equalTo: word) {
            return outcome
        }
        note(table, rowID(), "outcome", .unknownCode)
        return nil
    }

    private static let outcomeWords: [(CallOutcome, StaticString)] = [
        (.valid, "valid"), (.information, "information"), (.nuisance, "nuisance"), (.silent, "silent"), (.misdial, "misdial"),
    ]

    private mutating func accept(_ seconds: Double, _ table: String, _ rowID: @autoclosure () -> String, _ column: String) -> Date? {
        guard seconds.isFinite else {
            note(table, rowID(), column, .badTimestamp)
            return nil
        }
        let date = Date(timeIntervalSince1970: seconds)
        if date > latestAcceptable {
            note(table, rowID(), column, .futureTimestamp)
            return nil
        }
        return date
    }

    /// Unix seconds to a date; text holding a number is accepted. Future and malformed values become nil.
    mutating func date(_ value: Cell, _ table: String, _ rowID: String, _ column: String) -> Date? {
        let seconds: Double
        switch value {
        case .null: return nil
        case .integer(let number): seconds = Double(number)
        case .real(let number) where number.isFinite: seconds = number
        case .text(let string) where Double(string) != nil: seconds = Double(string) ?? 0
        default:
            note(table, rowID, column, .badTimestamp)
            return nil
        }
        return accept(seconds, table, rowID, column)
    }
}
