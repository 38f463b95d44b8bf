import Testing
import WallboardProtocols

/// What may go to a controller: each character it cannot show becomes its placeholder, and the
/// result always encodes.
@Suite struct ControllerRepertoireTests {
    @Test func gb2312ReplacesWhatItLacksWithAWhiteSquare() throws {
        let shown = ControllerRepertoire.chinese(.gb2312).showable("喆园小区 浐灞 䶮 \u{FFFD} 😀 👨‍👩‍👧 粤A·1")
        #expect(shown.text == "□园小区 □灞 □ □ □ □ 粤A·1")
        #expect(shown.substituted == ["喆", "浐", "䶮", "\u{FFFD}", "😀", "👨‍👩‍👧"])
        #expect(try ControllerTextCodec.encode(shown.text, charset: .gb2312).count == 12 * 2 + 8, "twelve characters of two bytes, eight of ASCII")
    }

    @Test func gbkKeepsWhatItsLibraryHas() {
        let shown = ControllerRepertoire.chinese(.gbk).showable("喆园小区 浐灞 䶮 堃")
        #expect(shown.text == "喆园小区 浐灞 □ 堃")
        #expect(shown.substituted == ["䶮"])
    }

    @Test func anAlphaSignGetsQuestionMarks() {
        let shown = ControllerRepertoire.printableASCII.showable("WAIT 2 ¥¦ 急救3号\n")
        #expect(shown.text == "WAIT 2 ?? ??3?\n")
        #expect(shown.substituted == ["¥", "¦", "急", "救", "号"])
    }

    @Test func textItCanShowIsUntouched() {
        for repertoire in [ControllerRepertoire.chinese(.gb2312), .chinese(.gbk)] {
            let text = "急救6号 粤A·66666\n东风路12号 \u{1}\\C1"
            #expect(repertoire.showable(text) == ShowableText(text: text, substituted: []))
        }
    }

    @Test func theSquareAndTheEllipsisAreInBothSets() throws {
        #expect(try ControllerTextCodec.encode("□…", charset: .gb2312) == [0xA1, 0xF5, 0xA1, 0xAD])
        #expect(try ControllerTextCodec.encode("□…", charset: .gbk) == [0xA1, 0xF5, 0xA1, 0xAD])
    }

    @Test func longTextIsCutToTheBytesAnAreaHolds() throws {
        let text = OnbonText([.colour(.red), .text(String(repeating: "东风路", count: 100)), .newline, .text("B座")])
        let cut = text.cut(toFit: 512)
        let bytes = try OnbonTextCodec.encode(cut, charset: .gb2312, context: "area 1")
        #expect(bytes.count <= 512 && bytes.count >= 510)
        #expect(cut.plainText.hasSuffix("…"))
        #expect(cut.plainText.hasPrefix("东风路东风路"))
        let short = OnbonText([.colour(.green), .text("急救6号")])
        #expect(short.cut(toFit: 512) == short)
    }
}
