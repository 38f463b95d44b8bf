import Foundation
import Yams

/// A place in a YAML file, for error messages a person can act on.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// An error in a YAML file: where, what, and what would have been valid.
public struct YAMLFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// A YAML value with its place in the file; every accessor throws a located error.
public struct YAMLValue {
    public let node: Node
    public let location: SourceLocation
    /// The dotted path of keys that led here (`states.idle.widgets[2].font`), for messages.
    public let path: String

    init(_ node: Node, file: String, path: String, fallback: SourceLocation? = nil) {
        self.node = node
        self.path = path
        if let mark = node.mark {
            location = SourceLocation(file: file, line: mark.line, column: mark.column)
        } else {
            location = fallback ?? SourceLocation(file: file, line: 1, column: 1)
        }
    }

    /// Parses a whole file. An empty file is an error: nothing in it could describe a board.
    public static func parse(_ text: String, file: String) throws -> YAMLValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw YAMLFileError.from(error, file: file)
        }
        guard let node else { throw YAMLFileError(SourceLocation(file: file, line: 1, column: 1), "the file is empty") }
        return YAMLValue(node, file: file, path: "")
    }

    public func error(_ message: String) -> YAMLFileError { YAMLFileError(location, message) }

    private var described: String { path.isEmpty ? "the document" : "'\(path)'" }

    public func mapping() throws -> YAMLMapping {
        guard case .mapping(let mapping) = node else { throw error("\(described) must be a mapping of keys to values") }
        return YAMLMapping(mapping, owner: self)
    }

    /// A file's path; a relative one is taken against `base` (the folder of the file it was read from).
    public func path(relativeTo base: URL) throws -> String {
        let path = try string()
        guard !path.isEmpty else { throw error("the path is empty") }
        if path.hasPrefix("/") { return path }
        return base.appendingPathComponent(path).standardized.path
    }

    public func sequence() throws -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw error("\(described) must be a list") }
        return sequence.enumerated().map { index, item in
            YAMLValue(item, file: location.file, path: "\(path)[\(index)]", fallback: location)
        }
    }

    public func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("\(described) must be a single value, not a list or mapping") }
        return scalar.string
    }

    public func int(in range: ClosedRange<Int>? = nil) throws -> Int {
        guard let value = Int(try string().replacingUnderscores()) else { throw error("\(described) must be a whole number, not '\(try string())'") }
        if let range, !range.contains(value) {
            throw error("\(described) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    public func double(in range: ClosedRange<Double>? = nil) throws -> Double {
        guard let value = Double(try string()) else { throw error("\(described) must be a number, not '\(try string())'") }
        if let range, !range.contains(value) {
            throw error("\(described) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    public func bool() throws -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("\(described) must be true or false, not '\(try string())'")
        }
    }

    /// One of `choices`, named in the error when the value is not.
    public func choice<T>(_ choices: [(String, T)]) throws -> T {
        let text = try string()
        if let match = choices.first(where: { $0.0 == text }) { return match.1 }
        throw error("\(described) is '\(text)'; expected one of: \(choices.map(\.0).joined(separator: ", "))\(suggestion(for: text, among: choices.map(\.0)))")
    }

    /// Several values, given as a list or as one value.
    public func listOrSingle() throws -> [YAMLValue] {
        if case .sequence = node { return try sequence() }
        return [self]
    }
}

/// A YAML mapping whose keys keep their places in the file.
public struct YAMLMapping {
    public let owner: YAMLValue
    private let entries: [(key: String, keyLocation: SourceLocation, value: YAMLValue)]

    init(_ mapping: Node.Mapping, owner: YAMLValue) {
        self.owner = owner
        let file = owner.location.file
        entries = mapping.map { key, value in
            let name = key.string ?? ""
            let keyLocation = key.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? owner.location
            let path = owner.path.isEmpty ? name : "\(owner.path).\(name)"
            return (name, keyLocation, YAMLValue(value, file: file, path: path, fallback: keyLocation))
        }
    }

    public var keys: [String] { entries.map(\.key) }

    public func optional(_ key: String) -> YAMLValue? {
        entries.first { $0.key == key }?.value
    }

    public func required(_ key: String) throws -> YAMLValue {
        guard let value = optional(key) else {
            let place = owner.path.isEmpty ? "the document" : "'\(owner.path)'"
            throw owner.error("\(place) needs a '\(key)' key")
        }
        return value
    }

    /// The entries in file order, with their keys' places.
    public var entriesInOrder: [(key: String, keyLocation: SourceLocation, value: YAMLValue)] { entries }

    /// Fails at the first key that is not in `allowed`, naming the keys that are.
    public func rejectUnknownKeys(_ allowed: [String]) throws {
        for entry in entries where !allowed.contains(entry.key) {
            let place = owner.path.isEmpty ? "" : " in '\(owner.path)'"
            throw YAMLFileError(
                entry.keyLocation,
                "unknown key '\(entry.key)'\(place); valid keys: \(allowed.joined(separator: ", "))\(suggestion(for: entry.key, among: allowed))"
            )
        }
    }
}

extension YAMLFileError {
    static func from(_ error: YamlError, file: String) -> YAMLFileError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) " } ?? ""
            return YAMLFileError(SourceLocation(file: file, line: mark.line, column: mark.column), "YAML syntax: \(detail)\(problem)")
        default:
            return YAMLFileError(SourceLocation(file: file, line: 1, column: 1), "YAML: \(error)")
        }
    }
}

/// ", did you mean 'x'?" when one of `candidates` is a small edit away from `word`.
public func suggestion(for word: String, among candidates: [String]) -> String {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, word.count / 3) else { return "" }
    return " (did you mean '\(best.0)'?)"
}

func editDistance(_ a: String, _ b: String) -> Int {
    let left = Array(a), right = Array(b)
    guard !left.isEmpty else { return right.count }
    guard !right.isEmpty else { return left.count }
    var previous = Array(0...right.count)
    for i in 1...left.count {
        var current = [i] + Array(repeating: 0, count: right.count)
        for j in 1...right.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[right.count]
}

extension String {
    fileprivate func replacingUnderscores() -> String { filter { $0 != "_" } }
}
