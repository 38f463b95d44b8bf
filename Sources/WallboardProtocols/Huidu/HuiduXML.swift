import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of an XML document as the SDK uses XML: a name, attributes, child elements and
/// the text directly inside it.
public struct HuiduXMLElement: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var children: [HuiduXMLElement]
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [HuiduXMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    public func child(_ name: String) -> HuiduXMLElement? { children.first { $0.name == name } }

    public subscript(attribute: String) -> String? { attributes[attribute] }
}

/// Why bytes are not an XML document the SDK would send.
public struct HuiduXMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Writing and reading the SDK's XML. Writing escapes every text and attribute value and leaves
/// out the characters XML cannot carry, so text from the database can never become structure;
/// reading is strict and bounded: no document type or entity declarations, no processing
/// beyond the elements, a depth, element count and size limit.
public enum HuiduXML {
    static let maximumDepth = 16
    static let maximumElements = 4096
    static let declaration = #"<?xml version="1.0" encoding="utf-8"?>"#
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// `value` as element text: `&`, `<` and `>` escaped, control characters other than a line
    /// break left out, and the two code points XML forbids (U+FFFE, U+FFFF) too.
    public static func escapeText(_ value: String) -> String {
        escape(value, keepingLineBreaks: true)
    }

    /// `value` as an attribute value between double quotes: also `"` and `'` escaped, and line
    /// breaks left out (an attribute would fold them into spaces).
    public static func escapeAttribute(_ value: String) -> String {
        escape(value, keepingLineBreaks: false)
    }

    private static func escape(_ value: String, keepingLineBreaks: Bool) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"" where !keepingLineBreaks: escaped += "&quot;"
            case "'" where !keepingLineBreaks: escaped += "&apos;"
            case "\n" where keepingLineBreaks: escaped.unicodeScalars.append(scalar)
            case "\u{FFFE}", "\u{FFFF}": break
            default:
                if scalar.properties.generalCategory != .control { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped
    }

    /// A request: `<sdk guid><in method>body</in></sdk>` behind the XML declaration; `body` is
    /// XML this module wrote.
    static func request(method: String, guid: String, body: String) -> String {
        let open = "\(declaration)<sdk guid=\"\(escapeAttribute(guid))\"><in method=\"\(escapeAttribute(method))\""
        return body.isEmpty ? open + "/></sdk>" : open + ">\(body)</in></sdk>"
    }

    /// A reply: `<sdk guid><out method result>body</out></sdk>`.
    static func reply(method: String, result: String, guid: String, body: String) -> String {
        "\(declaration)<sdk guid=\"\(escapeAttribute(guid))\"><out method=\"\(escapeAttribute(method))\" result=\"\(escapeAttribute(result))\">\(body)</out></sdk>"
    }

    /// Reads a document: a leading byte-order mark and XML declaration are dropped (the text
    /// must be UTF-8 anyway); a document type, an entity declaration, a comment, a CDATA section
    /// or a processing instruction is refused, as are documents deeper or larger than any the
    /// SDK sends. (The toolchain's parser crashes on a processing instruction without data, so
    /// none ever reaches it.)
    public static func parse(_ bytes: [UInt8], limit: Int = Huidu.maximumXMLBytes) throws(HuiduXMLError) -> HuiduXMLElement {
        var body = bytes[...]
        if body.starts(with: byteOrderMark) { body = body.dropFirst(byteOrderMark.count) }
        guard body.count <= limit else { throw HuiduXMLError("an XML document of \(body.count) bytes; at most \(limit) are read") }
        guard String(validating: body, as: UTF8.self) != nil else { throw HuiduXMLError("XML that is not UTF-8") }
        if body.starts(with: Array("<?xml ".utf8)) {
            guard let end = body.indices.first(where: { body[$0] == UInt8(ascii: "?") && body.index(after: $0) < body.endIndex && body[body.index(after: $0)] == UInt8(ascii: ">") }) else {
                throw HuiduXMLError("an XML declaration that does not end")
            }
            body = body[(end + 2)...]
        }
        let markup: Set<UInt8> = [UInt8(ascii: "!"), UInt8(ascii: "?")]
        if let index = body.indices.first(where: { body[$0] == UInt8(ascii: "<") && body.index(after: $0) < body.endIndex && markup.contains(body[body.index(after: $0)]) }) {
            throw HuiduXMLError("a declaration, comment, CDATA section or processing instruction at byte \(index - bytes.startIndex): the SDK's XML has none")
        }
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(body))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let parsed = parser.parse()
        if let refusal = builder.refusal { throw HuiduXMLError(refusal) }
        guard parsed, let root = builder.root else {
            let reason = parser.parserError.map { " (\($0.localizedDescription))" } ?? ""
            throw HuiduXMLError("XML that does not parse, at line \(parser.lineNumber) column \(parser.columnNumber)\(reason)")
        }
        return root
    }
}

/// Collects elements as the parser reports them, giving up past the depth and element limits.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var root: HuiduXMLElement?
    var refusal: String?
    private var stack: [HuiduXMLElement] = []
    private var count = 0

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        count += 1
        guard stack.count < HuiduXML.maximumDepth, count <= HuiduXML.maximumElements else {
            refusal = stack.count >= HuiduXML.maximumDepth ? "XML nested deeper than \(HuiduXML.maximumDepth) elements" : "XML of more than \(HuiduXML.maximumElements) elements"
            parser.abortParsing()
            return
        }
        stack.append(HuiduXMLElement(name: elementName, attributes: attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard let element = stack.popLast() else { return }
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }
}
