import WallboardProtocols
import WallboardRender

/// Onbon BX-5E/6E/6Q: the whole frame as one dynamic area's bitmap, sent when any pixel changed.
struct GraphicCardDriver: BoardDriver {
    let card: OnbonGraphicModel
    let width: Int
    let height: Int

    var model: BoardModel { card.boardModel }

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        guard frame.bitmap.width == width, frame.bitmap.height == height else {
            throw DriverError("the frame is \(frame.bitmap.width)x\(frame.bitmap.height); the \(card.rawValue) board is \(width)x\(height)")
        }
        if let previous, previous.bitmap == frame.bitmap { return [] }
        let colours: OnbonGraphicColours = frame.bitmap.format == .mono ? .mono : .bicolor
        let area = OnbonGraphicArea(id: 0, frame: frame.bitmap.bounds, pages: [OnbonGraphicPage(bitmap: frame.bitmap)])
        do {
            return [try OnbonGraphicCard.encode(.updateAreas([area]), link: OnbonGraphicLink(model: card, colours: colours))]
        } catch {
            throw DriverError("\(card.rawValue): \(error)")
        }
    }
}
