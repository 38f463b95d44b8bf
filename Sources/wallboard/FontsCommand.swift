import ArgumentParser
import Foundation
import WallboardCommandLine
import WallboardFonts
import WallboardSupport
import WallboardText

/// `wallboard fonts`: what the bundled fonts cover.
struct FontsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fonts",
        abstract: "Inspect the bitmap fonts in the Fonts directory.",
        subcommands: [FontsCheckCommand.self]
    )
}

struct FontsCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "List the fonts with their coverage; with --text, report characters the chain cannot draw.",
        discussion: "Exits with status 1 when some character of --text has no glyph in the chain."
    )

    @OptionGroup var fonts: FontsOptions

    @Option(help: "Text to check, for example an address: every character must have a glyph in the chain.")
    var text: String?

    @Option(help: "The font chain --text is checked against: a chain name or font names joined by '+'.")
    var chain = "cjk-16"

    func run() throws {
        let library = try fonts.library()
        let hanzi = try library.gb2312Hanzi()
        print("fonts in \(library.directory)")
        print(row("name", "px", "line", "glyphs", "ASCII", "GB2312 hanzi", "CJK URO", "CJK Ext A", "load ms"))
        for name in library.names {
            let clock = ContinuousClock()
            let start = clock.now
            let font = try library.font(named: name)
            let elapsed = clock.now - start
            let milliseconds = elapsed.inMilliseconds
            let gb2312 = hanzi.filter(font.contains).count
            print(row(
                name, "\(font.pixelSize)", "\(font.lineHeight)", "\(font.glyphCount)",
                "\(font.glyphCount(in: UnicodeBlocks.printableASCII))/95",
                "\(gb2312)/\(hanzi.count)",
                "\(font.glyphCount(in: UnicodeBlocks.cjkUnifiedIdeographs))/\(UnicodeBlocks.cjkUnifiedIdeographs.count)",
                "\(font.glyphCount(in: UnicodeBlocks.cjkExtensionA))/\(UnicodeBlocks.cjkExtensionA.count)",
                String(format: "%.1f", milliseconds)
            ))
        }
        print("chains: " + FontLibrary.namedChains.map { "\($0.name) = \($0.fonts.joined(separator: "+"))" }.joined(separator: ", "))

        guard let text else { return }
        let chain = try library.chain(self.chain)
        let missing = chain.missingCharacters(in: text)
        if missing.isEmpty {
            print("\(chain.name) draws every character of the text (\(text.unicodeScalars.count) characters)")
            return
        }
        let listed = missing.map { scalar in
            "\(printable(scalar)) \(Hex.codePoint(scalar))"
        }
        print("\(chain.name) cannot draw \(missing.count) character(s): \(listed.joined(separator: ", "))")
        throw ExitCode(1)
    }

    private func row(_ columns: String...) -> String {
        let widths = [12, 4, 5, 7, 7, 13, 12, 10, 8]
        return zip(columns, widths).map { $0.padded(to: $1) }.joined(separator: " ")
    }

    /// The character itself when a terminal can show it; control characters by name.
    private func printable(_ scalar: Unicode.Scalar) -> String {
        scalar.properties.generalCategory == .control ? "(control)" : "'\(Character(scalar))'"
    }
}

extension String {
    fileprivate func padded(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
