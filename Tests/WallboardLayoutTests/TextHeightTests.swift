import Foundation
import Testing
import WallboardDispatch
import WallboardFonts
import WallboardLayout
import WallboardRender
import WallboardText

/// Text on a room wall is read from the duty leader's desk: each shipped wall states the least
/// text height its screen and viewing distance allow, and sets nothing under it; a character
/// outside GB2312 stands as tall as the text around it.
@Suite struct TextHeightTests {
    /// Each room wall with the floor its screen and viewing distance need (1/250 of the distance):
    /// a 65″ 1080p screen at 4 m, an 86″ 4K screen at 5 m, 55″ 1080p panels at 6 m.
    static let roomWalls: [(file: String, floor: Int)] = [
        ("wall-1920x1080.yaml", 20), ("wall-3840x2160.yaml", 40), ("wall-5760x3240-3x3.yaml", 38),
    ]

    static func textHeight(_ chain: String) throws -> Int {
        try Fixture.fontLibrary.get().chain(chain).textHeight
    }

    @Test(arguments: roomWalls.map(\.file))
    func everyRoomWallStatesItsFloorAndSetsNoTextUnderIt(file: String) throws {
        let required = try #require(Self.roomWalls.first { $0.file == file }).floor
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        let floor = try #require(layout.minimumTextHeight, "\(file) states no minimumTextHeight")
        #expect(floor.pixels >= required, "\(file) states \(floor.pixels) px; its screen and distance need \(required)")
        let report = try layout.textHeights(Self.textHeight)
        #expect(report.belowFloor.isEmpty, "\(report.belowFloor.joined(separator: "\n"))")
        let smallest = try #require(report.smallest)
        #expect(smallest.height >= required, "\(file): '\(smallest.font)' sets text \(smallest.height) px high")
    }

    /// Whatever floor a shipped layout states (the LED wall's too), it keeps to it.
    @Test(arguments: ShippedLayoutTests.files)
    func everyShippedLayoutKeepsToTheFloorItStates(file: String) throws {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        let report = try layout.textHeights(Self.textHeight)
        #expect(report.belowFloor.isEmpty, "\(report.belowFloor.joined(separator: "\n"))")
    }

    /// A city of 50 stations and a room of 20 seats on each room wall: every station and every
    /// seat shows within a few turns of the pages, in text that keeps its size.
    @Test(arguments: roomWalls.map(\.file))
    func fiftyStationsAndTwentySeatsAllShowInTurn(file: String) throws {
        var snapshot = Fixture.snapshot()
        snapshot.stations = (1...50).map { Station(id: "S\($0)", name: "第\($0)站", district: "", sortOrder: $0) }
        snapshot.seats = (1...20).map { Seat(id: "P\($0)", name: "\($0)号台", dispatcherName: "调度员", state: .idle) }
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        var bound = try Fixture.renderer(layout).bind(snapshot, staleSince: nil)
        var drawn = Set<String>()
        for page in 0..<10 {
            let output = bound.render(at: Fixture.now.addingTimeInterval(Double(page) * 8)).output
            #expect(output.missing.isEmpty, "\(file) could not draw \(output.missing)")
            drawn.formUnion(output.strings)
        }
        let stationsMissing = snapshot.stations.map(\.name).filter { !drawn.contains($0) }
        #expect(stationsMissing.isEmpty, "\(file) never showed \(stationsMissing)")
        let seatsMissing = snapshot.seats.map { "\($0.name) 调度员" }.filter { !drawn.contains($0) }
        #expect(seatsMissing.isEmpty, "\(file) never showed \(seatsMissing)")
    }

    @Test func textUnderTheFloorIsNamedAtItsWidget() throws {
        let layout = try Fixture.loader().load("""
            board:
              kind: wall
              width: 1920
              height: 1080
              format: rgb
              privacy: internal
              minimumTextHeight: 20
            stale:
              rect: [0, 1032, 1920, 48]
              font: cjk-32
            states:
              main:
                - text: "{{centre.name}}"
                  rect: [0, 0, 1920, 48]
                  font: cjk-32
                - seatPanel:
                    font: cjk-16
                  rect: [0, 100, 600, 200]
            """, file: "small.yaml", name: "small")
        let report = try layout.textHeights(Self.textHeight)
        #expect(report.belowFloor.count == 1, "\(report.belowFloor)")
        let line = try #require(report.belowFloor.first)
        let small = try Self.textHeight("cjk-16")
        #expect(small < 20)
        #expect(line.hasPrefix("small.yaml:16:"), "\(line)")
        #expect(line.contains("'seatPanel'") && line.contains("'cjk-16' \(small) px high") && line.contains("small.yaml:7:"), "\(line)")
        #expect(report.smallest?.height == small && report.smallest?.font == "cjk-16")
    }

    /// 浐 and 灞 (GBK only) and 䶮 (Extension A) at each size the walls use: every one drawn as
    /// tall as the GB2312 ideographs beside them, standing on the same baseline, and wholly inside
    /// the line (before, they came from the 16 px fallback, sitting low in 32 px text). The picture
    /// is `Golden/rare-ideographs.png`.
    @Test func rareIdeographsStandAsTallAsTheTextAroundThem() throws {
        let library = try Fixture.fontLibrary.get()
        let chains = try ["cjk-24", "cjk-32", "cjk-48", "clock-64"].map { try library.chain($0) }
        let margin = 8
        for chain in chains {
            let common = try "中生态区".map { try #require(Self.inkBox(of: $0, chain: chain, margin: margin)) }
            let heights = try #require(common.map(\.height).range), bottoms = try #require(common.map(\.maxY).range)
            for character in "浐灞䶮" {
                let box = try #require(Self.inkBox(of: character, chain: chain, margin: margin), "\(chain.name) drew nothing for \(character)")
                #expect(heights.widened.contains(box.height), "\(chain.name): \(character) is \(box.height) px high; 中生态区 \(heights)")
                #expect(bottoms.widened.contains(box.maxY), "\(chain.name): \(character) ends on row \(box.maxY); 中生态区 on \(bottoms)")
                let line = Rect(x: margin, y: margin, width: chain.measure(String(character)), height: chain.lineHeight)
                #expect(line.contains(box), "\(chain.name): \(character)'s ink \(box) leaves its line \(line)")
            }
        }
        let text = "浐灞生态区 䶮 中山五路"
        let height = chains.map(\.lineHeight).reduce(0, +)
        var canvas = Canvas(width: chains.map { $0.measure(text) }.max() ?? 0, height: height, format: .mono)
        var top = 0
        for chain in chains {
            let drawn = chain.draw(text, on: &canvas, x: 0, baseline: top + chain.ascent, colour: .on)
            #expect(drawn.missing.isEmpty, "\(chain.name) could not draw \(drawn.missing)")
            top += chain.lineHeight
        }
        try ShippedLayoutTests.expectGolden(canvas.bitmap, named: "rare-ideographs.png")
    }

    /// The box around the lit pixels of `character` drawn alone at (`margin`, `margin`).
    static func inkBox(of character: Character, chain: FontChain, margin: Int) -> Rect? {
        var canvas = Canvas(width: chain.measure(String(character)) + 2 * margin, height: chain.lineHeight + 2 * margin, format: .mono)
        chain.draw(String(character), on: &canvas, x: margin, baseline: margin + chain.ascent, colour: .on)
        let bitmap = canvas.bitmap
        let lit = (0..<bitmap.height).flatMap { y in (0..<bitmap.width).filter { bitmap.isLit(x: $0, y: y) }.map { (x: $0, y: y) } }
        guard let left = lit.map(\.x).min(), let right = lit.map(\.x).max(), let top = lit.map(\.y).min(), let bottom = lit.map(\.y).max() else { return nil }
        return Rect(x: left, y: top, width: right - left + 1, height: bottom - top + 1)
    }
}

private extension Array where Element == Int {
    /// From the least to the greatest; nil when empty.
    var range: ClosedRange<Int>? { self.min().flatMap { low in self.max().map { low...$0 } } }
}

private extension ClosedRange where Bound == Int {
    /// One more either side.
    var widened: ClosedRange<Int> { (lowerBound - 1)...(upperBound + 1) }
}
