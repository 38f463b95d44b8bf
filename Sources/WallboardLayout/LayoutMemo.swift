import Synchronization
import WallboardText

/// Text laid out before, by text, chain and box: most text on a board is the same from one
/// snapshot to the next (call signs, addresses, titles), and laying it out is the costly part
/// of binding. Shared by every binding of one board; bounded, and emptied when full.
/// It also keeps each map's base as drawn, which never changes for a board.
final class LayoutMemo: Sendable {
    struct Key: Hashable {
        var text: String
        var chain: String
        var width: Int
        var height: Int
        var wrap: Bool
    }

    private let entries = Mutex<[Key: TextLayout]>([:])
    private let mapBases = Mutex<[Int: MapBasePicture]>([:])
    static let capacity = 4096

    func layout(_ text: String, chain: FontChain, width: Int, height: Int, wrap: Bool) -> TextLayout {
        let key = Key(text: text, chain: chain.name, width: width, height: height, wrap: wrap)
        if let known = entries.withLock({ $0[key] }) { return known }
        let layout = TextLayout(text, chain: chain, width: width, height: height, wrap: wrap)
        entries.withLock { entries in
            if entries.count >= LayoutMemo.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = layout
        }
        return layout
    }

    /// The base of the map in text area `id`, drawn by `draw` the first time it is asked for
    /// (or when `isCurrent` says the one kept is not what this binding draws).
    func mapBase(id: Int, isCurrent: (MapBasePicture) -> Bool, draw: () -> MapBasePicture) -> MapBasePicture {
        if let kept = mapBases.withLock({ $0[id] }), isCurrent(kept) { return kept }
        let drawn = draw()
        mapBases.withLock { $0[id] = drawn }
        return drawn
    }
}
