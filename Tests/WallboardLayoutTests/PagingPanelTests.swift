import Foundation
import Testing
import WallboardDispatch
import WallboardLayout
import WallboardRender

/// Panels given more stations or seats than their rectangle holds show them a page at a time,
/// in the same font, each page for `every` seconds; drawn with the 3×5 test font, the stations and
/// seats named 1 to 5.
@Suite struct PagingPanelTests {
    static let now = Fixture.now
    static let names = (1...5).map(String.init)

    static func city() -> DispatchSnapshot {
        let dayStart = now.addingTimeInterval(-52_200)
        let stations = names.enumerated().map { Station(id: "S\($1)", name: $1, district: "", sortOrder: $0) }
        let seats = names.map { Seat(id: "P\($0)", name: $0, dispatcherName: "", state: .idle) }
        // Ten dispatches a station: a bar's value is never taken for a station's name.
        let runs = stations.flatMap { station in
            (0..<10).map { DayRun(dispatchedAt: dayStart.addingTimeInterval(3600 + Double($0) * 60), stationID: station.id, vehicleID: "V1", category: "A") }
        }
        let day = DayFigures(calls: [], runs: runs, stations: stations, seats: seats, now: now, dayStart: dayStart, yesterdayStart: dayStart.addingTimeInterval(-86_400))
        let figures = DispatchFigures(callsToday: [], runsToday: [], vehicles: [], stations: stations, now: now, dayStart: dayStart)
        return DispatchSnapshot(
            takenAt: now, dayStart: dayStart, sourceVersion: 1, stations: stations, vehicles: [], incidents: [],
            waitingCalls: [], seats: seats, figures: figures, issues: [], day: day
        )
    }

    /// The station or seat names drawn at each of three moments `every` seconds apart.
    static func namesShown(_ widget: String, width: Int, height: Int, every seconds: Double = 8) throws -> [[String]] {
        let renderer = try WidgetPictureTests.board(widget, kind: .wall, width: width, height: height, format: .rgb)
        var bound = renderer.bind(city(), staleSince: nil)
        return (0..<3).map { page in
            let output = bound.render(at: now.addingTimeInterval(Double(page) * seconds)).output
            return output.strings.filter(names.contains)
        }
    }

    /// Three consecutive pages hold 1 2, 3 4 and 5, in turn from whichever shows first.
    static func expectPagesInTurn(_ shown: [[String]], sourceLocation: SourceLocation = #_sourceLocation) {
        let pages = [["1", "2"], ["3", "4"], ["5"]]
        guard let first = pages.firstIndex(of: shown[0]) else {
            Issue.record("the first page shows \(shown[0])", sourceLocation: sourceLocation)
            return
        }
        #expect(shown == (0..<3).map { pages[(first + $0) % 3] }, sourceLocation: sourceLocation)
    }

    @Test func stationsThatDoNotFitArePagedNotShrunk() throws {
        // Two cards of 9 rows each fit the 18 rows.
        let shown = try Self.namesShown("""
                - stationPanel:
                    font: tiny
                    counts: "{{standbyCount}}"
                    chip: [3, 2]
                  rect: [0, 0, 24, 18]
            """, width: 24, height: 18)
        Self.expectPagesInTurn(shown)
    }

    @Test func seatsThatDoNotFitArePagedForTheSecondsAsked() throws {
        // Two cards of 12 rows each fit the 24 rows.
        let shown = try Self.namesShown("""
                - seatPanel:
                    font: tiny
                    title: "{{name}}"
                    detail: "{{callsToday}}"
                    every: 5
                  rect: [0, 0, 60, 24]
            """, width: 60, height: 24, every: 5)
        Self.expectPagesInTurn(shown)
    }

    @Test func barsThatDoNotFitAreShownAPageAtATimeOnOneScale() throws {
        let widget = """
                - bars:
                    rows: day.stations
                    label: name
                    value: dispatches
                    font: tiny
                    labelWidth: 6
                    colour: green
                  rect: [0, 0, 40, 10]
            """
        Self.expectPagesInTurn(try Self.namesShown(widget, width: 40, height: 10))
        // Every station dispatched as often: every bar is the full length, whatever page it is on.
        let renderer = try WidgetPictureTests.board(widget, kind: .wall, width: 40, height: 10, format: .rgb)
        var bound = renderer.bind(Self.city(), staleSince: nil)
        let lengths = (0..<3).map { page in
            let bitmap = bound.render(at: Self.now.addingTimeInterval(Double(page) * 8)).frame.bitmap
            return (0..<40).filter { bitmap.colour(x: $0, y: 2) == RGB.green }.count
        }
        #expect(Set(lengths).count == 1 && lengths[0] > 0, "bar lengths per page: \(lengths)")
    }
}
