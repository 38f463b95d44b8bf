import WallboardRender
import WallboardText

/// Draws a controller's text with the project's bitmap fonts: for each font height the board
/// asks for, the chain of that height (or the nearest smaller one).
public struct FontChainPainter: BoardTextPainter {
    private let chains: [(height: Int, chain: FontChain)]

    /// `chains` by the font height they stand for (16 for the controllers' 16-dot font, …).
    public init(chains: [Int: FontChain]) {
        self.chains = chains.sorted { $0.key < $1.key }.map { (height: $0.key, chain: $0.value) }
    }

    func chain(for height: Int) -> FontChain? {
        chains.last { $0.height <= height }?.chain ?? chains.first?.chain
    }

    public func width(of text: String, fontHeight: Int) -> Int {
        chain(for: fontHeight)?.measure(text) ?? 0
    }

    public func draw(_ text: String, fontHeight: Int, x: Int, y: Int, colour: Color, on canvas: inout Canvas) {
        guard let chain = chain(for: fontHeight) else { return }
        chain.draw(text, on: &canvas, x: x, baseline: y + chain.ascent, colour: colour)
    }
}
