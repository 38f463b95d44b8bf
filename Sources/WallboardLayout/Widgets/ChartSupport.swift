import Foundation
import WallboardDispatch
import WallboardRender
import WallboardText
import WallboardYAML

/// A piece of text laid out for its box: what the charts and panels draw their labels with.
struct PlacedText: Sendable, Equatable {
    let layout: TextLayout
    let rect: Rect
    let align: HorizontalAlignment
    let valign: VerticalAlignment
    let colour: Color

    init(_ text: String, chain: FontChain, memo: LayoutMemo, in rect: Rect, align: HorizontalAlignment = .left, valign: VerticalAlignment = .middle, colour: Color) {
        layout = memo.layout(text, chain: chain, width: rect.width, height: max(rect.height, chain.lineHeight), wrap: false)
        self.rect = rect
        self.align = align
        self.valign = valign
        self.colour = colour
    }

    var text: String { layout.lines.map(\.text).joined() }

    static func == (lhs: PlacedText, rhs: PlacedText) -> Bool {
        lhs.rect == rhs.rect && lhs.align == rhs.align && lhs.valign == rhs.valign && lhs.colour == rhs.colour
            && lhs.layout.lines == rhs.layout.lines && lhs.layout.chain.name == rhs.layout.chain.name
    }

    /// Draws the text, records it and any character no font has, and adds it to `runs`.
    func draw(on canvas: inout Canvas, into output: inout RenderOutput, runs: inout [TextArea.Run]) {
        _ = layout.draw(on: &canvas, in: rect, horizontal: align, vertical: valign, colour: colour)
        record(into: &output, runs: &runs)
    }

    /// Records the text and any character no font has, and adds it to `runs`, drawing nothing.
    func record(into output: inout RenderOutput, runs: inout [TextArea.Run]) {
        let text = self.text
        output.record(text, missing: layout.missing)
        runs.append(.init(text + " ", colour: colour))
    }
}

/// The colour of each vehicle status code (0–9), with one for codes not listed or unknown.
struct StatusColours: Sendable, Hashable {
    var colours: [Int: Color]
    var other: Color

    func colour(code: Int?) -> Color { code.flatMap { colours[$0] } ?? other }

    func colour(of vehicle: ContextValue) -> Color {
        colour(code: vehicle.lookup("statusCode")?.number.flatMap { (0...9).contains($0) ? Int($0) : nil })
    }

    /// What a command room expects: assigned amber, on the way to and at work red, available
    /// on the road cyan, at the station green, out of service grey.
    static let standard = StatusColours(
        colours: [
            0: .amber, 1: .amber, 2: .red, 3: .red, 4: .red, 5: .red, 6: .rgb(RGB(0, 192, 255)), 7: .green,
            8: .rgb(RGB(128, 128, 128)), 9: .rgb(RGB(128, 128, 128)),
        ],
        other: .rgb(RGB(255, 0, 255))
    )

    /// `colours:` (code → colour) and `other:` from `fields`; codes not listed keep `defaults`.
    static func parse(_ fields: YAMLMapping, scope: Scope, defaults: StatusColours = .standard) throws -> StatusColours {
        var result = defaults
        if let mapping = try fields.optional("colours")?.mapping() {
            for entry in mapping.entriesInOrder {
                guard let code = Int(entry.key), (0...9).contains(code) else {
                    throw YAMLFileError(entry.keyLocation, "status codes are 0 to 9, not '\(entry.key)'")
                }
                result.colours[code] = try scope.colour(entry.value)
            }
        }
        if let other = fields.optional("other") { result.other = try scope.colour(other) }
        return result
    }
}

extension Scope {
    /// A context path to a list, and its first item (or an empty object) to check row fields against.
    func list(_ value: YAMLValue) throws -> (path: String, row: ContextValue) {
        let path = try value.string().trimmingSpaces
        guard case .list(let items)? = context.lookup(path) else {
            let lists = TemplateFields.fieldPaths(of: context).filter { if case .list = context.lookup($0) { true } else { false } }
            throw value.error("'\(path)' is not a list; lists: \(lists.sorted().joined(separator: ", "))\(suggestion(for: path, among: lists))")
        }
        return (path, items.first ?? .object([:]))
    }

    /// A field of `row` (a list's item); with `number`, one that holds a number.
    func rowField(_ value: YAMLValue, in row: ContextValue, number: Bool = false) throws -> String {
        let path = try value.string().trimmingSpaces
        guard let field = row.lookup(path) else { throw TemplateFields.unknown(path, at: value.location, scopes: [row], privacy: privacy) }
        if number && field.number == nil { throw value.error("'\(path)' is not a number") }
        return path
    }

    /// A list of colours (`[red, amber, "#00C0FF"]`).
    func colours(_ value: YAMLValue) throws -> [Color] {
        let colours = try value.listOrSingle().map(colour)
        guard !colours.isEmpty else { throw value.error("name at least one colour") }
        return colours
    }
}

extension ContextValue {
    /// The list at `path`, empty when there is none.
    func items(_ path: String) -> [ContextValue] {
        if case .list(let items)? = lookup(path) { return items }
        return []
    }

    /// The number at `path`, nil when it is missing or not a finite number.
    func finiteNumber(_ path: String) -> Double? {
        lookup(path)?.number.flatMap { $0.isFinite ? $0 : nil }
    }
}
