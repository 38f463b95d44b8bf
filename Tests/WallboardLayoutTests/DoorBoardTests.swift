import Foundation
import Testing
import WallboardDispatch
import WallboardLayout
import WallboardRender

/// The door board's states on a simulated timeline: idle → alert → rotation → idle.
@Suite struct DoorBoardTests {
    static func doorBoard(station: String = "S1") throws -> BoardRenderer {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent("door-192x32-bicolor.yaml"))
        return try Fixture.renderer(layout, stationID: station)
    }

    @Test func alertsOnlyTheStationWhoseVehicleWasDispatched() throws {
        let snapshot = Fixture.snapshot()
        let own = try Self.doorBoard(station: "S1").render(snapshot, at: Fixture.now).output.strings
        #expect(own.first == "急救3号 粤A·12345")
        let other = try Self.doorBoard(station: "S2").render(snapshot, at: Fixture.now).output.strings
        #expect(other.first == "天河急救站", "S2's vehicle is at the scene, not newly dispatched: its board stays idle")
    }

    /// The timer's text area says how it goes on counting, and that is what the widget draws in
    /// each second to come, colours included: a font card can be sent the seconds ahead.
    @Test func theTimersCountingIsWhatItDrawsInTheSecondsToCome() throws {
        let board = try Self.doorBoard()
        let snapshot = Fixture.snapshot()
        let timer = try #require(board.render(snapshot, at: Fixture.now).frame.textAreas.first { $0.counting != nil })
        let counting = try #require(timer.counting)
        var colours: Set<Color> = []
        for second in 0..<240 {
            let moment = Fixture.now.addingTimeInterval(Double(second) + 0.3)
            let drawn = try #require(board.render(snapshot, at: moment).frame.textAreas.first { $0.id == timer.id })
            #expect(drawn.runs == [counting.run(at: moment.timeIntervalSince1970)], "at +\(second) s")
            #expect(drawn.counting == counting)
            colours.formUnion(drawn.runs.map(\.colour))
        }
        #expect(colours == [.green, .amber, .red])
        #expect(TextArea.Counting(since: counting.since + 1, text: counting.text) != counting, "a timer restarted counts otherwise")
    }

    @Test func alertLastsUntilDepartureAndTheHold() throws {
        let board = try Self.doorBoard()
        let dispatched = Fixture.now.addingTimeInterval(-95)
        // Not departed: alert whatever the time.
        #expect(board.render(Fixture.snapshot(), at: Fixture.now.addingTimeInterval(600)).output.strings.first == "急救3号 粤A·12345")
        // Departed 60 s after dispatch; the layout holds the alert 30 s more.
        let departed = Fixture.snapshot(departed: true)
        #expect(board.render(departed, at: dispatched.addingTimeInterval(89)).output.strings.first == "急救3号 粤A·12345")
        #expect(board.render(departed, at: dispatched.addingTimeInterval(90)).output.strings.first == "越秀急救站")
    }

    /// "1/1" says nothing: the counter shows only while several alerts take turns.
    @Test func theAlertCounterShowsOnlyWhenAlertsTakeTurns() throws {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent("door-256x64-bicolor.yaml"))
        let board = try Fixture.renderer(layout, stationID: "S1")
        let single = board.render(Fixture.snapshot(), at: Fixture.now).output.strings
        #expect(single.contains { $0.contains("胸痛") }, "\(single)")
        #expect(!single.contains { $0.contains("1/1") }, "\(single)")
        let rotating = stride(from: 0.0, to: 16, by: 1).flatMap { offset in
            board.render(Fixture.snapshot(secondAlert: true), at: Fixture.now.addingTimeInterval(offset)).output.strings
        }
        #expect(rotating.contains { $0.hasSuffix(" 1/2") } && rotating.contains { $0.hasSuffix(" 2/2") }, "\(rotating)")
    }

    @Test func concurrentDispatchesRotateEachWithItsOwnTimer() throws {
        let board = try Self.doorBoard()
        let snapshot = Fixture.snapshot(secondAlert: true)
        let state = DoorBoardState(snapshot: snapshot, stationID: "S1", now: Fixture.now, hold: 30)
        #expect(state.alerts.map(\.vehicle.callSign) == ["急救3号", "急救5号"], "oldest dispatch first")
        var shown: [String: String] = [:]
        for offset in stride(from: 0.0, to: 16, by: 1) {
            let strings = board.render(snapshot, at: Fixture.now.addingTimeInterval(offset)).output.strings
            if let vehicle = strings.first { shown[vehicle] = strings[1] }
        }
        #expect(Set(shown.keys) == ["急救3号 粤A·12345", "急救5号 粤A·23456"], "both alerts are shown within two rotations")
        #expect(shown.values.allSatisfy { $0.contains(":") })
        #expect(shown["急救3号 粤A·12345"] != shown["急救5号 粤A·23456"], "each alert counts from its own dispatch")
    }

    /// A new dispatch shows from its moment on for a whole turn, whatever the wall clock's
    /// second, then the alerts take turns oldest first.
    @Test func aNewDispatchShowsAtOnceForAWholeTurn() throws {
        let state = DoorBoardState(snapshot: Fixture.snapshot(secondAlert: true), stationID: "S1", now: Fixture.now, hold: 30)
        let newest = try #require(state.alerts.last)
        #expect(state.alerts.map(\.vehicle.callSign) == ["急救3号", "急救5号"])
        func shown(_ offset: Double) -> String? {
            state.turn(at: newest.dispatchedAt.addingTimeInterval(offset), rotation: 8).map { state.alerts[$0.index].vehicle.callSign }
        }
        #expect([0, 4, 7.9].map(shown) == ["急救5号", "急救5号", "急救5号"], "the newest alert, from its dispatch on")
        #expect([8, 15.9, 16, 24].map(shown) == ["急救3号", "急救3号", "急救5号", "急救3号"], "then in turns")
        #expect(shown(-2) == "急救5号", "a dispatch stamped ahead of this clock shows as just made")
    }

    /// The station's door board with its first vehicles (up to four) dispatched `offsets` seconds
    /// after `Fixture.now`, in that order.
    static func state(dispatchedAt offsets: [Double]) throws -> DoorBoardState {
        var snapshot = Fixture.snapshot(secondAlert: true)
        for (number, offset) in offsets.enumerated() {
            let id = "V\(number + 1)"
            let index = try #require(snapshot.vehicles.firstIndex { $0.id == id })
            snapshot.vehicles[index].stationID = "S1"
            snapshot.vehicles[index].statusCode = 1
            snapshot.vehicles[index].status = .orderReceived
            snapshot.vehicles[index].task = VehicleTask(id: "T\(id)", incidentID: "I1", vehicleID: id, dispatchedAt: Fixture.now.addingTimeInterval(offset))
        }
        return DoorBoardState(snapshot: snapshot, stationID: "S1", now: Fixture.now, hold: 30)
    }

    /// The call signs on show at each offset from `Fixture.now`, and the turns they belong to.
    static func shown(_ state: DoorBoardState, at offsets: [Double]) -> [String] {
        offsets.map { offset in
            guard let turn = state.turn(at: Fixture.now.addingTimeInterval(offset), rotation: 8) else { return "idle" }
            return "\(state.alerts[turn.index].vehicle.callSign)#\(turn.number)"
        }
    }

    /// A dispatch that comes before the alert it interrupts has had its first turn (a font card
    /// may still be holding that alert's frame for its second) shows at once, but only for
    /// `firstTurn`: then the alert it cut short, and only then the newest's whole turn. No crew
    /// waits a whole rotation for its first sight of its call sign.
    @Test func aDispatchRightAfterAnotherLeavesItAFirstTurn() throws {
        #expect(DoorBoardState.firstTurn == 2)
        let two = try Self.state(dispatchedAt: [0, 0.5])
        #expect(Self.shown(two, at: [0.5, 2.4, 2.5, 4.4, 4.5, 12.4, 12.5, 20.5]) == [
            "急救5号#0", "急救5号#0", "急救3号#1", "急救3号#1", "急救5号#2", "急救5号#2", "急救3号#3", "急救5号#4",
        ])
        let turn = try #require(two.turn(at: Fixture.now.addingTimeInterval(3), rotation: 8))
        #expect(turn.end == Fixture.now.addingTimeInterval(4.5), "the cut-short alert's turn ends \(turn.end.timeIntervalSince(Fixture.now)) s on")

        // The first alert was on show for its first turn: the second takes its whole turn at once.
        let apart = try Self.state(dispatchedAt: [0, 2])
        #expect(Self.shown(apart, at: [2, 9.9, 10, 18]) == ["急救5号#0", "急救5号#0", "急救3号#1", "急救5号#2"])

        // Three in a row, each before the one before had its first turn: the newest, then the
        // others in dispatch order, 2 s each.
        let three = try Self.state(dispatchedAt: [0, 0.5, 1])
        #expect(Self.shown(three, at: [1, 3, 5, 7, 15]) == ["急救8号#0", "急救3号#1", "急救5号#2", "急救8号#3", "急救3号#4"])

        // The second cut short the first; the third comes 3 s later, in the first's owed turn
        // (from 2.5 s): the first is still owed, the second had its 2 s.
        let chain = try Self.state(dispatchedAt: [0, 0.5, 3.5])
        #expect(Self.shown(chain, at: [3.5, 5.5, 7.5]) == ["急救8号#0", "急救3号#1", "急救8号#2"])

        // Four within 1.5 s: each waits at most 2 s a turn for every one dispatched before it.
        let four = try Self.state(dispatchedAt: [0, 0.5, 1, 1.5])
        #expect(Self.shown(four, at: [1.5, 3.5, 5.5, 7.5, 9.5, 17.5]) == [
            "急救9号#0", "急救3号#1", "急救5号#2", "急救8号#3", "急救9号#4", "急救3号#5",
        ])

        // Both of the first two had their first turns before the third: it takes its whole turn at once.
        let later = try Self.state(dispatchedAt: [0, 0.5, 5])
        #expect(Self.shown(later, at: [5, 12.9, 13]) == ["急救8号#0", "急救8号#0", "急救3号#1"])

        // A dispatch stamped ahead of this clock counts as just made.
        #expect(Self.shown(two, at: [-3]) == ["急救5号#0"])
    }

    @Test func arrivalAtTheSceneEndsTheAlert() throws {
        var snapshot = Fixture.snapshot()
        snapshot.vehicles[0].task?.atSceneAt = Fixture.now
        snapshot.vehicles[0].statusCode = 3
        snapshot.vehicles[0].status = .atScene
        #expect(!DoorBoardState(snapshot: snapshot, stationID: "S1", now: Fixture.now, hold: 600).isAlerting)
    }

    @Test func idleBoardShowsStationTimeAndStandby() throws {
        let board = try Self.doorBoard(station: "S1")
        var snapshot = Fixture.snapshot()
        snapshot.vehicles[0].task = nil
        snapshot.vehicles[0].statusCode = 7
        snapshot.vehicles[0].status = .standby
        // Pages turn every 30 s: the date first, then the vehicles on standby.
        let page = 30.0
        let start = Date(timeIntervalSince1970: (Fixture.now.timeIntervalSince1970 / (2 * page)).rounded(.down) * 2 * page)
        let datePage = board.render(snapshot, at: start).output.strings
        #expect(datePage == ["越秀急救站", "14:30", "11月21日 星期六"])
        let standbyPage = board.render(snapshot, at: start.addingTimeInterval(page)).output.strings
        #expect(standbyPage.last == "待命 急救3号 急救5号 ")
    }
}
