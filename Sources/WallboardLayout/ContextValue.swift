import Foundation

/// A value a layout can bind: the snapshot seen through one board's eyes, with privacy applied.
public indirect enum ContextValue: Sendable, Hashable {
    case text(String)
    /// A number with the text it shows as (`0.953` shows as `95.3%`).
    case number(Double, display: String)
    /// A moment, shown as local `HH:mm:ss`; timers count from it.
    case time(Date, display: String)
    case flag(Bool)
    case list([ContextValue])
    case object([String: ContextValue])

    /// The text a template shows for this value.
    public var display: String {
        switch self {
        case .text(let text): text
        case .number(_, let display), .time(_, let display): display
        case .flag(let flag): flag ? "是" : "否"
        case .list(let items): items.map(\.display).joined(separator: " ")
        case .object: ""
        }
    }

    public var number: Double? {
        if case .number(let value, _) = self { return value }
        return nil
    }

    public var date: Date? {
        if case .time(let date, _) = self { return date }
        return nil
    }

    /// Mustache's notion of truth: false, empty lists, empty text and absent values are false.
    public var isTruthy: Bool {
        switch self {
        case .text(let text): !text.isEmpty
        case .number: true
        case .time: true
        case .flag(let flag): flag
        case .list(let items): !items.isEmpty
        case .object: true
        }
    }

    /// The value at a dotted path (`alert.vehicle.plate`); nil when any step is missing.
    /// Walks the path without splitting it into an array: bindings look up thousands of paths.
    public func lookup(_ path: String) -> ContextValue? {
        // Most paths are one field: looked up as they are, without taking the path apart.
        if !path.isEmpty, !path.utf8.contains(UInt8(ascii: ".")) {
            guard case .object(let fields) = self else { return nil }
            return fields[path]
        }
        var current = self
        var rest = Substring(path)
        while !rest.isEmpty {
            let key: Substring
            if let dot = rest.utf8.firstIndex(of: UInt8(ascii: ".")) {
                key = rest[..<dot]
                rest = rest[rest.utf8.index(after: dot)...]
            } else {
                key = rest
                rest = ""
            }
            if key.isEmpty { continue }
            guard case .object(let fields) = current, let next = fields[String(key)] else { return nil }
            current = next
        }
        return current
    }

    /// The form swift-mustache renders: dictionaries, arrays, strings and booleans.
    var mustacheValue: Any {
        switch self {
        case .text, .number, .time: display
        case .flag(let flag): flag
        case .list(let items): items.map(\.mustacheValue)
        case .object(let fields): fields.mapValues(\.mustacheValue)
        }
    }
}
