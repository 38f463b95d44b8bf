import Foundation
import WallboardConfig
import WallboardRender

/// A Linux framebuffer (`/dev/fbN`) for a wall PC without a browser: the frame's changed rows are
/// written in the device's pixel format. A regular file of the right size stands in for tests.
final class FramebufferSink: BoardSink {
    let path: String
    let format: FramebufferFormat
    let width: Int
    let height: Int
    /// Bytes per line on the device (the kernel may pad lines).
    let stride: Int

    init(path: String, format: FramebufferFormat, width: Int, height: Int) throws {
        self.path = path
        self.format = format
        self.width = width
        self.height = height
        stride = Self.lineLength(of: path) ?? width * format.bytesPerPixel
        let needed = stride * (height - 1) + width * format.bytesPerPixel
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > 0, size < needed,
           !path.hasPrefix("/dev/")
        {
            throw ServiceSetupError("\(path) holds \(size) bytes, less than the \(needed) a \(width)x\(height) \(format.rawValue) frame needs")
        }
    }

    var deviceName: String { path }
    var takesCommands: Bool { false }
    var resendInterval: Duration? { nil }

    func deliver(_ frame: Frame, at now: Date, previous: (frame: Frame, at: Date)?) async throws(SinkError) -> Int {
        let bitmap = frame.bitmap
        let region: Rect
        if let previous = previous?.frame.bitmap, previous.width == bitmap.width, previous.height == bitmap.height, previous.format == bitmap.format {
            guard let changed = bitmap.changedRegion(since: previous) else { return 0 }
            region = changed
        } else {
            region = bitmap.bounds
        }
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw SinkError(description: "cannot open \(path) for writing: \(reason); is the user in group video?", bytesWritten: 0)
        }
        defer { close(descriptor) }
        var written = 0
        var line = [UInt8](repeating: 0, count: region.width * format.bytesPerPixel)
        for y in region.y..<region.maxY {
            encode(bitmap, y: y, from: region.x, count: region.width, into: &line)
            let offset = off_t(y * stride + region.x * format.bytesPerPixel)
            let result = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, offset) }
            guard result == line.count else {
                let reason = result < 0 ? String(cString: strerror(errno)) : "short write"
                throw SinkError(description: "writing \(path) at line \(y): \(reason)", bytesWritten: written)
            }
            written += line.count
        }
        return written
    }

    func setBrightness(_ level: Double) async throws(SinkError) -> Int { 0 }
    func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int { 0 }

    private func encode(_ bitmap: Bitmap, y: Int, from x0: Int, count: Int, into line: inout [UInt8]) {
        for index in 0..<count {
            let rgb = bitmap.colour(x: x0 + index, y: y)
            switch format {
            case .rgb565:
                let value = UInt16(rgb.r >> 3) << 11 | UInt16(rgb.g >> 2) << 5 | UInt16(rgb.b >> 3)
                line[index * 2] = UInt8(value & 0xFF)
                line[index * 2 + 1] = UInt8(value >> 8)
            case .xrgb8888:
                line[index * 4] = rgb.b
                line[index * 4 + 1] = rgb.g
                line[index * 4 + 2] = rgb.r
                line[index * 4 + 3] = 0xFF
            }
        }
    }

    /// The kernel's line length for /dev/fbN, from sysfs; nil for anything else.
    private static func lineLength(of path: String) -> Int? {
        guard path.hasPrefix("/dev/fb") else { return nil }
        let name = String(path.dropFirst("/dev/".count))
        guard let text = try? String(contentsOfFile: "/sys/class/graphics/\(name)/stride", encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
