/// A bitmap to draw on, with a clip rectangle. Everything else (text, widgets) is functions over it.
public struct Canvas: Sendable {
    public var bitmap: Bitmap { storage }
    @usableFromInline var storage: Bitmap
    /// Drawing outside this rectangle (always within the bitmap) does nothing.
    public var clip: Rect {
        didSet { clip = clip.intersection(bitmap.bounds) }
    }

    public init(width: Int, height: Int, format: PixelFormat) {
        self.init(bitmap: Bitmap(width: width, height: height, format: format))
    }

    public init(bitmap: Bitmap) {
        self.storage = bitmap
        self.clip = bitmap.bounds
    }

    public var width: Int { bitmap.width }
    public var height: Int { bitmap.height }
    public var format: PixelFormat { bitmap.format }

    /// The stored value `colour` becomes on this canvas; compute it once to plot many pixels.
    @inlinable
    public func value(for colour: Color) -> UInt32 { bitmap.format.value(for: colour) }

    /// Sets one pixel to a stored value, honouring the clip.
    @inlinable
    public mutating func plot(_ x: Int, _ y: Int, _ value: UInt32) {
        guard clip.contains(x: x, y: y) else { return }
        let index = y * storage.width + x
        storage.withUnsafeMutablePixels { $0[index] = value }
    }

    public mutating func setPixel(x: Int, y: Int, _ colour: Color) {
        plot(x, y, value(for: colour))
    }

    /// Sets a horizontal run of `count` pixels starting at `x`, honouring the clip.
    @inlinable
    public mutating func plotRun(x: Int, y: Int, count: Int, _ value: UInt32) {
        guard y >= clip.y, y < clip.maxY else { return }
        let start = max(x, clip.x)
        let end = min(x + count, clip.maxX)
        guard start < end else { return }
        let row = y * storage.width
        storage.withUnsafeMutablePixels { buffer in
            UnsafeMutableBufferPointer(rebasing: buffer[(row + start)..<(row + end)]).update(repeating: value)
        }
    }

    /// Runs `body` over the stored values (row-major, `width` to a row) to change them in place,
    /// when `rect` lies wholly inside the clip; false, doing nothing, when it does not. For
    /// drawing many short runs inside one rectangle (a glyph) without checking each.
    @inlinable
    public mutating func drawingInside(_ rect: Rect, _ body: (UnsafeMutableBufferPointer<UInt32>) -> Void) -> Bool {
        guard clip.contains(rect) else { return false }
        storage.withUnsafeMutablePixels(body)
        return true
    }

    public mutating func fill(_ rect: Rect, _ colour: Color) {
        let area = rect.intersection(clip)
        guard !area.isEmpty else { return }
        let stored = value(for: colour)
        let width = storage.width
        // One pass over the storage for the whole rectangle: a tall, narrow fill (a chart's
        // column) would otherwise pay for reaching the storage on every row.
        storage.withUnsafeMutablePixels { buffer in
            for y in area.y..<area.maxY {
                let row = y * width
                UnsafeMutableBufferPointer(rebasing: buffer[(row + area.x)..<(row + area.maxX)]).update(repeating: stored)
            }
        }
    }

    /// Fills the clip rectangle with `colour` (off by default).
    public mutating func clear(_ colour: Color = .off) {
        fill(clip, colour)
    }

    /// A one-pixel outline just inside `rect`.
    public mutating func strokeRectangle(_ rect: Rect, _ colour: Color) {
        guard !rect.isEmpty else { return }
        let stored = value(for: colour)
        plotRun(x: rect.x, y: rect.y, count: rect.width, stored)
        plotRun(x: rect.x, y: rect.maxY - 1, count: rect.width, stored)
        for y in rect.y..<rect.maxY {
            plot(rect.x, y, stored)
            plot(rect.maxX - 1, y, stored)
        }
    }

    /// A straight line between two points, both included (Bresenham).
    public mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int), _ colour: Color) {
        let stored = value(for: colour)
        let dx = abs(end.x - start.x), dy = -abs(end.y - start.y)
        let stepX = start.x < end.x ? 1 : -1, stepY = start.y < end.y ? 1 : -1
        var error = dx + dy
        var x = start.x, y = start.y
        while true {
            plot(x, y, stored)
            if x == end.x && y == end.y { break }
            let doubled = 2 * error
            if doubled >= dy {
                error += dy
                x += stepX
            }
            if doubled <= dx {
                error += dx
                y += stepY
            }
        }
    }

    /// Copies `source` with its top-left corner at `x`, `y`, converting its pixel format when it
    /// differs. With `transparentOff`, off pixels of the source leave the canvas as it was.
    public mutating func blit(_ source: Bitmap, x: Int, y: Int, transparentOff: Bool = false) {
        let area = Rect(x: x, y: y, width: source.width, height: source.height).intersection(clip)
        guard !area.isEmpty else { return }
        let converted = source.converted(to: bitmap.format)
        let targetWidth = bitmap.width
        storage.withUnsafeMutablePixels { target in
            converted.withUnsafePixels { pixels in
                for row in area.y..<area.maxY {
                    let sourceRow = (row - y) * converted.width - x
                    let targetRow = row * targetWidth
                    if !transparentOff {
                        _ = UnsafeMutableBufferPointer(rebasing: target[(targetRow + area.x)..<(targetRow + area.maxX)])
                            .update(fromContentsOf: UnsafeBufferPointer(rebasing: pixels[(sourceRow + area.x)..<(sourceRow + area.maxX)]))
                        continue
                    }
                    for column in area.x..<area.maxX {
                        let pixel = pixels[sourceRow + column]
                        if pixel != 0 { target[targetRow + column] = pixel }
                    }
                }
            }
        }
    }

    /// Copies the pixels of `rect` from `source` (same size and format as the canvas) to the
    /// same place on the canvas, honouring the clip: restores a region from a cached layer.
    public mutating func copy(_ rect: Rect, from source: Bitmap) {
        guard source.width == storage.width, source.height == storage.height, source.format == storage.format else { return }
        let area = rect.intersection(clip)
        guard !area.isEmpty else { return }
        let width = storage.width
        storage.withUnsafeMutablePixels { target in
            source.withUnsafePixels { pixels in
                for row in area.y..<area.maxY {
                    let span = (row * width + area.x)..<(row * width + area.maxX)
                    _ = UnsafeMutableBufferPointer(rebasing: target[span]).update(fromContentsOf: UnsafeBufferPointer(rebasing: pixels[span]))
                }
            }
        }
    }

    /// Draws a 1-bit mask (row-major, `true` lit) in `colour` at `x`, `y`: the fast path for glyphs
    /// and icons.
    public mutating func drawMask(_ mask: [Bool], width: Int, x: Int, y: Int, _ colour: Color) {
        guard width > 0 else { return }
        let stored = value(for: colour)
        let height = mask.count / width
        for row in 0..<height {
            for column in 0..<width where mask[row * width + column] {
                plot(x + column, y + row, stored)
            }
        }
    }

    /// Runs `body` with the clip narrowed to `rect`, then restores it.
    public mutating func clipped(to rect: Rect, _ body: (inout Canvas) -> Void) {
        let saved = clip
        clip = clip.intersection(rect)
        body(&self)
        clip = saved
    }
}
