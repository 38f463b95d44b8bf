import Foundation
import WallboardRender
import WallboardText

/// Rows of a context list under column titles; timer columns count up from each row's time stamp.
struct TableWidget: DrawnWidget {
    enum Cell: Sendable {
        case text(TextLayout, Color)
        case elapsed(since: Date, Thresholds)
    }

    let id: Int
    let rect: Rect
    let table: Table
    let chain: FontChain
    let header: [TextLayout]?
    let rows: [(cells: [Cell], colour: Color?)]
    let emptyText: TextLayout?

    init(id: Int, rect: Rect, table: Table, chain: FontChain, items: [ContextValue]) {
        self.id = id
        self.rect = rect
        self.table = table
        self.chain = chain
        let rowHeight = table.rowHeight
        header = table.header == nil ? nil : table.columns.map { column in
            TextLayout(column.title, chain: chain, width: column.width, height: rowHeight, wrap: false)
        }
        let capacity = max(0, (rect.height - (header == nil ? 0 : rowHeight)) / rowHeight)
        rows = items.prefix(capacity).map { item in
            let prepared = item.mustacheValue
            let highlighted = table.highlight.map { item.lookup($0.path)?.isTruthy ?? false } ?? false
            let cells = table.columns.map { column -> Cell in
                if let path = column.elapsedFrom, let since = item.lookup(path)?.date {
                    return .elapsed(since: since, column.colour)
                }
                let text = column.value.render(prepared: prepared)
                return .text(TextLayout(text, chain: chain, width: column.width, height: rowHeight, wrap: false), column.colour.base)
            }
            return (cells, highlighted ? table.highlightColour : nil)
        }
        emptyText = items.isEmpty && !table.empty.isEmpty
            ? TextLayout(table.empty, chain: chain, width: rect.width, height: rowHeight, wrap: false) : nil
    }

    var bounds: Rect { rect }
    var isAnimated: Bool { table.columns.contains { $0.elapsedFrom != nil } }

    var fingerprint: Int {
        var hasher = Hasher()
        hasher.combine(rect)
        for row in rows {
            hasher.combine(row.colour)
            for cell in row.cells {
                switch cell {
                case .text(let layout, let colour):
                    hasher.combine(layout.lines)
                    hasher.combine(colour)
                case .elapsed(let since, _):
                    hasher.combine(since)
                }
            }
        }
        return hasher.finalize()
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var y = rect.y
        let rowHeight = table.rowHeight
        var rowTexts: [(Rect, String, Color)] = []
        if let header, let colour = table.header {
            var x = rect.x
            var titles: [String] = []
            for (column, layout) in zip(table.columns, header) {
                let cell = Rect(x: x, y: y, width: column.width, height: rowHeight)
                output.record(column.title, missing: layout.draw(on: &canvas, in: cell, horizontal: column.align, vertical: .middle, colour: colour))
                titles.append(column.title)
                x += column.width
            }
            rowTexts.append((Rect(x: rect.x, y: y, width: rect.width, height: rowHeight), titles.joined(separator: " "), colour))
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
                let box = Rect(x: x, y: y, width: column.width, height: rowHeight)
                let layout: TextLayout
                let colour: Color
                switch cell {
                case .text(let laidOut, let base):
                    layout = laidOut
                    colour = row.colour ?? base
                case .elapsed(let since, let thresholds):
                    let seconds = now.timeIntervalSince(since)
                    layout = TextLayout(TimeFormatter.elapsed(seconds), chain: chain, width: column.width, height: rowHeight, wrap: false)
                    colour = thresholds.colour(for: seconds)
                }
                let text = layout.lines.map(\.text).joined()
                output.record(text, missing: layout.draw(on: &canvas, in: box, horizontal: column.align, vertical: .middle, colour: colour))
                texts.append(text)
                x += column.width
            }
            rowTexts.append((Rect(x: rect.x, y: y, width: rect.width, height: rowHeight), texts.joined(separator: " "), row.colour ?? table.colour))
            y += rowHeight
        }
        for (index, row) in rowTexts.enumerated() {
            output.textAreas.append(TextArea(id: id * 100 + index, rect: row.0, runs: [.init(row.1, colour: row.2)], fontHeight: chain.lineHeight))
        }
    }
}
