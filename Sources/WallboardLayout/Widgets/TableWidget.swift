import Foundation
import WallboardRender
import WallboardText

/// Rows of a context list under column titles. The text cells are drawn once per snapshot;
/// timer columns are widgets of their own (`ElapsedColumn`) so that only they redraw each second.
struct TableWidget: DrawnWidget {
    struct Row: Sendable {
        /// One per column; nil for timer columns, which `ElapsedColumn` draws.
        var cells: [TextLayout?]
        var highlight: Color?
    }

    let id: Int
    let rect: Rect
    let table: Table
    let chain: FontChain
    let header: [TextLayout]?
    let rows: [Row]
    let emptyText: TextLayout?
    let elapsedColumns: [ElapsedColumn]
    /// Made once: a table kept from one binding to the next is compared without hashing its text again.
    let fingerprint: Int

    init(id: Int, rect: Rect, table: Table, chain: FontChain, items: [ContextValue], memo: LayoutMemo) {
        self.id = id
        self.rect = rect
        self.table = table
        self.chain = chain
        let rowHeight = table.rowHeight
        header = table.header == nil ? nil : table.columns.map { column in
            TextLayout(column.title, chain: chain, width: column.width, height: rowHeight, wrap: false)
        }
        let firstRowY = rect.y + (header == nil ? 0 : rowHeight)
        let capacity = max(0, (rect.maxY - firstRowY) / rowHeight)
        let shown = Array(items.prefix(capacity))
        let highlights = shown.map { item in
            (table.highlight.map { item.lookup($0.path)?.isTruthy ?? false } ?? false) ? table.highlightColour : nil
        }
        rows = zip(shown, highlights).map { item, highlight in
            var prepared: Any?
            let cells = table.columns.map { column -> TextLayout? in
                guard case .template(let template) = column.content else { return nil }
                let text = template.render(item) {
                    if let prepared { return prepared }
                    let converted = item.mustacheValue
                    prepared = converted
                    return converted
                }
                return memo.layout(text, chain: chain, width: column.width, height: rowHeight, wrap: false)
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
                    id: id * 100 + 50 + index, x: x, firstRowY: firstRowY, width: column.width, rowHeight: rowHeight,
                    align: column.align, thresholds: column.colour, chain: chain,
                    rows: shown.map { $0.lookup(path)?.date }
                ))
            }
            x += column.width
        }
        elapsedColumns = columns
        var hasher = Hasher()
        hasher.combine(rect)
        for row in rows {
            hasher.combine(row.highlight)
            for cell in row.cells { hasher.combine(cell?.lines) }
        }
        hasher.combine(emptyText?.lines)
        fingerprint = hasher.finalize()
    }

    var bounds: Rect { rect }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var y = rect.y
        let rowHeight = table.rowHeight
        var rowTexts: [(Rect, String, Color)] = []
        if let header, let colour = table.header {
            var x = rect.x
            for (column, layout) in zip(table.columns, header) {
                let cell = Rect(x: x, y: y, width: column.width, height: rowHeight)
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
            for (column, cell) in zip(table.columns, row.cells) {
                defer { x += column.width }
                guard let cell else { continue }
                let box = Rect(x: x, y: y, width: column.width, height: rowHeight)
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
    var fingerprint: Int { rows.hashValue }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool {
        rows.allSatisfy { since in
            since.map { TimeFormatter.elapsedShowsTheSame(since: $0, thresholds: thresholds, at: now, asAt: earlier) } ?? true
        }
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
