import Foundation
import Testing
import WallboardFonts
import WallboardRender
import WallboardTestKit
import WallboardText

/// The fonts the project ships, loaded from the source tree's Fonts directory.
@Suite struct RealFontsTests {
    static let fontsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../Fonts").standardized.path
    let library: FontLibrary

    init() throws {
        library = try FontLibrary(directory: RealFontsTests.fontsDirectory)
    }

    static let cjkFonts = ["wqy-12", "isas-16", "isas-24", "noto-32", "unifont-16", "noto-cjk-24", "noto-cjk-32", "noto-cjk-48"]
    static let addressPunctuation = "·・—―、，（）#-号"

    @Test(arguments: cjkFonts)
    func everyCJKSizeHasAllGB2312HanziAsciiAndAddressPunctuation(name: String) throws {
        let hanzi = try library.gb2312Hanzi()
        #expect(hanzi.count == 6763)
        #expect(hanzi.first == "啊" && hanzi.last == "齄")
        let font = try library.font(named: name)
        let missingHanzi = hanzi.filter { !font.contains($0) }
        #expect(missingHanzi.isEmpty, "\(name) lacks \(missingHanzi.count) GB2312 hanzi: \(String(String.UnicodeScalarView(missingHanzi.prefix(20))))")
        #expect(font.glyphCount(in: UnicodeBlocks.printableASCII) == 95)
        for scalar in RealFontsTests.addressPunctuation.unicodeScalars {
            #expect(font.contains(scalar), "\(name) lacks \(scalar) U+\(String(scalar.value, radix: 16))")
        }
    }

    /// The fonts `make` rasterises for the walls have every ideograph of both blocks, each in a
    /// cell of their size.
    @Test(arguments: ["unifont-16", "noto-cjk-24", "noto-cjk-32", "noto-cjk-48"])
    func coversAllOfCJKUnifiedIdeographsAndExtensionA(name: String) throws {
        let font = try library.font(named: name)
        #expect(font.glyphCount(in: UnicodeBlocks.cjkUnifiedIdeographs) == UnicodeBlocks.cjkUnifiedIdeographs.count)
        #expect(font.glyphCount(in: UnicodeBlocks.cjkExtensionA) == UnicodeBlocks.cjkExtensionA.count)
        #expect(font.lineHeight == font.pixelSize)
    }

    @Test func namedChainsDrawAddressesOutsideGB2312() throws {
        for name in ["cjk-16", "cjk-24", "cjk-32", "cjk-48", "clock-64"] {
            let chain = try library.chain(name)
            #expect(chain.missingCharacters(in: "西安市浐灞生态区 堃 喆 珺 玥 镕 䶮 粤A·12345 3#楼（东门）—号") == [], "\(name)")
        }
        #expect(try library.chain("cjk-12").missingCharacters(in: "浐灞") == ["浐"])
    }

    @Test func smallLatinAndDigitFontsHaveWhatClocksAndCountersNeed() throws {
        for name in ["fixed-5x7", "fixed-6x10", "digits-16", "digits-24", "digits-32"] {
            let font = try library.font(named: name)
            #expect(font.glyphCount(in: UnicodeBlocks.printableASCII) == 95, "\(name)")
        }
        #expect(try library.font(named: "digits-32").lineHeight == 32)
        #expect(try library.font(named: "fixed-5x7").lineHeight == 7)
        #expect(try library.font(named: "digits-24").family == "Wallboard Digits")
    }

    @Test func plateDotIsDrawnFromTheLatinGlyphOnISAS16() throws {
        let chain = try library.chain("cjk-16")
        var canvas = Canvas(width: 48, height: 16, format: .mono)
        let drawn = chain.draw("A·1", on: &canvas, x: 0, baseline: 14, colour: .on)
        #expect(drawn == DrawnText(advance: 24, missing: []))
        let dotColumns = (8..<16).filter { x in (0..<16).contains { canvas.bitmap.isLit(x: x, y: $0) } }
        #expect(!dotColumns.isEmpty, "the middle dot drew nothing")
    }

    @Test func unknownNamesListTheValidOnes() throws {
        #expect {
            try library.font(named: "song-99")
        } throws: { error in
            let text = String(describing: error)
            return text.contains("unknown font 'song-99'") && text.contains("isas-16") && text.contains("unifont-16")
        }
        #expect {
            try library.chain("isas-16+nope")
        } throws: { error in
            String(describing: error).contains("unknown font 'nope' in 'isas-16+nope'")
        }
    }

    @Test func locatingFontsHonoursExplicitPathsAndTheEnvironment() throws {
        let explicit = try FontLibrary.locate(explicit: RealFontsTests.fontsDirectory, environment: [:])
        #expect(explicit.names.contains("isas-16"))
        let fromEnvironment = try FontLibrary.locate(environment: [FontLibrary.environmentVariable: RealFontsTests.fontsDirectory])
        #expect(fromEnvironment.directory == RealFontsTests.fontsDirectory)
        let found = try FontLibrary.locate(environment: [:])
        #expect(found.names == explicit.names)
        #expect {
            try FontLibrary.locate(explicit: "/nonexistent/fonts", environment: [:])
        } throws: { error in
            String(describing: error).contains("/nonexistent/fonts")
        }
    }

    @Test func aLargeFontNotYetMadeSaysHowToMakeIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-fonts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(atPath: RealFontsTests.fontsDirectory + "/fixed-5x7.bdf", toPath: directory.appendingPathComponent("fixed-5x7.bdf").path)
        let library = try FontLibrary(directory: directory.path)
        #expect {
            try library.chain("fixed-5x7+noto-cjk-48")
        } throws: { error in
            String(describing: error).contains("noto-cjk-48.bdf has not been made: `make large-fonts`")
        }
    }

    @Test func aMalformedFontFileNamesItsPathAndLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-fonts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("STARTFONT 2.1\nFONTBOUNDINGBOX 1 1 0 0\nthis is not BDF\n".utf8).write(to: directory.appendingPathComponent("broken-8.bdf"))
        let library = try FontLibrary(directory: directory.path)
        #expect {
            try library.font(named: "broken-8")
        } throws: { error in
            String(describing: error) == "\(directory.path)/broken-8.bdf:3: unexpected line 'this is not BDF' in the font header"
        }
    }
}
