/// A rectangle in pixel coordinates; `x`, `y` is the top-left corner.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The overlap of two rectangles, empty (zero size) when they do not overlap.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x)
        let top = max(y, other.y)
        let right = min(maxX, other.maxX)
        let bottom = min(maxY, other.maxY)
        return Rect(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The smallest rectangle holding both.
    public func union(_ other: Rect) -> Rect {
        if isEmpty { return other }
        if other.isEmpty { return self }
        let left = min(x, other.x), top = min(y, other.y)
        return Rect(x: left, y: top, width: max(maxX, other.maxX) - left, height: max(maxY, other.maxY) - top)
    }

    public func intersects(_ other: Rect) -> Bool { !intersection(other).isEmpty }

    /// True when `other` lies wholly inside this rectangle.
    public func contains(_ other: Rect) -> Bool {
        other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY
    }

    public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}

/// A frame's pixels: one `UInt32` per pixel, row-major, interpreted by `format`. Copies share
/// the pixels until one of them is drawn on.
public struct Bitmap: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public let format: PixelFormat
    @usableFromInline var buffer: PixelBuffer

    /// A bitmap of the given size, all pixels off. Negative sizes are treated as zero.
    public init(width: Int, height: Int, format: PixelFormat) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.format = format
        self.buffer = PixelBuffer(count: self.width * self.height)
    }

    /// A bitmap from stored values (see `PixelFormat`); nil when the count does not match.
    public init?(width: Int, height: Int, format: PixelFormat, pixels: [UInt32]) {
        guard width >= 0, height >= 0, pixels.count == width * height else { return nil }
        self.init(width: width, height: height, format: format)
        _ = buffer.values.update(fromContentsOf: pixels)
    }

    /// The stored values, row-major, as an array of their own (code that reads a whole frame
    /// reads them in place with `withUnsafePixels`).
    public var pixels: [UInt32] { Array(buffer.values) }

    // The two below hand out the buffer's pointer without retaining the buffer: the bitmap
    // holds it for the whole call (borrowed, or inout and so not reassignable by `body`), and a
    // retain and release around every glyph or run drawn cost a small board a third of its time.

    /// Runs `body` over the stored values, row-major, in place.
    @inlinable
    public func withUnsafePixels<Result>(_ body: (UnsafeBufferPointer<UInt32>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(buffer.values))
    }

    /// Runs `body` over the stored values to change them, copying them first if another bitmap
    /// shares them.
    @inlinable
    mutating func withUnsafeMutablePixels<Result>(_ body: (UnsafeMutableBufferPointer<UInt32>) throws -> Result) rethrows -> Result {
        if !isKnownUniquelyReferenced(&buffer) { buffer = PixelBuffer(copying: buffer) }
        return try body(buffer.values)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The stored value at `x`, `y`; 0 outside the bitmap.
    @inlinable
    public subscript(x: Int, y: Int) -> UInt32 {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return 0 }
            return withUnsafePixels { $0[y * width + x] }
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let index = y * width + x
            withUnsafeMutablePixels { $0[index] = newValue }
        }
    }

    /// The colour shown at `x`, `y`.
    public func colour(x: Int, y: Int) -> RGB { format.colour(of: self[x, y]) }

    public func isLit(x: Int, y: Int) -> Bool { self[x, y] != 0 }

    /// The same picture in another format, each pixel quantised to what that format can show.
    public func converted(to target: PixelFormat) -> Bitmap {
        guard target != format else { return self }
        var result = Bitmap(width: width, height: height, format: target)
        let source = format
        withUnsafePixels { pixels in
            result.withUnsafeMutablePixels { converted in
                for index in pixels.indices { converted[index] = target.value(for: source.colour(of: pixels[index])) }
            }
        }
        return result
    }

    /// The pixels inside `rect` (clipped to the bitmap) as a bitmap of their own.
    public func cropped(to rect: Rect) -> Bitmap {
        let area = rect.intersection(bounds)
        var result = Bitmap(width: area.width, height: area.height, format: format)
        withUnsafePixels { pixels in
            result.withUnsafeMutablePixels { cropped in
                for row in 0..<area.height {
                    let from = (area.y + row) * width + area.x
                    _ = UnsafeMutableBufferPointer(rebasing: cropped[row * area.width..<(row + 1) * area.width])
                        .update(fromContentsOf: UnsafeBufferPointer(rebasing: pixels[from..<from + area.width]))
                }
            }
        }
        return result
    }

    /// The smallest rectangle holding every pixel that differs from `other`; nil when the two
    /// are equal; the whole bitmap when they differ in size or format.
    public func changedRegion(since other: Bitmap) -> Rect? {
        guard other.width == width, other.height == height, other.format == format else { return bounds }
        var minX = width, minY = height, maxX = -1, maxY = -1
        withUnsafePixels { pixels in
            other.withUnsafePixels { earlier in
                for y in 0..<height {
                    let row = y * width
                    for x in 0..<width where pixels[row + x] != earlier[row + x] {
                        minX = min(minX, x)
                        maxX = max(maxX, x)
                        minY = min(minY, y)
                        maxY = max(maxY, y)
                    }
                }
            }
        }
        guard maxX >= 0 else { return nil }
        return Rect(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }

    public static func == (lhs: Bitmap, rhs: Bitmap) -> Bool {
        guard lhs.width == rhs.width, lhs.height == rhs.height, lhs.format == rhs.format else { return false }
        return lhs.buffer === rhs.buffer || lhs.withUnsafePixels { left in rhs.withUnsafePixels { left.elementsEqual($0) } }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(width)
        hasher.combine(height)
        hasher.combine(format)
        withUnsafePixels { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
