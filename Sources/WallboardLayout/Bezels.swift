import WallboardRender

/// Where the screens of a splicing wall meet: the x of each vertical bezel line and the y of
/// each horizontal one, in the wall's pixels. A board with none is one screen.
public struct Bezels: Sendable, Hashable {
    /// Vertical lines, left to right: a screen column ends at each.
    public var columns: [Int]
    /// Horizontal lines, top to bottom: a screen row ends at each.
    public var rows: [Int]

    public static let none = Bezels(columns: [], rows: [])

    public init(columns: [Int], rows: [Int]) {
        self.columns = columns
        self.rows = rows
    }

    public var tileColumns: Int { columns.count + 1 }
    public var tileRows: Int { rows.count + 1 }

    /// The screen at `column`, `row` (from 0, left to right and top to bottom) of a board of
    /// `width`×`height`; nil when the wall has no such screen.
    public func tile(column: Int, row: Int, width: Int, height: Int) -> Rect? {
        guard (0..<tileColumns).contains(column), (0..<tileRows).contains(row) else { return nil }
        let left = [0] + columns, right = columns + [width]
        let top = [0] + rows, bottom = rows + [height]
        return Rect(x: left[column], y: top[row], width: right[column] - left[column], height: bottom[row] - top[row])
    }

    /// The first bezel line that runs through `rect` (touching its edge is not crossing).
    func crossing(_ rect: Rect) -> (vertical: Bool, at: Int, index: Int)? {
        if let index = columns.firstIndex(where: { rect.x < $0 && $0 < rect.maxX }) { return (true, columns[index], index) }
        if let index = rows.firstIndex(where: { rect.y < $0 && $0 < rect.maxY }) { return (false, rows[index], index) }
        return nil
    }

    /// Why a widget that draws text may not lie at `rect`; nil when it lies within one screen.
    func refusal(of what: String, at rect: Rect) -> String? {
        guard let line = crossing(rect) else { return nil }
        let between = line.vertical
            ? "screen columns \(line.index) and \(line.index + 1) at x \(line.at)"
            : "screen rows \(line.index) and \(line.index + 1) at y \(line.at)"
        return "\(what) draws text, and its zone \(rect.width)x\(rect.height) at (\(rect.x), \(rect.y)) crosses the bezel between \(between); "
            + "text split by a bezel cannot be read: keep it within one screen (charts, the map and boxes may span screens)"
    }
}
