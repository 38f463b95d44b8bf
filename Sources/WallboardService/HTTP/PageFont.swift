import Foundation
import Synchronization
import WallboardExport
import WallboardFonts
import WallboardText

/// The pages' own font, so that they read in Chinese on a machine with no CJK font: the
/// `cjk-16` chain the boards use, as TrueType, cut into one font per 256 code points. The style
/// sheet names each piece with its `unicode-range`, so a browser fetches only the pieces for the
/// characters it shows. Pieces are made on first request and kept.
final class PageFont: Sendable {
    static let chainName = "cjk-16"
    static let family = "Wallboard CJK 16"
    let fonts: FontLibrary
    private let chain = Mutex<FontChain?>(nil)
    private let pieces = Mutex<[Int: [UInt8]]>([:])

    init(fonts: FontLibrary) {
        self.fonts = fonts
    }

    /// The chain's line height in pixels: the page's `font-size` (or a whole multiple of it).
    func lineHeight() throws -> Int { try loadedChain().lineHeight }

    /// The blocks of 256 code points the chain has glyphs in.
    func blocks() throws -> [Int] {
        Array(Set(try loadedChain().fonts.flatMap(\.codePoints).filter { $0 <= 0xFFFF }.map { Int($0 >> 8) })).sorted()
    }

    /// The TrueType piece for block `block`; nil when the chain has nothing there.
    func piece(block: Int) throws -> [UInt8]? {
        if let piece = pieces.withLock({ $0[block] }) { return piece }
        guard (0...0xFF).contains(block) else { return nil }
        let chain = try loadedChain()
        let low = UInt32(block << 8), high = low | 0xFF
        let codes = chain.fonts.flatMap { font in font.codePoints.filter { (low...high).contains($0) } }
        guard !codes.isEmpty else { return nil }
        let piece = TrueTypeFont.make(chain: chain, family: Self.family, codes: codes)
        pieces.withLock { $0[block] = piece }
        return piece
    }

    /// The style sheet: one `@font-face` per block.
    func styleSheet() throws -> String {
        try blocks().map { block in
            let start = String(block << 8, radix: 16, uppercase: true), end = String(block << 8 | 0xFF, radix: 16, uppercase: true)
            return "@font-face { font-family: \"\(Self.family)\"; src: url(/fonts/\(Self.chainName)/\(block).ttf) format(\"truetype\"); unicode-range: U+\(start)-\(end); }"
        }.joined(separator: "\n") + "\n"
    }

    private func loadedChain() throws -> FontChain {
        if let chain = chain.withLock({ $0 }) { return chain }
        let loaded = try fonts.chain(Self.chainName)
        chain.withLock { $0 = loaded }
        return loaded
    }
}
