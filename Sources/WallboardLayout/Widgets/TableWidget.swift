import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// `table:` rows from a context list, one template (or timer) per column.
struct TableKind: WidgetKind, Equatable {
    struct Column: Sendable, Equatable {
        var title: String
        /// What a cell shows: a template over the row, or the time since the row's time stamp.
        enum Content: Sendable, Equatable {
            case template(TextTemplate)
            case elapsed(since: String)
        }

        var content: Content
        var width: Int
        var align: HorizontalAlignment
        var colour: Thresholds
    }

    static let name = "table"
    static let keys: [String] = []

    var rows: String
    var columns: [Column]
    var fonts: [String]
    var rowHeight: Int
    var header: Color?
    /// Rows where this field is truthy take `highlightColour`.
    var highlight: Condition?
    var highlightColour: Color
    var colour: Color
    /// Text when the list is empty.
    var empty: String
    /// Pixels kept clear at the left of every column but the first, so that a cell's text never
    /// runs into the one before it ("一般西城区").
    var gap: Int

    func inputs(mustacheFields: Set<String>) -> Set<String> { [rows] }
    var fontNames: Set<String> { Set(fonts) }

    /// The clear pixels at the left of column `index`: `gap`, except for the first column.
    func inset(of index: Int) -> Int { index == 0 ? 0 : min(gap, columns[index].width - 1) }

    /// The width column `index`'s text may take.
    func textWidth(of index: Int) -> Int { columns[index].width - inset(of: index) }

    /// A row per line the rectangle holds, each with one area for its text and one per timer column.
    func mostTextAreas(in rect: Rect) -> Int {
        let elapsedColumns = columns.filter { if case .elapsed = $0.content { true } else { false } }.count
        return rect.height / max(1, rowHeight) * (1 + elapsedColumns)
    }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let chain = binding.fonts(fonts).first, case .list(let items)? = binding.context.lookup(rows) else { return nil }
        return TableWidget(id: binding.id, rect: binding.rect, table: self, chain: chain, items: items, memo: binding.renderer.memo)
    }

    static func parse(_ value: YAMLValue, fields widgetFields: YAMLMapping, rect: Rect, scope: Scope) throws -> TableKind {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["rows", "columns", "font", "rowHeight", "header", "highlight", "highlightColour", "colour", "empty", "gap"])
        let rowsValue = try fields.required("rows")
        let rows = try rowsValue.string().trimmingSpaces
        let context = scope.context
        guard case .list(let items)? = context.lookup(rows) else {
            let lists = TemplateFields.fieldPaths(of: context).filter { if case .list = context.lookup($0) { true } else { false } }
            throw rowsValue.error("'\(rows)' is not a list; lists: \(lists.sorted().joined(separator: ", "))\(suggestion(for: rows, among: lists))")
        }
        let row = items.first ?? .object([:])
        let fonts = try scope.fonts(fields.required("font"))
        let tableColour = try fields.optional("colour").map(scope.colour) ?? .on
        let columnsValue = try fields.required("columns")
        var used = 0
        let columns = try columnsValue.sequence().map { item -> Column in
            let column = try item.mapping()
            try column.rejectUnknownKeys(["title", "value", "elapsed", "width", "align", "colour", "thresholds"])
            let width = try column.required("width").int(in: 1...rect.width)
            used += width
            let content: Column.Content
            if let valueField = column.optional("value") {
                // A column's template sees its row's fields only.
                content = .template(try scope.template(valueField, against: row))
            } else if let elapsed = column.optional("elapsed") {
                content = .elapsed(since: try scope.timePath(elapsed, in: row))
            } else {
                throw item.error("a column needs 'value' (a template) or 'elapsed' (a time stamp of the row)")
            }
            return Column(
                title: try column.optional("title")?.string() ?? "",
                content: content,
                width: width,
                align: try column.optional("align")?.choice(HorizontalAlignment.allCases.map { ($0.rawValue, $0) }) ?? .left,
                colour: try scope.thresholds(column.optional("thresholds"), base: try column.optional("colour").map(scope.colour) ?? tableColour)
            )
        }
        guard used <= rect.width else { throw columnsValue.error("the columns are \(used) px wide in all; the table is \(rect.width) px") }
        var highlight: Condition?
        if let value = fields.optional("highlight") {
            let path = try value.string().trimmingSpaces
            guard row.lookup(path) != nil else { throw TemplateFields.unknown(path, at: value.location, scopes: [row], privacy: scope.privacy) }
            highlight = Condition(path: path, negated: false)
        }
        return TableKind(
            rows: rows, columns: columns, fonts: fonts,
            rowHeight: try fields.optional("rowHeight")?.int(in: 4...512) ?? 16,
            header: try fields.optional("header").map(scope.colour),
            highlight: highlight,
            highlightColour: try fields.optional("highlightColour").map(scope.colour) ?? .red,
            colour: tableColour,
            empty: try fields.optional("empty")?.string() ?? "",
            gap: try fields.optional("gap")?.int(in: 0...64) ?? 0
        )
    }
}

/// Rows of a context list under column titles. The text cells are drawn once per snapshot;
/// timer columns are widgets of their own (`ElapsedColumn`) so that only they redraw each second.
struct TableWidget: DrawnWidget {
    struct Row: Sendable, Equatable {
        /// One per column; nil for timer columns, which `ElapsedColumn` draws.
        var cells: [TextLayout?]
        var highlight: Color?

        static func == (lhs: Row, rhs: Row) -> Bool {
            lhs.highlight == rhs.highlight && lhs.cells.count == rhs.cells.count
                && zip(lhs.cells, rhs.cells).allSatisfy { $0?.lines == $1?.lines }
        }
    }

    let id: Int
    let rect: Rect
    let table: TableKind
    let chain: FontChain
    let header: [TextLayout]?
    let rows: [Row]
    let emptyText: TextLayout?
    let elapsedColumns: [ElapsedColumn]

    init(id: Int, rect: Rect, table: TableKind, chain: FontChain, items: [ContextValue], memo: LayoutMemo) {
        self.id = id
        self.rect = rect
        self.table = table
        self.chain = chain
        let rowHeight = table.rowHeight
        header = table.header == nil ? nil : table.columns.indices.map { index in
            TextLayout(table.columns[index].title, chain: chain, width: table.textWidth(of: index), height: rowHeight, wrap: false)
        }
        let firstRowY = rect.y + (header == nil ? 0 : rowHeight)
        let capacity = max(0, (rect.maxY - firstRowY) / rowHeight)
        let shown = Array(items.prefix(capacity))
        let highlights = shown.map { item in
            (table.highlight.map { item.lookup($0.path)?.isTruthy ?? false } ?? false) ? table.highlightColour : nil
        }
        rows = zip(shown, highlights).map { item, highlight in
            var prepared: Any?
            let cells = table.columns.indices.map { index -> TextLayout? in
                guard case .template(let template) = table.columns[index].content else { return nil }
                let text = template.render(item) {
                    if let prepared { return prepared }
                    let converted = item.mustacheValue
                    prepared = converted
                    return converted
                }
                return memo.layout(text, chain: chain, width: table.textWidth(of: index), height: rowHeight, wrap: false)
            }
            return Row(cells: cells, highlight: highlight)
        }
        emptyText = items.isEmpty && !table.empty.isEmpty
            ? TextLayout(table.empty, chain: chain, width: rect.width, height: rowHeight, wrap: false) : nil
        var x = rect.x
        var columns: [ElapsedColumn] = []
        for (index, column) in table.columns.enumerated() {
            if case .elapsed(let path) = column.content {
                columns.append(ElapsedColumn(
                    id: id * 100 + 50 + index, x: x + table.inset(of: index), firstRowY: firstRowY, width: table.textWidth(of: index), rowHeight: rowHeight,
                    align: column.align, thresholds: column.colour, chain: chain,
                    rows: shown.map { $0.lookup(path)?.date }
                ))
            }
            x += column.width
        }
        elapsedColumns = columns
    }

    var bounds: Rect { rect }
    var companions: [any DrawnWidget] { elapsedColumns }

    static func == (lhs: TableWidget, rhs: TableWidget) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.chain.name == rhs.chain.name && lhs.table == rhs.table && lhs.rows == rhs.rows
            && lhs.emptyText?.lines == rhs.emptyText?.lines
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var y = rect.y
        let rowHeight = table.rowHeight
        var rowTexts: [(Rect, String, Color)] = []
        if let header, let colour = table.header {
            var x = rect.x
            for (index, (column, layout)) in zip(table.columns, header).enumerated() {
                let cell = Rect(x: x + table.inset(of: index), y: y, width: table.textWidth(of: index), height: rowHeight)
                output.record(column.title, missing: layout.draw(on: &canvas, in: cell, horizontal: column.align, vertical: .middle, colour: colour))
                x += column.width
            }
            rowTexts.append((Rect(x: rect.x, y: y, width: rect.width, height: rowHeight), table.columns.map(\.title).joined(separator: " "), colour))
            y += rowHeight
        }
        if let emptyText {
            let line = Rect(x: rect.x, y: y, width: rect.width, height: rowHeight)
            output.record(table.empty, missing: emptyText.draw(on: &canvas, in: line, vertical: .middle, colour: table.colour))
            rowTexts.append((line, table.empty, table.colour))
        }
        for row in rows {
            var x = rect.x
            var texts: [String] = []
            for (index, (column, cell)) in zip(table.columns, row.cells).enumerated() {
                defer { x += column.width }
                guard let cell else { continue }
                let box = Rect(x: x + table.inset(of: index), y: y, width: table.textWidth(of: index), height: rowHeight)
                let text = cell.lines.map(\.text).joined()
                output.record(text, missing: cell.draw(on: &canvas, in: box, horizontal: column.align, vertical: .middle, colour: row.highlight ?? column.colour.base))
                texts.append(text)
            }
            rowTexts.append((Rect(x: rect.x, y: y, width: rect.width, height: rowHeight), texts.joined(separator: " "), row.highlight ?? table.colour))
            y += rowHeight
        }
        for (index, row) in rowTexts.enumerated() {
            output.textAreas.append(TextArea(id: id * 100 + index, rect: row.0, runs: [.init(row.1, colour: row.2)], fontHeight: chain.lineHeight))
        }
    }
}

/// A table's timer column: each row's time since its time stamp, coloured by thresholds.
struct ElapsedColumn: DrawnWidget {
    let id: Int
    let x: Int
    let firstRowY: Int
    let width: Int
    let rowHeight: Int
    let align: HorizontalAlignment
    let thresholds: Thresholds
    let chain: FontChain
    let rows: [Date?]

    var bounds: Rect { Rect(x: x, y: firstRowY, width: width, height: rows.count * rowHeight) }
    var isAnimated: Bool { true }

    static func == (lhs: ElapsedColumn, rhs: ElapsedColumn) -> Bool {
        lhs.id == rhs.id && lhs.bounds == rhs.bounds && lhs.rowHeight == rhs.rowHeight && lhs.align == rhs.align
            && lhs.thresholds == rhs.thresholds && lhs.chain.name == rhs.chain.name && lhs.rows == rhs.rows
    }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool {
        rows.allSatisfy { since in
            since.map { TimeFormatter.elapsedShowsTheSame(since: $0, thresholds: thresholds, at: now, asAt: earlier) } ?? true
        }
    }

    func nextChange(after now: Date) -> Date? {
        rows.compactMap { since in since.map { TimeFormatter.nextElapsedChange(since: $0, thresholds: thresholds, after: now) } }.min()
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        for (index, since) in rows.enumerated() {
            guard let since else { continue }
            let seconds = now.timeIntervalSince(since)
            let text = TimeFormatter.elapsed(seconds)
            let colour = thresholds.colour(for: seconds)
            let width = chain.measure(text)
            let left: Int
            switch align {
            case .left: left = x
            case .centre: left = x + (self.width - width) / 2
            case .right: left = x + self.width - width
            }
            let box = Rect(x: x, y: firstRowY + index * rowHeight, width: self.width, height: rowHeight)
            var drawn = DrawnText(advance: 0, missing: [])
            canvas.clipped(to: box) { canvas in
                drawn = chain.draw(text, on: &canvas, x: left, baseline: box.y + (rowHeight - chain.lineHeight) / 2 + chain.ascent, colour: colour)
            }
            output.record(text, missing: drawn.missing)
            output.textAreas.append(TextArea(id: id * 100 + index, rect: box, runs: [.init(text, colour: colour)], fontHeight: chain.lineHeight))
        }
    }
}
