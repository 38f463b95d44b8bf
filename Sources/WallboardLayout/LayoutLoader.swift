import Foundation
import Mustache
import WallboardRender
import WallboardText
import WallboardYAML

/// Reads layout files and checks everything up front: an unknown widget, field, font or colour,
/// a zone outside the board, a template naming a missing field — each an error at file:line:column.
public struct LayoutLoader: Sendable {
    /// The font names layouts may use.
    public let fontNames: [String]

    /// The names of the widget kinds layouts may use, as layout files write them.
    public static var widgetKinds: [String] { Scope.widgetKinds }

    public init(fontNames: [String]) {
        self.fontNames = fontNames.sorted()
    }

    public func load(contentsOf url: URL) throws -> Layout {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw YAMLFileError(SourceLocation(file: url.path, line: 1, column: 1), "cannot read the layout: \(error.localizedDescription)")
        }
        return try load(text, file: url.path, name: url.deletingPathExtension().lastPathComponent)
    }

    public func load(_ text: String, file: String, name: String) throws -> Layout {
        let root = try YAMLValue.parse(text, file: file).mapping()
        try root.rejectUnknownKeys(["board", "stale", "states"])
        let board = try root.required("board").mapping()
        try board.rejectUnknownKeys(["kind", "width", "height", "format", "privacy", "hold", "rotation", "bezels", "minimumTextHeight"])
        let kind = try board.required("kind").choice(BoardKind.allCases.map { ($0.rawValue, $0) })
        let width = try board.required("width").int(in: 1...8192)
        let height = try board.required("height").int(in: 1...8192)
        let format = try board.required("format").choice(PixelFormat.allCases.map { ($0.rawValue, $0) })
        let privacy = try board.required("privacy").choice(PrivacyClass.allCases.map { ($0.rawValue, $0) })
        let hold = try board.optional("hold")?.double(in: 0...3600) ?? 30
        let rotation = try board.optional("rotation")?.double(in: 1...600) ?? 8
        let bezels = try board.optional("bezels").map { try Self.bezels($0, width: width, height: height) } ?? .none
        let minimumTextHeight = try board.optional("minimumTextHeight").map { value in
            TextHeightFloor(pixels: try value.int(in: 1...height), location: value.location)
        }

        let scope = Scope(
            bounds: Rect(x: 0, y: 0, width: width, height: height),
            context: SampleContext.context(kind: kind, privacy: privacy),
            privacy: privacy,
            fontNames: fontNames,
            bezels: bezels
        )
        let statesValue = try root.required("states")
        let statesMapping = try statesValue.mapping()
        try statesMapping.rejectUnknownKeys(kind.requiredStates)
        var states: [String: [Widget]] = [:]
        for state in kind.requiredStates {
            guard let widgets = statesMapping.optional(state) else {
                throw statesValue.error("a \(kind.rawValue) board needs the states \(kind.requiredStates.joined(separator: " and ")); '\(state)' is missing")
            }
            states[state] = try scope.widgets(widgets)
        }
        let staleBanner = try root.optional("stale").map(scope.staleBanner) ?? scope.defaultStaleBanner()
        return Layout(
            name: name, kind: kind, width: width, height: height, format: format, privacy: privacy,
            hold: hold, rotation: rotation, bezels: bezels, states: states, staleBanner: staleBanner,
            minimumTextHeight: minimumTextHeight
        )
    }

    /// `bezels: {columns: [x, …], rows: [y, …]}`: the lines where a splicing wall's screens meet.
    static func bezels(_ value: YAMLValue, width: Int, height: Int) throws -> Bezels {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["columns", "rows"])
        func lines(_ key: String, across size: Int) throws -> [Int] {
            guard let list = fields.optional(key) else { return [] }
            guard size > 1 else { throw list.error("a board \(size) px across has no room for a bezel") }
            let numbers = try list.sequence().map { try $0.int(in: 1...(size - 1)) }
            guard zip(numbers, numbers.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw list.error("'\(key)' lists the bezel lines from the \(key == "columns" ? "left" : "top"), each further than the one before")
            }
            return numbers
        }
        let bezels = Bezels(columns: try lines("columns", across: width), rows: try lines("rows", across: height))
        guard bezels != .none else { throw value.error("'bezels' names at least one line in 'columns' (x) or 'rows' (y)") }
        return bezels
    }
}

/// What a layout's values are checked against while it loads.
struct Scope {
    let bounds: Rect
    let context: ContextValue
    let privacy: PrivacyClass
    let fontNames: [String]
    var bezels: Bezels = .none

    static let widgetKinds = registeredWidgetKinds.map { $0.name }
    static let commonKeys = ["rect", "when", "blink"]
    static let styleKeys = ["font", "colour", "colourBy", "align", "valign", "overflow", "thresholds"]

    func widgets(_ value: YAMLValue) throws -> [Widget] {
        try value.sequence().map(widget)
    }

    func widget(_ value: YAMLValue) throws -> Widget {
        let fields = try value.mapping()
        let kinds = registeredWidgetKinds.filter { fields.optional($0.name) != nil }
        guard kinds.count == 1, let kindType = kinds.first, let kindValue = fields.optional(kindType.name) else {
            let unknown = fields.keys.filter { !Scope.widgetKinds.contains($0) && !Scope.commonKeys.contains($0) && !Scope.styleKeys.contains($0) }
            let hint = unknown.first.map { ": '\($0)' is not a widget\(suggestion(for: $0, among: Scope.widgetKinds))" } ?? ""
            throw value.error("a widget needs exactly one of \(Scope.widgetKinds.joined(separator: ", "))\(hint)")
        }
        let rect = kindType.fillsTheBoardWithoutRect && fields.optional("rect") == nil ? bounds : try self.rect(fields.required("rect"))
        let when = try fields.optional("when").map(condition)
        let blink = try fields.optional("blink").map(condition)
        try fields.rejectUnknownKeys([kindType.name] + kindType.keys + Scope.commonKeys)
        let kind = try kindType.parse(kindValue, fields: fields, rect: rect, scope: self)
        if !kindType.maySpanBezels, let refusal = bezels.refusal(of: "'\(kindType.name)'", at: rect) {
            throw value.error(refusal)
        }
        return Widget(kind: kind, rect: rect, when: when, blink: blink, location: value.location)
    }

    func rect(_ value: YAMLValue) throws -> Rect {
        let numbers = try value.sequence()
        guard numbers.count == 4 else { throw value.error("'rect' is [x, y, width, height]; it has \(numbers.count) numbers") }
        let rect = Rect(
            x: try numbers[0].int(), y: try numbers[1].int(),
            width: try numbers[2].int(in: 1...8192), height: try numbers[3].int(in: 1...8192)
        )
        guard bounds.contains(rect) else {
            throw value.error("the zone \(rect.width)x\(rect.height) at (\(rect.x), \(rect.y)) lies outside the \(bounds.width)x\(bounds.height) board")
        }
        return rect
    }

    func colour(_ value: YAMLValue) throws -> Color {
        let name = try value.string()
        guard let colour = Color(name: name) else {
            throw value.error("unknown colour '\(name)'; valid colours: \(Color.knownNames.joined(separator: ", "))\(suggestion(for: name, among: Color.knownNames))")
        }
        return colour
    }

    func fonts(_ value: YAMLValue) throws -> [String] {
        let items = try value.listOrSingle()
        guard !items.isEmpty else { throw value.error("name at least one font; valid fonts: \(fontNames.joined(separator: ", "))") }
        return try items.map { item in
            let name = try item.string()
            guard fontNames.contains(name) else {
                throw item.error("unknown font '\(name)'; valid fonts: \(fontNames.joined(separator: ", "))\(suggestion(for: name, among: fontNames))")
            }
            return name
        }
    }

    func template(_ value: YAMLValue) throws -> TextTemplate {
        try template(value, against: context)
    }

    func template(_ value: YAMLValue, against scopeContext: ContextValue) throws -> TextTemplate {
        try template(source: try value.string(), at: value.location, against: scopeContext)
    }

    /// A template written at `location`, or a widget's default for a key left out there.
    func template(source: String, at location: SourceLocation, against scopeContext: ContextValue) throws -> TextTemplate {
        do {
            let compiled = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + source)
            try TemplateFields.check(source, at: location, against: [scopeContext], privacy: privacy)
            return TextTemplate(source: source, location: location, compiled: compiled)
        } catch let error as YAMLFileError {
            throw error
        } catch {
            throw YAMLFileError(location, "the template does not parse: \(error)")
        }
    }

    func condition(_ value: YAMLValue) throws -> Condition {
        var path = try value.string().trimmingSpaces
        let negated = path.hasPrefix("!")
        if negated { path = String(path.dropFirst()).trimmingSpaces }
        guard context.lookup(path) != nil else {
            throw TemplateFields.unknown(path, at: value.location, scopes: [context], privacy: privacy)
        }
        return Condition(path: path, negated: negated)
    }

    func timePath(_ value: YAMLValue, in scopeContext: ContextValue? = nil, countedBy counter: String = "a timer") throws -> String {
        let path = try value.string().trimmingSpaces
        let within = scopeContext ?? context
        guard let field = within.lookup(path) else {
            throw TemplateFields.unknown(path, at: value.location, scopes: [within], privacy: privacy)
        }
        guard field.date != nil else { throw value.error("'\(path)' is not a time stamp, so \(counter) cannot count from it") }
        return path
    }

    func thresholds(_ value: YAMLValue?, base: Color) throws -> Thresholds {
        guard let value else { return Thresholds(base: base, rules: []) }
        let rules = try value.sequence().map { item -> Thresholds.Rule in
            let fields = try item.mapping()
            try fields.rejectUnknownKeys(["at", "below", "colour"])
            let colour = try self.colour(fields.required("colour"))
            if let at = fields.optional("at") {
                return .init(comparison: .atLeast, limit: try at.double(), colour: colour)
            }
            guard let below = fields.optional("below") else { throw item.error("a threshold needs 'at' (value at least) or 'below'") }
            return .init(comparison: .below, limit: try below.double(), colour: colour)
        }
        return Thresholds(base: base, rules: rules)
    }

    func style(_ fields: YAMLMapping, rect: Rect) throws -> TextStyle {
        let fonts = try self.fonts(fields.required("font"))
        let base = try fields.optional("colour").map(colour) ?? .on
        var colourBy: String?
        if let value = fields.optional("colourBy") {
            colourBy = try numberPath(value)
        }
        return TextStyle(
            fonts: fonts,
            colour: try thresholds(fields.optional("thresholds"), base: base),
            colourBy: colourBy,
            align: try fields.optional("align")?.choice(HorizontalAlignment.allCases.map { ($0.rawValue, $0) }) ?? .left,
            valign: try fields.optional("valign")?.choice(VerticalAlignment.allCases.map { ($0.rawValue, $0) }) ?? .middle,
            overflow: try fields.optional("overflow")?.choice(Overflow.allCases.map { ($0.rawValue, $0) }) ?? (fonts.count > 1 ? .shrink : .truncate)
        )
    }

    /// A context path that holds a number.
    func numberPath(_ value: YAMLValue) throws -> String {
        let path = try value.string().trimmingSpaces
        guard let field = context.lookup(path) else {
            throw TemplateFields.unknown(path, at: value.location, scopes: [context], privacy: privacy)
        }
        guard field.number != nil else { throw value.error("'\(path)' is not a number, so no threshold can judge it") }
        return path
    }

    func staleBanner(_ value: YAMLValue) throws -> StaleBanner {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["rect", "font", "colour", "text"])
        let rectValue = try fields.required("rect")
        let bannerRect = try rect(rectValue)
        if let refusal = bezels.refusal(of: "the stale-data banner", at: bannerRect) { throw rectValue.error(refusal) }
        return StaleBanner(
            rect: bannerRect,
            fonts: try fonts(fields.required("font")),
            colour: try fields.optional("colour").map(colour) ?? .red,
            text: try fields.optional("text")?.string() ?? StaleBanner.defaultText,
            location: value.location
        )
    }

    /// The bottom of the board (of its bottom-left screen on a splicing wall), in the smallest
    /// font that holds the banner.
    func defaultStaleBanner() -> StaleBanner {
        let screen = bezels.tile(column: 0, row: bezels.tileRows - 1, width: bounds.width, height: bounds.height) ?? bounds
        let height = min(screen.height, screen.height >= 64 ? 32 : 16)
        return StaleBanner(
            rect: Rect(x: screen.x, y: screen.maxY - height, width: screen.width, height: height),
            fonts: fontNames, colour: .red, text: StaleBanner.defaultText
        )
    }
}

extension StaleBanner {
    public static let defaultText = "数据中断 {time}"
}
