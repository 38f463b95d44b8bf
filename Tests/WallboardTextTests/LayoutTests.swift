import Testing
import WallboardRender
import WallboardTestKit
import WallboardText

/// Layout with a font where every character is 2 px wide and a space 1 px: a width of 8 holds
/// four characters.
@Suite struct LayoutTests {
    static let characters = "一二三四五六七八九十急救车粤出时间请让行，。、）（《》“”：；！？…abcdefghijklmnopqrstuvwxyzA0123456789·:.-１２３号"
    let chain: FontChain

    init() throws {
        chain = FontChain(try blockFont(LayoutTests.characters))
    }

    private func lines(_ text: String, width: Int, height: Int = 100, wrap: Bool = true, maxLines: Int? = nil) -> [String] {
        TextLayout(text, chain: chain, width: width, height: height, wrap: wrap, maxLines: maxLines).lines.map(\.text)
    }

    @Test func closingPunctuationNeverStartsALine() {
        #expect(lines("一二三四，五六", width: 8) == ["一二三", "四，五六"])
        #expect(lines("一二三四。", width: 8) == ["一二三", "四。"])
        #expect(lines("一二三四》：", width: 8) == ["一二三", "四》："])
        #expect(lines("一二三四、五", width: 8) == ["一二三", "四、五"])
    }

    @Test func openingPunctuationNeverEndsALine() {
        #expect(lines("一二三（四五）", width: 8) == ["一二三", "（四五）"])
        #expect(lines("一二三“四”", width: 8) == ["一二三", "“四”"])
        #expect(lines("一二三《四》", width: 8) == ["一二三", "《四》"])
    }

    @Test func platesNumbersAndWordsStayWhole() {
        #expect(lines("急救车粤A·12345出车", width: 16) == ["急救车", "粤A·12345", "出车"])
        #expect(lines("时间12:34请让行", width: 10) == ["时间", "12:34", "请让行"])
        #expect(lines("abc defg hi", width: 8) == ["abc", "defg", "hi"])
        #expect(lines("一二3.5三", width: 8) == ["一二", "3.5三"])
        #expect(lines("一二１２３号", width: 8) == ["一二", "１２３号"])
    }

    @Test func spacesAtABreakVanishAndWidthsCountWhatIsDrawn() {
        let layout = TextLayout("abc   defg ", chain: chain, width: 8, height: 100)
        #expect(layout.lines == [TextLine(text: "abc", width: 6), TextLine(text: "defg", width: 8)])
    }

    @Test func lineFeedsStartNewLines() {
        #expect(lines("一二\n三", width: 8) == ["一二", "三"])
        #expect(lines("a\r\n\nb", width: 8) == ["a", "", "b"])
    }

    @Test func aWordWiderThanTheBoxIsSplitNotLost() {
        #expect(lines("abcdefghij", width: 8) == ["abcd", "efgh", "ij"])
        // A box narrower than one character shows that something was cut.
        #expect(lines("一", width: 1) == ["…"])
    }

    @Test func textBeyondTheLastLineEndsWithAnEllipsis() {
        let layout = TextLayout("一二三四五六七八九十", chain: chain, width: 8, height: 8)
        #expect(layout.lines.map(\.text) == ["一二三四", "五六七…"])
        #expect(layout.truncated)
        #expect(!layout.fits)
        #expect(lines("一二三四五六", width: 8, maxLines: 1) == ["一二三…"])
        #expect(lines("abc\ndefghijkl", width: 8, wrap: false) == ["abc", "def…"])
    }

    @Test func withoutAnEllipsisGlyphThreeDotsAreUsed() throws {
        let plain = FontChain(try blockFont("abcdefgh."))
        let layout = TextLayout("abcdefgh", chain: plain, width: 8, height: 4, wrap: false)
        #expect(layout.lines.map(\.text) == ["a..."])
    }

    @Test func largestFittingChainIsChosen() throws {
        let small = FontChain(try blockFont(LayoutTests.characters, advance: 2, ascent: 3, name: "small"))
        let medium = FontChain(try blockFont(LayoutTests.characters, advance: 4, ascent: 7, name: "medium"))
        let large = FontChain(try blockFont(LayoutTests.characters, advance: 6, ascent: 11, name: "large"))
        let chains = [small, large, medium]
        let chosen = TextLayout.largestFitting("一二三四五六", chains: chains, width: 24, height: 16)
        #expect(chosen?.chain.name == "medium")
        #expect(chosen?.fits == true)
        let short = TextLayout.largestFitting("一二", chains: chains, width: 24, height: 16)
        #expect(short?.chain.name == "large")
        let tooLong = TextLayout.largestFitting(String(repeating: "一", count: 100), chains: chains, width: 24, height: 16)
        #expect(tooLong?.chain.name == "small")
        #expect(tooLong?.truncated == true)
        #expect(TextLayout.largestFitting("一", chains: [], width: 24, height: 16) == nil)
    }

    @Test func alignsInTheRectangle() {
        var canvas = Canvas(width: 10, height: 8, format: .bicolor)
        let rect = Rect(x: 1, y: 1, width: 8, height: 6)
        let layout = TextLayout("一二", chain: chain, width: rect.width, height: rect.height)
        layout.draw(on: &canvas, in: rect, horizontal: .left, vertical: .top, colour: .red)
        layout.draw(on: &canvas, in: rect, horizontal: .centre, vertical: .middle, colour: .green)
        layout.draw(on: &canvas, in: rect, horizontal: .right, vertical: .bottom, colour: .amber)
        expectPicture(canvas.bitmap, """
            ..........
            ..........
            ..........
            .r.r......
            ...g.g....
            .....a.a..
            ..........
            ..........
            """)
    }

    @Test func drawingIsClippedToTheRectangle() {
        var canvas = Canvas(width: 6, height: 4, format: .mono)
        let layout = TextLayout("一二三四五", chain: chain, width: 4, height: 4, wrap: false)
        layout.draw(on: &canvas, in: Rect(x: 1, y: 0, width: 4, height: 4), colour: .on)
        expectPicture(canvas.bitmap, """
            ......
            ......
            .#.#..
            ......
            """)
    }

    // MARK: bad input: a clear result, never a crash

    @Test func emptyTextLaysOutAsOneEmptyLine() {
        let layout = TextLayout("", chain: chain, width: 8, height: 8)
        #expect(layout.lines == [TextLine(text: "", width: 0)])
        #expect(layout.fits)
        var canvas = Canvas(width: 8, height: 8, format: .mono)
        #expect(layout.draw(on: &canvas, in: canvas.bitmap.bounds, colour: .on).isEmpty)
        #expect(canvas.bitmap == Canvas(width: 8, height: 8, format: .mono).bitmap)
    }

    @Test func twoThousandCharactersAreCutToTheBox() {
        let text = String(repeating: "急救车粤A·12345出车，", count: 200)
        #expect(text.count >= 2000)
        let layout = TextLayout(text, chain: chain, width: 192, height: 32)
        #expect(layout.lines.count == 8)
        #expect(layout.truncated)
        #expect(layout.lines.last?.text.hasSuffix("…") == true)
        #expect(layout.lines.allSatisfy { $0.width <= 192 })
        var canvas = Canvas(width: 192, height: 32, format: .mono)
        #expect(layout.draw(on: &canvas, in: canvas.bitmap.bounds, colour: .on).isEmpty)
    }

    @Test func emojiAndControlCharactersAreReported() {
        let layout = TextLayout("急救😀车\u{0}\u{1B}[31m👍🏽", chain: chain, width: 40, height: 8)
        #expect(layout.missing == ["😀", "\u{0}", "\u{1B}", "[", "👍", "🏽"])
        var canvas = Canvas(width: 40, height: 8, format: .mono)
        #expect(layout.draw(on: &canvas, in: canvas.bitmap.bounds, colour: .on) == layout.missing)
        #expect(canvas.bitmap.pixels.contains(1))
    }

    @Test func zeroAndNegativeBoxesGiveOneLineNotACrash() {
        let layout = TextLayout("一二三", chain: chain, width: 0, height: 0)
        #expect(layout.lines.count == 1)
        #expect(!layout.fits)
        let negative = TextLayout("一二三", chain: chain, width: -5, height: -5, wrap: false)
        #expect(negative.lines.map(\.text) == ["…"])
    }
}
