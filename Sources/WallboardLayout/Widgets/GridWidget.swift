import Foundation
import WallboardRender
import WallboardText
import WallboardYAML

/// `grid:` every vehicle as a cell coloured by status, grouped by station.
struct GridKind: WidgetKind, Hashable {
    static let name = "grid"
    static let keys: [String] = []

    var fonts: [String]
    var cellWidth: Int
    var cellHeight: Int
    var colours: StatusColours

    func inputs(mustacheFields: Set<String>) -> Set<String> { ["vehicles"] }
    var fontNames: Set<String> { Set(fonts) }
    func mostTextAreas(in rect: Rect) -> Int { 1 }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let chain = binding.fonts(fonts).first, case .list(let vehicles)? = binding.context.lookup("vehicles") else { return nil }
        return GridWidget(
            id: binding.id, rect: binding.rect, grid: self, chain: chain, vehicles: vehicles, memo: binding.renderer.memo,
            reusing: binding.previous.first as? GridWidget
        )
    }

    static func parse(_ value: YAMLValue, fields widgetFields: YAMLMapping, rect: Rect, scope: Scope) throws -> GridKind {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["font", "cell", "colours", "other"])
        let cell = try fields.required("cell").sequence()
        guard cell.count == 2 else { throw value.error("'cell' is [width, height]") }
        // A grid colours only the codes it lists; the rest take `other` (amber unless given).
        let colours = try StatusColours.parse(fields, scope: scope, defaults: StatusColours(colours: [:], other: .amber))
        return GridKind(
            fonts: try scope.fonts(fields.required("font")),
            cellWidth: try cell[0].int(in: 4...1024), cellHeight: try cell[1].int(in: 4...1024),
            colours: colours
        )
    }
}

/// Every vehicle as a cell with its call sign, coloured by status, station after station.
struct GridWidget: DrawnWidget {
    struct Cell: Sendable {
        var label: TextLayout
        var colour: Color
        /// The label's text, for the output.
        var text: String

        /// True when both draw the same pixels (the grid's font is the same for every cell).
        func looksLike(_ other: Cell) -> Bool { colour == other.colour && label.lines == other.label.lines }
    }

    let id: Int
    let rect: Rect
    let grid: GridKind
    let chain: FontChain
    /// What the cells were made from.
    let vehicles: [ContextValue]
    let cells: [Cell]

    /// `previous`, the same grid bound to the snapshot before, lends the cells of vehicles
    /// whose values did not change.
    init(id: Int, rect: Rect, grid: GridKind, chain: FontChain, vehicles: [ContextValue], memo: LayoutMemo, reusing previous: GridWidget? = nil) {
        self.id = id
        self.rect = rect
        self.grid = grid
        self.chain = chain
        self.vehicles = vehicles
        let earlier = previous.flatMap { $0.rect == rect && $0.grid == grid && $0.chain.name == chain.name ? $0 : nil }
        cells = vehicles.enumerated().map { index, vehicle in
            if let earlier, index < earlier.vehicles.count, earlier.vehicles[index] == vehicle { return earlier.cells[index] }
            let label = vehicle.lookup("callSign")?.display ?? ""
            let colour = grid.colours.colour(of: vehicle)
            let layout = memo.layout(label, chain: chain, width: grid.cellWidth - 2, height: grid.cellHeight - 2, wrap: false)
            return Cell(label: layout, colour: colour, text: layout.lines.map(\.text).joined())
        }
    }

    var bounds: Rect { rect }

    private var columns: Int { max(1, rect.width / grid.cellWidth) }
    private var capacity: Int { columns * max(1, rect.height / grid.cellHeight) }

    /// The rectangle cell `index` is filled in (the rest of its slot is the gap to the next).
    private func box(_ index: Int) -> Rect {
        Rect(
            x: rect.x + (index % columns) * grid.cellWidth,
            y: rect.y + (index / columns) * grid.cellHeight,
            width: grid.cellWidth - 1, height: grid.cellHeight - 1
        )
    }

    /// The boxes of the cells that changed, appeared or went: a vehicle changing status
    /// redraws one cell, not the grid.
    func changedRects(since previous: any DrawnWidget) -> [Rect] {
        guard let previous = previous as? GridWidget, previous.rect == rect,
              previous.grid.cellWidth == grid.cellWidth, previous.grid.cellHeight == grid.cellHeight
        else { return wholeBounds(since: previous) }
        let shown = min(capacity, max(cells.count, previous.cells.count))
        let changed = (0..<shown).compactMap { index -> Rect? in
            let current = index < cells.count ? cells[index] : nil
            let before = index < previous.cells.count ? previous.cells[index] : nil
            if let current, let before, current.looksLike(before) { return nil }
            return box(index)
        }
        // When a vehicle comes or goes, the cells after it all shift.
        return coalesced(changed, beyond: 4)
    }

    static func == (lhs: GridWidget, rhs: GridWidget) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.grid == rhs.grid && lhs.chain.name == rhs.chain.name
            && lhs.cells.count == rhs.cells.count && zip(lhs.cells, rhs.cells).allSatisfy { $0.looksLike($1) }
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        var texts: [TextArea.Run] = []
        for (index, cell) in cells.prefix(capacity).enumerated() {
            let box = box(index)
            // Cells outside the clip (redrawing only changed cells) are not drawn, but their
            // text still goes into the output.
            if box.intersects(canvas.clip) {
                canvas.fill(box, cell.colour)
                let inner = Rect(x: box.x + 1, y: box.y + 1, width: box.width - 1, height: box.height - 1)
                cell.label.draw(on: &canvas, in: inner, horizontal: .centre, vertical: .middle, colour: .off)
            }
            output.record(cell.text, missing: cell.label.missing)
            texts.append(.init(cell.text + " ", colour: cell.colour))
        }
        output.textAreas.append(TextArea(id: id, rect: rect, runs: texts, fontHeight: grid.cellHeight))
    }
}
