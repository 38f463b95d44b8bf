import Foundation
import Testing
import WallboardDispatch
import WallboardRender
import WallboardTestKit
@testable import WallboardLayout

/// A board sleeps until its picture can next change: each widget, and the bound board, says
/// when that is, and must never be wrong on the late side.
@Suite struct NextChangeTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
    static let style = TextStyle(fonts: [], colour: Thresholds(base: .red, rules: []), colourBy: nil, align: .centre, valign: .middle, overflow: .shrink)
    static let rect = Rect(x: 0, y: 0, width: 30, height: 7)
    /// 04:27:00 in Shanghai.
    static let minuteStart = Date(timeIntervalSince1970: 1_780_000_020)

    static func clock(_ pattern: String) -> TimeText {
        TimeText(id: 1, rect: rect, source: .clock(pattern: TimePattern(pattern), TimeFormatter(timeZone: zone)), chains: [WidgetPictureTests.tiny], style: style)
    }

    static func timer(since: Date, amberAt: Double) -> TimeText {
        let thresholds = Thresholds(base: .green, rules: [.init(comparison: .atLeast, limit: amberAt, colour: .amber)])
        return TimeText(id: 2, rect: rect, source: .elapsed(since: since, thresholds), chains: [WidgetPictureTests.tiny], style: style)
    }

    @Test func anHourAndMinuteClockChangesWithTheMinuteASecondsClockWithTheSecond() {
        let start = Self.minuteStart
        #expect(Self.clock("HH:mm").nextChange(after: start.addingTimeInterval(12.3)) == start.addingTimeInterval(60))
        #expect(Self.clock("HH:mm").nextChange(after: start.addingTimeInterval(59.9)) == start.addingTimeInterval(60))
        #expect(Self.clock("HH:mm:ss").nextChange(after: start.addingTimeInterval(12.3)) == start.addingTimeInterval(13))
    }

    /// A clock without a time of day sleeps until its text can change: a date until midnight,
    /// hours until the next hour, a month until its end; literal text never changes.
    @Test func aClockChangesWithTheFinestFieldItShows() {
        let start = Self.minuteStart.addingTimeInterval(0.5)
        // 2026-05-30 00:00 in Shanghai.
        let midnight = Date(timeIntervalSince1970: 1_780_070_400)
        #expect(Self.clock("M月d日 EEEE").nextChange(after: start) == midnight)
        #expect(Self.clock("EEE").nextChange(after: start) == midnight)
        #expect(Self.clock("M月d日").nextChange(after: midnight.addingTimeInterval(-0.001)) == midnight)
        #expect(Self.clock("M月d日").nextChange(after: midnight) == midnight.addingTimeInterval(86_400))
        #expect(Self.clock("HH时").nextChange(after: start) == Date(timeIntervalSince1970: 1_780_002_000), "05:00")
        #expect(Self.clock("yyyy年M月").nextChange(after: start) == Date(timeIntervalSince1970: 1_780_243_200), "June the first")
        #expect(Self.clock("值班").nextChange(after: start) == nil)
    }

    /// Across the days the clocks go forward and back (Berlin, 2026-03-29 and 2026-10-25), each
    /// clock's text stays the same until the change it reported, and differs there, unless the
    /// offset changed there without changing the text.
    @Test(arguments: ["M月d日 EEEE", "HH时", "HH:mm", "yyyy年M月"])
    func aClockAcrossADaylightSavingChange(pattern: String) throws {
        let zone = try #require(TimeZone(identifier: "Europe/Berlin"))
        let formatter = TimeFormatter(timeZone: zone)
        let timePattern = TimePattern(pattern)
        // Noon the day before each change, for two days.
        for start in [1_774_695_600.0, 1_792_839_600].map({ Date(timeIntervalSince1970: $0 + 12.3) }) {
            var moment = start
            var changes = 0
            while moment < start.addingTimeInterval(2 * 86_400) {
                let next = try #require(formatter.nextChange(of: timePattern, after: moment))
                #expect(next > moment)
                let text = formatter.string(moment, pattern: timePattern)
                let span = next.timeIntervalSince(moment)
                for probe in stride(from: 0.001, to: span, by: 59.0).map(moment.addingTimeInterval) + [next.addingTimeInterval(-0.001)] {
                    #expect(formatter.string(probe, pattern: timePattern) == text, "\(pattern) at \(probe): changed before \(next)")
                }
                let offsetChanged = zone.secondsFromGMT(for: next) != zone.secondsFromGMT(for: next.addingTimeInterval(-1))
                #expect(formatter.string(next, pattern: timePattern) != text || offsetChanged, "\(pattern): nothing changed at \(next)")
                moment = next
                changes += 1
            }
            #expect(changes >= 1)
        }
    }

    @Test func aTimerChangesOnItsWholeSecondsAndAtItsThreshold() {
        let since = Self.minuteStart.addingTimeInterval(0.25)
        let timer = Self.timer(since: since, amberAt: 120.5)
        #expect(timer.nextChange(after: since.addingTimeInterval(10.5)) == since.addingTimeInterval(11))
        #expect(timer.nextChange(after: since.addingTimeInterval(120.2)) == since.addingTimeInterval(120.5))
        #expect(timer.nextChange(after: since.addingTimeInterval(120.7)) == since.addingTimeInterval(121))
    }

    @Test func pagesTurnOnTheirPeriodAndTheirWidgetsMoveInBetween() throws {
        let still = try #require(TextWidget(id: 3, rect: Self.rect, text: "A", style: Self.style, chains: [WidgetPictureTests.tiny]))
        let pages = Pages(pages: [[Self.clock("HH:mm:ss")], [still]], seconds: 30)
        let start = Self.minuteStart
        // The clock's page shows first (04:27:00 is an even multiple of 30 s): it moves every second.
        #expect(pages.nextChange(after: start.addingTimeInterval(3.5)) == start.addingTimeInterval(4))
        // The still page shows until the next turn.
        #expect(pages.nextChange(after: start.addingTimeInterval(31)) == start.addingTimeInterval(60))
        #expect(Pages(pages: [[still]], seconds: 30).nextChange(after: start) == nil, "one still page never changes")
        #expect(still.nextChange(after: start) == nil)
    }

    @Test func blinkingChangesEveryHalfSecondOnceLit() throws {
        let text = try #require(TextWidget(id: 4, rect: Self.rect, text: "A", style: Self.style, chains: [WidgetPictureTests.tiny]))
        let start = Self.minuteStart
        let blinking = Blinking(content: text, litUntil: nil)
        #expect(blinking.nextChange(after: start.addingTimeInterval(0.2)) == start.addingTimeInterval(0.5))
        #expect(blinking.nextChange(after: start.addingTimeInterval(0.7)) == start.addingTimeInterval(1))
        let lit = Blinking(content: text, litUntil: start.addingTimeInterval(2))
        #expect(lit.nextChange(after: start.addingTimeInterval(0.7)) == start.addingTimeInterval(2.5), "lit throughout until its second ends")
    }

    /// The guard against a widget that lies: on every shipped layout, idle and alerting, with two
    /// alerts rotating (and two dispatched 0.6 s apart, taking short first turns), a departed
    /// vehicle's hold running out and the banner on, and idle from just before midnight to after
    /// it (where the dates turn), the frame drawn at any moment strictly between a frame's moment
    /// and the next change it reported is that frame, pixel for pixel and text area for text area.
    @Test(arguments: ShippedLayoutTests.files)
    func theFrameNeverChangesBeforeTheReportedChange(file: String) throws {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        var departed = Fixture.snapshot(dispatchedSecondsAgo: 80, departed: true, secondAlert: true)
        departed.vehicles[0].task?.departedAt = Fixture.now.addingTimeInterval(7 - layout.hold)
        // The second dispatch 0.6 s after the first: short first turns, then the rotation.
        var together = Fixture.snapshot(dispatchedSecondsAgo: 1.9, secondAlert: true)
        together.vehicles[1].task?.dispatchedAt = Fixture.now.addingTimeInterval(-1.3)
        let afternoon = Fixture.now.addingTimeInterval(-0.3)
        let cases: [(station: String, snapshot: DispatchSnapshot, staleSince: Date?, start: Date)] = [
            ("S2", Fixture.snapshot(), nil, afternoon),
            ("S1", Fixture.snapshot(dispatchedSecondsAgo: 118), nil, afternoon),
            ("S1", Fixture.snapshot(dispatchedSecondsAgo: 2.7), nil, afternoon),
            ("S1", departed, nil, afternoon),
            ("S1", together, nil, afternoon),
            ("S2", Fixture.snapshot(), Fixture.now.addingTimeInterval(-30), afternoon),
            // Fixture.now is 14:30:00: 2.3 seconds before the next midnight.
            ("S2", Fixture.snapshot(), nil, Fixture.now.addingTimeInterval(9.5 * 3600 - 2.3)),
        ]
        let walls = file.hasPrefix("wall-")
        for (station, snapshot, staleSince, start) in cases {
            let renderer = try Fixture.renderer(layout, stationID: station)
            var bound = renderer.bind(snapshot, staleSince: staleSince)
            var probe = renderer.bind(snapshot, staleSince: staleSince)
            var moment = start
            for _ in 0..<(walls ? 4 : 14) {
                let drawn = bound.render(at: moment).frame
                let next = bound.nextChange(after: moment)
                let until = min(next ?? moment.addingTimeInterval(90), moment.addingTimeInterval(90))
                guard until > moment else {
                    moment = moment.addingTimeInterval(0.7)
                    continue
                }
                let span = until.timeIntervalSince(moment)
                for fraction in [0.001, 0.3, 0.7] + [1 - 0.001 / span] {
                    let probed = moment.addingTimeInterval(span * fraction)
                    let frame = probe.render(at: probed).frame
                    #expect(frame.bitmap == drawn.bitmap, "\(file), station \(station): the picture changed at \(probed.timeIntervalSince(Fixture.now)) s, before the change reported at \(until.timeIntervalSince(Fixture.now)) s")
                    #expect(frame.textAreas == drawn.textAreas, "\(file), station \(station): the text areas changed at \(probed.timeIntervalSince(Fixture.now)) s")
                }
                moment = until
            }
        }
    }

    /// The door board at an idle station: its HH:mm clock and its pages turning on the half
    /// minute, so it changes twice a minute and sleeps in between.
    @Test func anIdleDoorBoardChangesTwiceAMinute() throws {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent("door-192x32-bicolor.yaml"))
        var bound = try Fixture.renderer(layout, stationID: "S2").bind(Fixture.snapshot(), staleSince: nil)
        // Fixture.now is 14:30:00.
        for (moment, next) in [(1.0, 30.0), (29.9, 30), (30, 60), (45.5, 60), (60, 90)] {
            _ = bound.render(at: Fixture.now.addingTimeInterval(moment))
            #expect(bound.nextChange(after: Fixture.now.addingTimeInterval(moment)) == Fixture.now.addingTimeInterval(next), "at +\(moment) s")
        }
        #expect(bound.doorState(at: Fixture.now)?.isAlerting == false)
    }
}
