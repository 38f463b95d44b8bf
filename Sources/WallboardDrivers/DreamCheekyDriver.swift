import WallboardProtocols
import WallboardRender

/// Dream Cheeky 21×7 USB message board: four HID reports per frame, repeated continuously
/// because the board forgets its picture within a fraction of a second.
struct DreamCheekyDriver: BoardDriver {
    let model: BoardModel
    var refreshInterval: Duration? { .milliseconds(100) }

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        guard frame.bitmap.width == DreamCheeky.width, frame.bitmap.height == DreamCheeky.height else {
            throw DriverError("the frame is \(frame.bitmap.width)x\(frame.bitmap.height); the Dream Cheeky board is 21x7")
        }
        if let previous, previous.bitmap == frame.bitmap { return [] }
        return DreamCheeky.reports(for: frame.bitmap.converted(to: .mono))
    }
}
