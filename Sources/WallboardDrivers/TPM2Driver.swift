import WallboardProtocols
import WallboardRender

/// TPM2 pixel matrices: the whole frame in RGB when any pixel changed.
struct TPM2Driver: BoardDriver {
    let model: BoardModel

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        if let previous, previous.bitmap == frame.bitmap { return [] }
        do {
            return [try TPM2.encode(frame.bitmap.converted(to: .rgb))]
        } catch {
            throw DriverError("TPM2: \(error)")
        }
    }
}
