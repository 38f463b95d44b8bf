import Foundation
import WallboardRender
import WallboardText

/// Every vehicle as a cell with its call sign, coloured by status, station after station.
struct StatusGridWidget: DrawnWidget {
    struct Cell: Sendable {
        var label: TextLayout
        var colour: Color
    }

    let id: Int
    let rect: Rect
    let grid: StatusGrid
    let cells: [Cell]

    init(id: Int, rect: Rect, grid: StatusGrid, chain: FontChain, vehicles: [ContextValue], memo: LayoutMemo) {
        self.id = id
        self.rect = rect
        self.grid = grid
        cells = vehicles.map { vehicle in
            let label = vehicle.lookup("callSign")?.display ?? ""
            let code = vehicle.lookup("statusCode")?.number.flatMap { $0.isNaN ? nil : Int($0) }
            let colour = code.flatMap { grid.colours[$0] } ?? grid.otherColour
            return Cell(label: memo.layout(label, chain: chain, width: grid.cellWidth - 2, height: grid.cellHeight - 2, wrap: false), colour: colour)
        }
    }

    var bounds: Rect { rect }

    var fingerprint: Int {
        var hasher = Hasher()
        hasher.combine(rect)
        for cell in cells {
            hasher.combine(cell.label.lines)
            hasher.combine(cell.colour)
        }
        return hasher.finalize()
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        let columns = max(1, rect.width / grid.cellWidth)
        let capacity = columns * max(1, rect.height / grid.cellHeight)
        var texts: [TextArea.Run] = []
        for (index, cell) in cells.prefix(capacity).enumerated() {
            let box = Rect(
                x: rect.x + (index % columns) * grid.cellWidth,
                y: rect.y + (index / columns) * grid.cellHeight,
                width: grid.cellWidth - 1, height: grid.cellHeight - 1
            )
            canvas.fill(box, cell.colour)
            let text = cell.label.lines.map(\.text).joined()
            let inner = Rect(x: box.x + 1, y: box.y + 1, width: box.width - 1, height: box.height - 1)
            output.record(text, missing: cell.label.draw(on: &canvas, in: inner, horizontal: .centre, vertical: .middle, colour: .off))
            texts.append(.init(text + " ", colour: cell.colour))
        }
        output.textAreas.append(TextArea(id: id, rect: rect, runs: texts, fontHeight: grid.cellHeight))
    }
}
