import Foundation
import WallboardRender

/// Groups of widgets shown in turn, the same page on every board at the same moment.
struct Pages: DrawnWidget {
    let pages: [[any DrawnWidget]]
    let seconds: Double

    var bounds: Rect {
        let rects = pages.flatMap { $0.map(\.bounds) }
        guard let first = rects.first else { return Rect(x: 0, y: 0, width: 0, height: 0) }
        return rects.dropFirst().reduce(first) { $0.union($1) }
    }

    var isAnimated: Bool { true }
    var fingerprint: Int { pages.flatMap { $0.map(\.fingerprint) }.hashValue }

    func page(at now: Date) -> Int {
        guard pages.count > 1, seconds > 0 else { return 0 }
        return Int((now.timeIntervalSince1970 / seconds).rounded(.down)) % pages.count
    }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool {
        let page = page(at: now)
        guard page == self.page(at: earlier) else { return false }
        return pages.isEmpty || pages[page].allSatisfy { $0.drawsTheSame(at: now, asAt: earlier) }
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        guard !pages.isEmpty else { return }
        for widget in pages[page(at: now)] {
            widget.draw(on: &canvas, at: now, into: &output)
        }
    }
}

/// A filled or outlined rectangle.
struct Box: DrawnWidget {
    let rect: Rect
    let colour: Color
    let filled: Bool

    var bounds: Rect { rect }

    var fingerprint: Int {
        var hasher = Hasher()
        hasher.combine(rect)
        hasher.combine(colour)
        hasher.combine(filled)
        return hasher.finalize()
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        if filled {
            canvas.fill(rect, colour)
        } else {
            canvas.strokeRectangle(rect, colour)
        }
    }
}
