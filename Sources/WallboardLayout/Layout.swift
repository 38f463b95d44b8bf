import Foundation
import Mustache
import WallboardRender
import WallboardText
import WallboardYAML

/// What a board is for; decides which states its layout must have.
public enum BoardKind: String, Sendable, Hashable, CaseIterable {
    /// A station door board: states `idle` and `alert`.
    case door
    /// The command-room wall: state `main`.
    case wall
    /// A strip (call queue and the like): state `main`.
    case strip

    public var requiredStates: [String] {
        switch self {
        case .door: ["idle", "alert"]
        case .wall, .strip: ["main"]
        }
    }
}

/// A board described by a layout file, validated when loaded.
public struct Layout: Sendable {
    public var name: String
    public var kind: BoardKind
    public var width: Int
    public var height: Int
    public var format: PixelFormat
    public var privacy: PrivacyClass
    /// Door boards: how long an alert stays after the vehicle departs.
    public var hold: TimeInterval
    /// Door boards: seconds each of several concurrent alerts is shown.
    public var rotation: TimeInterval
    /// Where the screens of a splicing wall meet; `.none` for one screen.
    public var bezels: Bezels
    /// Widgets per state, drawn in order.
    public var states: [String: [Widget]]
    /// Where the "data interrupted since" banner goes when the snapshot is stale.
    public var staleBanner: StaleBanner
    /// The least text height its viewing distance allows (`board.minimumTextHeight`), if declared.
    public var minimumTextHeight: TextHeightFloor?
}

/// How high text must be on a board read from a distance (about 1/250 of it), with where the
/// layout declares it.
public struct TextHeightFloor: Sendable, Hashable {
    public var pixels: Int
    public var location: SourceLocation
}

/// Where and how the stale-data banner shows.
public struct StaleBanner: Sendable {
    public var rect: Rect
    public var fonts: [String]
    public var colour: Color
    /// `{time}` is replaced by the local time of the last good snapshot.
    public var text: String
    /// Where the layout declares it; nil for the default banner.
    public var location: SourceLocation?
}

/// A condition on the context: a field that must be truthy (or, with `!`, falsy).
public struct Condition: Sendable, Hashable {
    public var path: String
    public var negated: Bool

    public func holds(in context: ContextValue) -> Bool {
        (context.lookup(path)?.isTruthy ?? false) != negated
    }
}

/// A template string bound to the context with mustache (`{{alert.vehicle.plate}}`).
///
/// Templates that only put fields between text (most of them) are filled in directly from the
/// context; those with sections go through swift-mustache.
public struct TextTemplate: Sendable, Equatable {
    public let source: String
    public let location: SourceLocation
    let compiled: MustacheTemplate
    /// The source as text and field references, when it has no sections; nil otherwise.
    let plainParts: [PlainPart]?

    enum PlainPart: Sendable {
        case text(String)
        case field(String)
    }

    /// Two templates are the same when written the same at the same place.
    public static func == (lhs: TextTemplate, rhs: TextTemplate) -> Bool {
        lhs.source == rhs.source && lhs.location == rhs.location
    }

    init(source: String, location: SourceLocation, compiled: MustacheTemplate) {
        self.source = source
        self.location = location
        self.compiled = compiled
        plainParts = TextTemplate.plainParts(of: source)
    }

    /// True when the template needs mustache's form of the context (`ContextValue.mustacheValue`).
    var needsMustache: Bool { plainParts == nil }

    /// The text for `context`; `prepared` is the same context in mustache's form, made once
    /// for all of a board's templates, and used only by templates with sections.
    func render(_ context: ContextValue, prepared: () -> Any) -> String {
        guard let plainParts else { return compiled.render(prepared()) }
        var text = ""
        for part in plainParts {
            switch part {
            case .text(let literal): text += literal
            case .field(let path): text += context.lookup(path)?.display ?? ""
            }
        }
        return text
    }

    /// Splits a template made only of text and `{{field}}` tags; nil when it has anything else.
    static func plainParts(of source: String) -> [PlainPart]? {
        var parts: [PlainPart] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else { return nil }
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmingSpaces
            guard let first = name.first, first.isLetter || first == "_", !name.contains("|") else { return nil }
            parts.append(.field(name))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        return parts
    }

    /// The context paths a text widget with this template and `style` reads.
    func inputs(mustacheFields: Set<String>, style: TextStyle) -> Set<String> {
        var paths = fieldPaths
        if needsMustache { paths.formUnion(mustacheFields) }
        if let colourBy = style.colourBy { paths.insert(colourBy) }
        return paths
    }

    /// The context paths the template names (`alert.vehicle.plate` for `{{alert.vehicle.plate}}`);
    /// names inside a section are as written, relative to it.
    var fieldPaths: Set<String> {
        Set(TemplateFields.tags(in: source).compactMap { tag in
            tag.kind == .close ? nil : tag.name.split(separator: "|").first.map { String($0).trimmingSpaces }
        })
    }

    /// The top-level context fields the template names (`alert` for `{{alert.vehicle.plate}}`).
    var rootFields: Set<String> {
        Set(TemplateFields.tags(in: source).compactMap { tag in
            tag.kind == .close ? nil : tag.name.split(separator: ".").first.map(String.init)
        })
    }
}

/// A colour that depends on a number: the first rule that matches wins, else `base`.
public struct Thresholds: Sendable, Hashable {
    public struct Rule: Sendable, Hashable {
        public enum Comparison: String, Sendable, Hashable { case atLeast = "at", below }
        public var comparison: Comparison
        public var limit: Double
        public var colour: Color
    }

    public var base: Color
    public var rules: [Rule]

    public func colour(for value: Double?) -> Color {
        guard let value, !value.isNaN else { return base }
        // Rules are checked last to first so that a list written in rising order
        // (amber at 120, red at 180) gives the highest limit reached.
        for rule in rules.reversed() {
            switch rule.comparison {
            case .atLeast where value >= rule.limit: return rule.colour
            case .below where value < rule.limit: return rule.colour
            default: continue
            }
        }
        return base
    }
}

/// How a text widget handles text wider than its rectangle.
public enum Overflow: String, Sendable, Hashable, CaseIterable {
    /// Cut with an ellipsis.
    case truncate
    /// Broken into lines by Chinese line-breaking rules, then truncated.
    case wrap
    /// The largest of the widget's fonts that fits.
    case shrink
    /// Scrolled right to left, like a marquee, when it does not fit.
    case scroll
}

/// Text drawing options shared by widgets.
public struct TextStyle: Sendable, Hashable {
    /// Font names, largest first: the first that fits is used (one name: always that font).
    public var fonts: [String]
    public var colour: Thresholds
    /// The number the thresholds judge (a context path); nil: the widget's own value (timers).
    public var colourBy: String?
    public var align: HorizontalAlignment
    public var valign: VerticalAlignment
    public var overflow: Overflow
}

/// One thing drawn on a board.
public struct Widget: Sendable {
    /// What the widget is: one of the registered kinds (`registeredWidgetKinds`).
    let kind: any WidgetKind
    public var rect: Rect
    public var when: Condition?
    /// Shown only in the first half of every second while this holds: critical items.
    public var blink: Condition?
    public var location: SourceLocation
}
