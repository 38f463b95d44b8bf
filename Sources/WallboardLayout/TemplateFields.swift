import WallboardYAML

/// The fields a mustache template names, checked against what the context provides.
enum TemplateFields {
    struct Tag {
        enum Kind { case variable, section, inverted, close }
        var kind: Kind
        var name: String
        /// Character offset of the tag in the template.
        var offset: Int
    }

    /// The tags of a template, in order; comments, partials and pragmas are skipped.
    static func tags(in template: String) -> [Tag] {
        var tags: [Tag] = []
        let characters = Array(template)
        var index = 0
        while index + 1 < characters.count {
            guard characters[index] == "{", characters[index + 1] == "{" else {
                index += 1
                continue
            }
            let start = index
            var end = index + 2
            while end + 1 < characters.count, !(characters[end] == "}" && characters[end + 1] == "}") { end += 1 }
            guard end + 1 < characters.count else { break }
            var body = String(characters[(start + 2)..<end]).trimmingSpaces
            var next = end + 2
            if body.hasPrefix("{"), next < characters.count, characters[next] == "}" {
                next += 1
                body.removeFirst()
            }
            index = next
            let kind: Tag.Kind
            switch body.first {
            case "#": kind = .section
            case "^": kind = .inverted
            case "/": kind = .close
            case "!", ">", "<", "=", "%", "$": continue
            case "&", "{": kind = .variable
            default:
                tags.append(Tag(kind: .variable, name: body, offset: start))
                continue
            }
            tags.append(Tag(kind: kind, name: String(body.dropFirst()).trimmingSpaces, offset: start))
        }
        return tags
    }

    /// Fails at the first name the context does not provide, explaining what it does provide.
    /// `scopes` run from the outermost (the root context) to the innermost (a table's row).
    static func check(_ template: String, at location: SourceLocation, against initialScopes: [ContextValue], privacy: PrivacyClass) throws {
        var scopes = initialScopes
        let floor = initialScopes.count
        for tag in tags(in: template) {
            let name = tag.name.split(separator: "|").first.map { String($0).trimmingSpaces } ?? tag.name
            if tag.kind == .close {
                if scopes.count > floor { scopes.removeLast() }
                continue
            }
            guard let value = resolve(name, in: scopes) else {
                throw unknown(name, at: location, scopes: scopes, privacy: privacy)
            }
            if tag.kind == .section {
                switch value {
                case .list(let items): scopes.append(items.first ?? .object([:]))
                case .object: scopes.append(value)
                default: scopes.append(scopes[scopes.count - 1])
                }
            } else if tag.kind == .inverted {
                scopes.append(scopes[scopes.count - 1])
            }
        }
    }

    static func resolve(_ name: String, in scopes: [ContextValue]) -> ContextValue? {
        if name == "." { return scopes.last }
        let parts = name.split(separator: ".").map(String.init)
        guard let first = parts.first else { return nil }
        for scope in scopes.reversed() {
            guard let start = scope.lookup(first) else { continue }
            return parts.count == 1 ? start : start.lookup(parts.dropFirst().joined(separator: "."))
        }
        return nil
    }

    static func unknown(_ name: String, at location: SourceLocation, scopes: [ContextValue], privacy: PrivacyClass) -> YAMLFileError {
        let last = String(name.split(separator: ".").last ?? "")
        if personalFields.contains(last) && privacy == .public {
            return YAMLFileError(location, "'\(name)' is personal data: a public board never shows patient names or phone numbers (make the board internal to show it masked)")
        }
        let available = fieldPaths(of: scopes.last ?? .object([:])) + (scopes.count > 1 ? fieldPaths(of: scopes[0]).filter { !$0.contains(".") } : [])
        return YAMLFileError(location, "the template names '\(name)', which is not a field here; fields here: \(available.sorted().joined(separator: ", "))\(suggestion(for: name, among: available))")
    }

    /// Every dotted path under `value`, not descending into lists.
    static func fieldPaths(of value: ContextValue, prefix: String = "") -> [String] {
        guard case .object(let fields) = value else { return [] }
        return fields.flatMap { key, child -> [String] in
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            if case .object = child { return [path] + fieldPaths(of: child, prefix: path) }
            return [path]
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
