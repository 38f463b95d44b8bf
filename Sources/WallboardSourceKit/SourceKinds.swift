import Foundation
import WallboardYAML

/// The registered kinds of source: what the configuration's `source:` and the commands' source
/// options accept. The product's list is `DispatchSources.kinds`.
public struct SourceKinds: Sendable {
    public let all: [any SourceKind]

    public init(_ kinds: [any SourceKind]) {
        all = kinds
    }

    public var names: [String] { all.map(\.name) }

    /// `--db path | --postgres url`, for usage lines and messages.
    public var synopsis: String { all.map { "--\($0.option) \($0.optionValue)" }.joined(separator: " | ") }

    /// One line per kind, for `--help`.
    public var optionsHelp: String { all.map { "--\($0.option) \($0.optionValue): \($0.summary)" }.joined(separator: "\n") }

    /// The address under `source:`: exactly one of the kinds' keys, read by its kind.
    public func address(in fields: YAMLMapping, base: URL) throws -> any SourceAddress {
        let named = all.compactMap { kind in fields.optional(kind.name).map { (kind, $0) } }
        guard let (kind, value) = named.first else {
            throw fields.owner.error("'source' names no source; give one of \(names.map { "'\($0): …'" }.joined(separator: ", "))")
        }
        guard named.count == 1 else {
            throw fields.owner.error("'source' names \(named.count == 2 ? "both " : "")\(named.map(\.0.name).joined(separator: " and ")); keep one")
        }
        return try kind.address(configured: value, base: base)
    }

    /// The source named by `arguments` (`--db PATH`, `--postgres=URL`), or nil when none is.
    /// Anything else in `arguments` is an error naming the options there are.
    public func address(arguments: [String]) throws(SourceKindError) -> (any SourceAddress)? {
        var found: [(kind: any SourceKind, text: String)] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            let (label, inline) = Self.split(argument)
            guard let kind = all.first(where: { "--\($0.option)" == label }) else {
                let options = all.map { "--\($0.option)" }
                let what = label.hasPrefix("-") ? "unknown option '\(label)'\(suggestion(for: label, among: options)); --help lists this command's options"
                    : "unexpected argument '\(argument)'"
                throw SourceKindError("\(what); the dispatch source is one of \(synopsis)")
            }
            guard let text = inline ?? rest.popFirst() else {
                throw SourceKindError("--\(kind.option) needs a \(kind.optionValue)")
            }
            found.append((kind, text))
        }
        guard found.count <= 1 else {
            throw SourceKindError("give one dispatch source, not \(found.map { "--\($0.kind.option)" }.joined(separator: " and "))")
        }
        return try found.first.map { entry throws(SourceKindError) in try entry.kind.address(option: entry.text) }
    }

    private static func split(_ argument: String) -> (label: String, value: String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
