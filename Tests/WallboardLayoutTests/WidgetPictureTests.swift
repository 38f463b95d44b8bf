import Foundation
import Testing
import WallboardDispatch
import WallboardLayout
import WallboardRender
import WallboardTestKit
import WallboardText

/// Widgets drawn with a 3×5 test font whose every pixel the pictures show.
@Suite struct WidgetPictureTests {
    static let tiny: FontChain = {
        let source = TestFont.bdf(glyphs: TestFont.digits3x5)
        guard let font = try? Font(bdf: Array(source.utf8), name: "tiny") else { fatalError("the test font does not parse") }
        return FontChain(font)
    }()

    /// A board of `size` and `format` whose single state holds `widgets` (YAML list items).
    static func board(_ widgets: String, kind: BoardKind = .door, width: Int, height: Int, format: PixelFormat = .bicolor, alertWidgets: String? = nil) throws -> BoardRenderer {
        let states = kind == .door
            ? "  idle:\n\(widgets)\n  alert:\n\(alertWidgets ?? widgets)"
            : "  main:\n\(widgets)"
        let yaml = """
            board:
              kind: \(kind.rawValue)
              width: \(width)
              height: \(height)
              format: \(format.rawValue)
              privacy: public
            stale:
              rect: [0, 0, \(width), \(height)]
              font: tiny
              text: "X{time}"
            states:
            \(states)
            """
        let layout = try LayoutLoader(fontNames: ["tiny"]).load(yaml, file: "test.yaml", name: "test")
        let identity = BoardIdentity(centreName: "C", stationID: "S1", privacy: .public, timeZone: Fixture.beijing)
        return BoardRenderer(layout: layout, identity: identity, fonts: try FontSet(layout: layout) { _ in tiny })
    }

    @Test func turnoutTimerCountsFromDispatchAndChangesColourAtThresholds() throws {
        let timer = """
                - timer: alert.dispatchedAt
                  rect: [0, 0, 16, 5]
                  font: tiny
                  colour: green
                  thresholds:
                    - at: 120
                      colour: amber
                    - at: 180
                      colour: red
            """
        let renderer = try Self.board("    []", width: 16, height: 5, alertWidgets: timer)
        let early = renderer.render(Fixture.snapshot(dispatchedSecondsAgo: 95), at: Fixture.now).frame.bitmap
        expectPicture(early, """
            .g......ggg.ggg.
            gg...g....g.g...
            .g.......gg.ggg.
            .g...g....g...g.
            ggg.....ggg.ggg.
            """)
        let amber = renderer.render(Fixture.snapshot(dispatchedSecondsAgo: 125), at: Fixture.now).frame.bitmap
        #expect(Set(amber.pixels).subtracting([0]) == [PixelFormat.bicolorAmber])
        let red = renderer.render(Fixture.snapshot(dispatchedSecondsAgo: 181), at: Fixture.now).frame.bitmap
        #expect(Set(red.pixels).subtracting([0]) == [PixelFormat.bicolorRed])
    }

    /// A line too long for its zone starts readable at the left, rests there, scrolls at 32 px/s,
    /// and its next loop follows two characters behind, so the crew never sees a blank line.
    @Test func textThatDoesNotFitRestsAtTheLeftThenScrollsWithoutABlank() throws {
        let renderer = try Self.board("""
                - text: "11"
                  rect: [0, 0, 6, 5]
                  font: tiny
                  colour: red
                  overflow: scroll
            """, width: 6, height: 5)
        // "11" is 8 px wide and the gap two 5 px lines: a loop is a 2 s rest and 18 px at 32 px/s.
        let cycle = 2 + 18.0 / 32
        let start = Date(timeIntervalSince1970: cycle * 390_243_903)
        func frame(_ seconds: Double) -> Bitmap { renderer.render(Fixture.snapshot(), at: start.addingTimeInterval(seconds)).frame.bitmap }
        let resting = """
            .r...r
            rr..rr
            .r...r
            .r...r
            rrr.rr
            """
        expectPicture(frame(0), resting)
        expectPicture(frame(1.9), resting)
        expectPicture(frame(2 + 1.0 / 32), """
            r...r.
            r..rr.
            r...r.
            r...r.
            rr.rrr
            """)
        // The first loop has left; the next is already coming in.
        expectPicture(frame(2 + 14.0 / 32), """
            .....r
            ....rr
            .....r
            .....r
            ....rr
            """)
        expectPicture(frame(cycle), resting)
    }

    @Test func marqueeEntersFromTheRightOnePixelPerStep() throws {
        let renderer = try Self.board("""
                - marquee: "1"
                  rect: [0, 0, 6, 5]
                  font: tiny
                  colour: red
                  speed: 1
            """, width: 6, height: 5)
        // One cycle is the zone's width plus the text's (6 + 4 = 10 px), so time 10k starts one.
        let start = Date(timeIntervalSince1970: 1_000_000_000)
        let frames = (0..<4).map { step in
            renderer.render(Fixture.snapshot(), at: start.addingTimeInterval(Double(step * 2))).frame.bitmap
        }
        expectPicture(frames[0], "......\n......\n......\n......\n......")
        expectPicture(frames[1], """
            .....r
            ....rr
            .....r
            .....r
            ....rr
            """)
        expectPicture(frames[2], """
            ...r..
            ..rr..
            ...r..
            ...r..
            ..rrr.
            """)
        expectPicture(frames[3], """
            .r....
            rr....
            .r....
            .r....
            rrr...
            """)
    }

    @Test func criticalAlertsBlinkEveryHalfSecond() throws {
        let renderer = try Self.board("    []", width: 4, height: 5, alertWidgets: """
                - text: "1"
                  rect: [0, 0, 4, 5]
                  font: tiny
                  colour: red
                  blink: alert.critical
            """)
        let shown = renderer.render(Fixture.snapshot(priority: .critical), at: Fixture.now)
        let hidden = renderer.render(Fixture.snapshot(priority: .critical), at: Fixture.now.addingTimeInterval(0.5))
        #expect(shown.frame.bitmap.pixels.contains { $0 != 0 })
        #expect(!hidden.frame.bitmap.pixels.contains { $0 != 0 })
        #expect(hidden.frame.textAreas.map(\.blinks) == [true], "font-card boards get a flashing area instead")
        let routine = renderer.render(Fixture.snapshot(priority: .routine), at: Fixture.now.addingTimeInterval(0.5))
        #expect(routine.frame.bitmap.pixels.contains { $0 != 0 }, "a routine incident does not blink")
    }

    /// A critical alert dispatched in a dark half second shows lit at once, stays lit for a whole
    /// second after its dispatch, and then blinks in step with the half seconds.
    @Test func aNewCriticalAlertIsLitAtOnceThenBlinksInStep() throws {
        let renderer = try Self.board("    []", width: 4, height: 5, alertWidgets: """
                - text: "1"
                  rect: [0, 0, 4, 5]
                  font: tiny
                  colour: red
                  blink: alert.critical
            """)
        // Dispatched 0.6 s after a whole second, in its dark half.
        let dispatched = Fixture.now.addingTimeInterval(0.6)
        let snapshot = Fixture.snapshot(dispatchedSecondsAgo: -0.6, priority: .critical)
        let lit = [0.1, 0.9, 1.3].map { dispatched.addingTimeInterval($0) }
        let dark = [1.9, 3.1].map { dispatched.addingTimeInterval($0) }
        for moment in lit {
            #expect(renderer.render(snapshot, at: moment).frame.bitmap.pixels.contains { $0 != 0 }, "dark at dispatch + \(moment.timeIntervalSince(dispatched)) s")
        }
        for moment in dark {
            #expect(!renderer.render(snapshot, at: moment).frame.bitmap.pixels.contains { $0 != 0 }, "lit at dispatch + \(moment.timeIntervalSince(dispatched)) s")
        }
        // A board bound before that keeps drawing draws the same at each moment.
        var bound = renderer.bind(snapshot, staleSince: nil)
        for moment in (lit + dark).sorted() {
            #expect(bound.render(at: moment).frame.bitmap == renderer.render(snapshot, at: moment).frame.bitmap)
        }
    }

    @Test func pagesTurnOnTheirPeriod() throws {
        let renderer = try Self.board("""
                - pages:
                    - - text: "1"
                        rect: [0, 0, 4, 5]
                        font: tiny
                    - - text: "2"
                        rect: [0, 0, 4, 5]
                        font: tiny
                  every: 5
            """, kind: .wall, width: 4, height: 5, format: .mono)
        let first = Date(timeIntervalSince1970: 1_000_000_000)
        #expect(renderer.render(Fixture.snapshot(), at: first).output.strings == ["1"])
        #expect(renderer.render(Fixture.snapshot(), at: first.addingTimeInterval(4.9)).output.strings == ["1"])
        #expect(renderer.render(Fixture.snapshot(), at: first.addingTimeInterval(5)).output.strings == ["2"])
        #expect(renderer.render(Fixture.snapshot(), at: first.addingTimeInterval(10)).output.strings == ["1"])
    }

    /// Pages counted from the dispatch: the first page shows for a whole period from it, off the
    /// wall clock's grid, and the turning text area says so to a controller that turns pages.
    @Test func pagesCountFromTheMomentTheyAreGiven() throws {
        let renderer = try Self.board("    []", width: 4, height: 5, alertWidgets: """
                - pages:
                    - - text: "1"
                        rect: [0, 0, 4, 5]
                        font: tiny
                    - - text: "2"
                        rect: [0, 0, 4, 5]
                        font: tiny
                  every: 5
                  from: alert.dispatchedAt
            """)
        let dispatched = Fixture.now.addingTimeInterval(2.3)
        let snapshot = Fixture.snapshot(dispatchedSecondsAgo: -2.3)
        var shown: [String] = []
        for offset in [0, 2.8, 4.9, 5, 9.9, 10, 15] {
            shown += renderer.render(snapshot, at: dispatched.addingTimeInterval(offset)).output.strings
        }
        #expect(shown == ["1", "1", "1", "2", "2", "1", "2"], "on the wall clock's grid the second page would show from +2.7 s")
        let turning = try #require(renderer.render(snapshot, at: dispatched.addingTimeInterval(1)).frame.textAreas.first?.turning)
        #expect(turning.origin == dispatched.timeIntervalSince1970 && turning.page(at: dispatched.timeIntervalSince1970 + 6) == 1)
        var bound = renderer.bind(snapshot, staleSince: nil)
        _ = bound.render(at: dispatched.addingTimeInterval(1))
        #expect(bound.nextChange(after: dispatched.addingTimeInterval(1)) == dispatched.addingTimeInterval(5))
    }

    @Test func textAlignsInItsZone() throws {
        let renderer = try Self.board("""
                - text: "1"
                  rect: [0, 0, 9, 5]
                  font: tiny
                  align: centre
                - text: "7"
                  rect: [0, 5, 9, 5]
                  font: tiny
                  align: right
            """, kind: .wall, width: 9, height: 10, format: .mono)
        expectPicture(renderer.render(Fixture.snapshot(), at: Fixture.now).frame.bitmap, """
            ...#.....
            ..##.....
            ...#.....
            ...#.....
            ..###....
            .....###.
            .......#.
            .......#.
            ......#..
            ......#..
            """)
    }

    @Test func staleBannerShowsWhenTheDataStoppedOverEverything() throws {
        let renderer = try Self.board("""
                - box: green
                  rect: [0, 0, 12, 5]
            """, kind: .wall, width: 12, height: 5)
        let lastGood = Fixture.now.addingTimeInterval(-60)
        let bound = renderer.render(Fixture.snapshot(), staleSince: lastGood, at: Fixture.now)
        #expect(bound.output.strings == ["X14:29:00"])
        #expect(!bound.frame.bitmap.pixels.contains(PixelFormat.bicolorGreen), "the banner clears what is beneath it")
        let fresh = renderer.render(Fixture.snapshot(), at: Fixture.now)
        #expect(fresh.output.strings.isEmpty)
        let never = renderer.render(nil, at: Fixture.now)
        #expect(never.output.strings == ["X--:--:--"], "before any data the board says so")
    }

    @Test func kpiTileColoursAgainstItsTarget() throws {
        let renderer = try Self.board("""
                - kpi:
                    label: "A"
                    value: figures.callsWaiting
                    font: tiny
                    colour: green
                    thresholds:
                      - at: 1
                        colour: red
                  rect: [0, 0, 4, 10]
            """, kind: .wall, width: 4, height: 10)
        expectPicture(renderer.render(Fixture.snapshot(), at: Fixture.now).frame.bitmap, """
            .a..
            a.a.
            aaa.
            a.a.
            a.a.
            .r..
            rr..
            .r..
            .r..
            rrr.
            """)
    }

    @Test func tableRowsWithTimerColumnAndHighlight() throws {
        let renderer = try Self.board("""
                - table:
                    rows: incidents
                    font: tiny
                    rowHeight: 5
                    highlight: critical
                    highlightColour: red
                    colour: green
                    columns:
                      - value: "{{casualties}}"
                        width: 4
                      - elapsed: receivedAt
                        width: 20
                        thresholds:
                          - at: 900
                            colour: amber
                  rect: [0, 0, 24, 10]
            """, kind: .wall, width: 24, height: 10)
        let output = renderer.render(Fixture.snapshot(), at: Fixture.now)
        #expect(output.output.strings == ["1", "1", "2:45", "15:00"], "text cells first, then the timer column")
        let bitmap = output.frame.bitmap
        #expect(bitmap[1, 0] == PixelFormat.bicolorRed, "the critical row is highlighted")
        #expect(bitmap[1, 5] == PixelFormat.bicolorGreen)
        #expect((4..<24).contains { bitmap[$0, 9] == PixelFormat.bicolorAmber }, "15 minutes reaches the amber threshold")
    }

    /// With `gap`, a cell that fills its column still leaves the next column's text clear of it.
    @Test func tableColumnsKeepTheirGap() throws {
        let renderer = try Self.board("""
                - table:
                    rows: incidents
                    font: tiny
                    rowHeight: 5
                    gap: 2
                    highlight: critical
                    highlightColour: red
                    colour: green
                    columns:
                      - value: "{{casualties}}"
                        width: 4
                      - value: "{{casualties}}"
                        width: 6
                  rect: [0, 0, 10, 10]
            """, kind: .wall, width: 10, height: 10)
        expectPicture(renderer.render(Fixture.snapshot(), at: Fixture.now).frame.bitmap, """
            .r.....r..
            rr....rr..
            .r.....r..
            .r.....r..
            rrr...rrr.
            .g.....g..
            gg....gg..
            .g.....g..
            .g.....g..
            ggg...ggg.
            """)
    }

    @Test func statusGridColoursEachVehicle() throws {
        let renderer = try Self.board("""
                - grid:
                    font: tiny
                    cell: [4, 4]
                    colours:
                      7: green
                      1: red
                    other: amber
                  rect: [0, 0, 8, 8]
            """, kind: .wall, width: 8, height: 8)
        let bitmap = renderer.render(Fixture.snapshot(), at: Fixture.now).frame.bitmap
        #expect(bitmap[0, 0] == PixelFormat.bicolorRed, "急救3号 was dispatched: code 1")
        #expect(bitmap[4, 0] == PixelFormat.bicolorGreen, "急救5号 stands by: code 7")
        #expect(bitmap[0, 4] == PixelFormat.bicolorAmber, "急救8号 at scene: another code")
        #expect(bitmap[3, 0] == 0, "a one-pixel gap between cells")
        // Each label is cut out of its cell in `off`.
        expectPicture(bitmap, """
            rrr.ggg.
            rrr.ggg.
            r...g...
            ........
            aaa.aaa.
            aaa.aaa.
            a...a...
            ........
            """)
    }

    @Test func missingCharactersAreReportedAndStillDrawn() throws {
        let renderer = try Self.board("""
                - text: "{{station.name}}"
                  rect: [0, 0, 40, 5]
                  font: tiny
            """, kind: .door, width: 40, height: 5)
        let (frame, output) = renderer.render(Fixture.snapshot(), at: Fixture.now)
        #expect(output.missing.map(String.init).joined() == "越秀急救站")
        #expect(frame.missingCharacters.count == 5)
        #expect(frame.bitmap.pixels.contains { $0 != 0 }, "replacement boxes are drawn")
    }

    /// 14:30 in Beijing, the board's zone.
    @Test func clockShowsTheTimeOfDayInTheBoardsZone() throws {
        let renderer = try Self.board("""
                - clock: "HHmm"
                  rect: [0, 0, 16, 5]
                  font: tiny
                  colour: amber
            """, kind: .wall, width: 16, height: 5)
        expectPicture(renderer.render(Fixture.snapshot(), at: Fixture.now).frame.bitmap, """
            .a..a.a.aaa.aaa.
            aa..a.a...a.a.a.
            .a..aaa..aa.a.a.
            .a....a...a.a.a.
            aaa...a.aaa.aaa.
            """)
    }

    @Test func boxesFillOrOutlineTheirZone() throws {
        let renderer = try Self.board("""
                - box: red
                  rect: [0, 0, 3, 2]
                - box: green
                  rect: [3, 0, 4, 4]
                  filled: false
            """, kind: .wall, width: 7, height: 4)
        expectPicture(renderer.render(Fixture.snapshot(), at: Fixture.now).frame.bitmap, """
            rrrgggg
            rrrg..g
            ...g..g
            ...gggg
            """)
    }

    /// The test that draws each registered kind: a new kind needs a picture test and a line here.
    static let pictureTests = [
        "text": "textAlignsInItsZone",
        "marquee": "marqueeEntersFromTheRightOnePixelPerStep",
        "clock": "clockShowsTheTimeOfDayInTheBoardsZone",
        "timer": "turnoutTimerCountsFromDispatchAndChangesColourAtThresholds",
        "table": "tableRowsWithTimerColumnAndHighlight",
        "grid": "statusGridColoursEachVehicle",
        "kpi": "kpiTileColoursAgainstItsTarget",
        "pages": "pagesTurnOnTheirPeriod",
        "box": "boxesFillOrOutlineTheirZone",
        "bars": "ChartWidgetTests.horizontalBarsWithLabelsAndValuesColouredByThreshold",
        "line": "ChartWidgetTests.lineChartOfTheDayWithHourTicksAndNow",
        "donut": "ChartWidgetTests.donutSharesWithALegend",
        "stationPanel": "ChartWidgetTests.stationPanelShowsCountsAndVehicleChips",
        "seatPanel": "ChartWidgetTests.seatPanelColoursEachSeatByStateAndCountsItsTime",
        "legend": "ChartWidgetTests.legendNamesEachStatusColourWithItsCount",
        "map": "MapWidgetTests.districtsRoadsStationsIncidentsAndVehicles",
    ]

    @Test(arguments: LayoutLoader.widgetKinds)
    func everyRegisteredKindHasAPictureTest(kind: String) {
        #expect(Self.pictureTests[kind] != nil, "widget kind '\(kind)' has no picture test in WidgetPictureTests")
    }
}
