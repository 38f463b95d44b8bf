import Foundation
import Testing
import WallboardDispatch
import WallboardLayout
import WallboardRender
import WallboardTestKit

/// The wall's charts and panels drawn with the 3×5 test font, from a small city whose names the
/// font can draw: stations A and B, categories A, B and C.
@Suite struct ChartWidgetTests {
    static let now = Fixture.now
    static let dayStart = now.addingTimeInterval(-52_200)

    /// Station A dispatched 3 runs today, B 1; categories A ×2, B, C; the calls rise over the hours.
    static func snapshot(seats: [Seat] = []) -> DispatchSnapshot {
        let stations = [
            Station(id: "S1", name: "A", district: "", sortOrder: 1, latitude: 23.10, longitude: 113.20),
            Station(id: "S2", name: "B", district: "", sortOrder: 2),
        ]
        let vehicles = [
            Vehicle(id: "V1", callSign: "1", plate: "", stationID: "S1", statusCode: 7),
            Vehicle(id: "V2", callSign: "2", plate: "", stationID: "S1", statusCode: 2, incidentID: "I1", latitude: 23.15, longitude: 113.25),
            Vehicle(id: "V3", callSign: "3", plate: "", stationID: "S1", statusCode: 9),
            Vehicle(id: "V4", callSign: "4", plate: "", stationID: "S2", statusCode: 7, latitude: 23.05, longitude: 113.35),
        ]
        let incidents = [
            Incident(id: "I1", receivedAt: now.addingTimeInterval(-300), priority: .critical, category: "A", complaint: "", incidentAddress: "", pickupAddress: "", latitude: 23.15, longitude: 113.35, vehicleIDs: ["V2"]),
        ]
        func hours(_ value: Double) -> Date { dayStart.addingTimeInterval(value * 3600) }
        let runs = [
            DayRun(dispatchedAt: hours(1), departedAt: hours(1.01), stationID: "S1", vehicleID: "V1", category: "A"),
            DayRun(dispatchedAt: hours(5), departedAt: hours(5.01), stationID: "S1", vehicleID: "V2", category: "B"),
            DayRun(dispatchedAt: hours(9), stationID: "S1", vehicleID: "V2", category: "A"),
            DayRun(dispatchedAt: hours(12), stationID: "S2", vehicleID: "V4", category: "C"),
        ]
        // Today: one call at 02:00, two at 06:00, three at 10:00 and four at 14:00; yesterday one every hour.
        var calls: [DayCall] = []
        for (hour, count) in [(2.0, 1), (6, 2), (10, 3), (14, 4)] {
            calls += (0..<count).map { _ in DayCall(receivedAt: hours(hour + 0.2), answeredAt: hours(hour + 0.2), seatID: "P1") }
        }
        calls += (0..<24).map { DayCall(receivedAt: dayStart.addingTimeInterval(Double($0) * 3600 - 86_400 + 60)) }
        let day = DayFigures(calls: calls, runs: runs, stations: stations, seats: seats, now: now, dayStart: dayStart, yesterdayStart: dayStart.addingTimeInterval(-86_400))
        let figures = DispatchFigures(callsToday: [], runsToday: [], vehicles: vehicles, stations: stations, now: now, dayStart: dayStart)
        return DispatchSnapshot(
            takenAt: now, dayStart: dayStart, sourceVersion: 1, stations: stations, vehicles: vehicles, incidents: incidents,
            waitingCalls: [], seats: seats, figures: figures, issues: [], day: day
        )
    }

    static func picture(_ widgets: String, width: Int, height: Int, format: PixelFormat = .rgb, snapshot: DispatchSnapshot = snapshot(), at moment: Date = now) throws -> (Bitmap, RenderOutput) {
        let renderer = try WidgetPictureTests.board(widgets, kind: .wall, width: width, height: height, format: format)
        let (frame, output) = renderer.render(snapshot, at: moment)
        return (frame.bitmap, output)
    }

    @Test func horizontalBarsWithLabelsAndValuesColouredByThreshold() throws {
        let (bitmap, output) = try Self.picture("""
                - bars:
                    rows: day.stations
                    label: name
                    value: dispatches
                    font: tiny
                    labelWidth: 5
                    colour: green
                    thresholds:
                      - at: 3
                        colour: red
                  rect: [0, 0, 20, 12]
            """, width: 20, height: 12)
        // A's 3 runs fill the room between the labels and the value column (20 - 5 - 6 = 9 px) and are red; B's 1 is a third.
        expectPicture(bitmap, """
            .w...rrrrrrrrr.www..
            w.w..rrrrrrrrr...w..
            www..rrrrrrrrr..ww..
            w.w..rrrrrrrrr...w..
            w.w..rrrrrrrrr.www..
            ....................
            ww...ggg..w.........
            w.w..ggg.ww.........
            ww...ggg..w.........
            w.w..ggg..w.........
            ww...ggg.www........
            ....................
            """)
        #expect(output.strings == ["A", "3", "B", "1"])
        #expect(output.missing.isEmpty)
    }

    @Test func verticalBarsStandOnTheirLabels() throws {
        let (bitmap, _) = try Self.picture("""
                - bars:
                    rows: day.stations
                    label: name
                    value: dispatches
                    font: tiny
                    orientation: vertical
                    max: 3
                  rect: [0, 0, 8, 16]
            """, width: 8, height: 16, format: .mono)
        expectPicture(bitmap, """
            ###.....
            ..#.....
            .##.....
            ..#.....
            ###..#..
            .##.##..
            .##..#..
            .##..#..
            .##.###.
            .##..##.
            .##..##.
            .#..##..
            #.#.#.#.
            ###.##..
            #.#.#.#.
            #.#.##..
            """)
    }

    @Test func lineChartOfTheDayWithHourTicksAndNow() throws {
        // 24 hours in 24 px; the plot is 16 - 5 - 3 = 8 px high; now is 14:30.
        let (bitmap, output) = try Self.picture("""
                - line:
                    rows: day.hours
                    series:
                      - value: calls
                        colour: green
                      - value: callsYesterday
                        colour: "#0000FF"
                    font: tiny
                    tick: hour
                    tickEvery: 12
                    axis: white
                    now: day.hoursIntoDay
                    nowColour: red
                    max: 4
                  rect: [0, 0, 24, 16]
            """, width: 24, height: 16)
        expectPicture(bitmap, """
            ..............r.........
            ..............r.........
            ..........g...r.........
            ......g...g...r.........
            ......g...g..gr.........
            bbgbbbggbgbgbgrbbbbbbbbb
            ..gg.g.g.g.g.gr.........
            gg.ggg.ggg.gggr.........
            wwwwwwwwwwwwwwrwwwwwwwww
            w...........w.r.........
            w...........w.r.........
            www......w..www.........
            w.w.....ww....w.........
            w.w......w..www.........
            w.w......w..w...........
            www.....www.www.........
            """)
        #expect(output.strings == ["0", "12"])
    }

    @Test func donutSharesWithALegend() throws {
        let (bitmap, output) = try Self.picture("""
                - donut:
                    rows: day.categories
                    label: name
                    value: count
                    font: tiny
                    colours: [red, green, "#0000FF"]
                    hole: 0.4
                  rect: [0, 0, 40, 21]
            """, width: 40, height: 21)
        expectPicture(bitmap, """
            .......bbbrrr...........................
            .....bbbbbrrrrr.............w......www..
            ...bbbbbbbrrrrrrr.....rrr..w.w.......w..
            ..bbbbbbbbrrrrrrrr....rrr..www.....www..
            ..bbbbbbbbrrrrrrrr....rrr..w.w.....w....
            .bbbbbbbbbrrrrrrrrr........w.w.....www..
            .bbbbbbb....rrrrrrr.....................
            bbbbbbb......rrrrrrr....................
            bbbbbb........rrrrrr.......ww.......w...
            bbbbbb........rrrrrr..ggg..w.w.....ww...
            gggggg........rrrrrr..ggg..ww.......w...
            gggggg........rrrrrr..ggg..w.w......w...
            ggggggg......rrrrrrr.......ww......www..
            .ggggggg....rrrrrrr.....................
            .gggggggggrrrrrrrrr.....................
            ..ggggggggrrrrrrrr.........www......w...
            ..ggggggggrrrrrrrr....bbb..w.......ww...
            ...gggggggrrrrrrr.....bbb..w........w...
            .....gggggrrrrr.......bbb..w........w...
            .......gggrrr..............www.....www..
            ........................................
            """)
        #expect(output.strings == ["A 2", "B 1", "C 1"])
    }

    @Test func stationPanelShowsCountsAndVehicleChips() throws {
        let (bitmap, output) = try Self.picture("""
                - stationPanel:
                    font: tiny
                    counts: "{{standbyCount}}-{{onTaskCount}}"
                    chip: [3, 2]
                    colours:
                      7: green
                      2: red
                      9: white
                  rect: [0, 0, 24, 18]
            """, width: 24, height: 18)
        expectPicture(bitmap, """
            .w..........g.......g...
            w.w........gg......gg...
            www.........g..ggg..g...
            w.w.........g.......g...
            w.w........ggg.....ggg..
            ........................
            ggg.rrr.www.............
            ggg.rrr.www.............
            ........................
            ww..........g......ggg..
            w.w........gg......g.g..
            ww..........g..ggg.g.g..
            w.w.........g......g.g..
            ww.........ggg.....ggg..
            ........................
            ggg.....................
            ggg.....................
            ........................
            """)
        #expect(output.strings == ["A", "1-1", "B", "1-0"])
    }

    @Test func seatPanelColoursEachSeatByStateAndCountsItsTime() throws {
        let seats = [
            Seat(id: "P1", name: "1", dispatcherName: "A", state: .talking, stateSince: Self.now.addingTimeInterval(-65)),
            Seat(id: "P2", name: "2", dispatcherName: "B", state: .idle),
        ]
        let widget = """
                - seatPanel:
                    font: tiny
                    title: "{{name}} {{dispatcher}}"
                    detail: "{{callsToday}}"
                  rect: [0, 0, 60, 24]
            """
        let (bitmap, output) = try Self.picture(widget, width: 60, height: 24, snapshot: Self.snapshot(seats: seats))
        expectPicture(bitmap, """
            rr...w.......w..............................................
            rr..ww......w.w.............................................
            rr...w......www.............................................
            rr...w......w.w.............................................
            rr..www.....w.w.............................................
            rr...r..rrr.................................r......rrr.rrr..
            rr..rr..r.r................................rr...r..r.r.r....
            rr...r..r.r.................................r......r.r.rrr..
            rr...r..r.r.................................r...r..r.r...r..
            rr..rrr.rrr................................rrr.....rrr.rrr..
            rr..........................................................
            ............................................................
            gg..www.....ww..............................................
            gg....w.....w.w.............................................
            gg..www.....ww..............................................
            gg..w.......w.w.............................................
            gg..www.....ww..............................................
            gg..ggg.....................................................
            gg..g.g.....................................................
            gg..g.g.....................................................
            gg..g.g.....................................................
            gg..ggg.....................................................
            gg..........................................................
            ............................................................
            """)
        #expect(output.strings == ["1 A", "10", "1:05", "2 B", "0"])
        let later = try Self.picture(widget, width: 60, height: 24, snapshot: Self.snapshot(seats: seats), at: Self.now.addingTimeInterval(10))
        #expect(later.1.strings.contains("1:15"), "the time in state counts on between snapshots")
    }

    @Test func legendNamesEachStatusColourWithItsCount() throws {
        let (bitmap, output) = try Self.picture("""
                - legend:
                    font: tiny
                    codes: [7, 2]
                    counts: true
                    colours:
                      7: green
                      2: red
                  rect: [0, 0, 32, 14]
            """, width: 32, height: 14)
        // The test font has no hanzi: each is drawn as a replacement box, the count after them.
        expectPicture(bitmap, """
            ................................
            .........................www....
            ggg........................w....
            ggg..www.www.www.www.....www....
            ggg..w.w.w.w.w.w.w.w.....w......
            .....www.www.www.www.....www....
            ................................
            ................................
            ..........................w.....
            rrr......................ww.....
            rrr..www.www.www.www......w.....
            rrr..w.w.w.w.w.w.w.w......w.....
            .....www.www.www.www.....www....
            ................................
            """)
        #expect(output.strings == ["站内待命 2", "驶向现场 1"])
        #expect(output.missing.count == 8, "each missing character is reported")
    }
}
