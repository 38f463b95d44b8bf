import Foundation
import Testing
import WallboardTestKit
import WallboardDispatch
import WallboardLayout
import WallboardRender

/// Drawing from cached layers must give exactly the pixels and text of drawing from scratch.
@Suite struct IncrementalRenderTests {
    @Test(arguments: ShippedLayoutTests.files)
    func framesFromTheCacheMatchFreshFrames(file: String) throws {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        let renderer = try Fixture.renderer(layout)
        var changed = Fixture.snapshot(secondAlert: true)
        changed.vehicles[3].statusCode = 7
        changed.vehicles[3].status = .standby
        changed.incidents[1].complaint = "两车相撞 3人受伤"
        let snapshots = [Fixture.snapshot(), changed, Fixture.snapshot(departed: true), Fixture.snapshot()]
        var bound = renderer.bind(snapshots[0], staleSince: nil)
        for (step, snapshot) in snapshots.enumerated() {
            if step > 0 { bound.rebind(snapshot, staleSince: step == 2 ? Fixture.now.addingTimeInterval(-30) : nil) }
            for offset in [0.0, 0.5, 1.0, 7.25, 61] {
                let moment = Fixture.now.addingTimeInterval(offset)
                let cached = bound.render(at: moment)
                let fresh = renderer.render(snapshot, staleSince: step == 2 ? Fixture.now.addingTimeInterval(-30) : nil, at: moment)
                #expect(cached.frame.bitmap == fresh.frame.bitmap, "\(file) differs at step \(step), +\(offset) s")
                #expect(cached.output.strings == fresh.output.strings)
                #expect(cached.frame.textAreas == fresh.frame.textAreas)
            }
        }
    }

    /// A door board whose moving widgets overlap: the blinking call sign, the timer over its
    /// end, an address scrolling across both, pages beneath, and the banner over all of them.
    static let overlappingLayout = """
        board:
          kind: door
          width: 96
          height: 32
          format: bicolor
          privacy: public
          hold: 30
          rotation: 4
        stale:
          rect: [0, 8, 96, 16]
          font: cjk-12
          colour: red
          text: "中断 {time}"
        states:
          idle:
            - clock: "HH:mm:ss"
              rect: [0, 0, 96, 16]
              font: clock-16
              colour: red
          alert:
            - text: "{{alert.vehicle.callSign}} {{alert.vehicle.plate}}"
              rect: [0, 0, 64, 16]
              font: cjk-16
              colour: red
              blink: alert.critical
            - timer: alert.dispatchedAt
              rect: [48, 0, 48, 16]
              font: clock-16
              colour: green
              align: right
              thresholds:
                - at: 120
                  colour: amber
            - marquee: "{{alert.incident.pickupAddress}} {{alert.incident.landmark}}"
              rect: [0, 10, 96, 12]
              font: cjk-12
              colour: amber
              speed: 7
            - pages:
                - - clock: "HH:mm:ss"
                    rect: [0, 20, 96, 12]
                    font: cjk-12
                    colour: green
                - - text: "[{{alert.incident.priority}}] {{alert.incident.complaint}}"
                    rect: [0, 20, 96, 12]
                    font: cjk-12
                    colour: red
              every: 3
        """

    /// Frame after frame at ten a second (and once back in time, as a stepped clock goes), a
    /// board keeps what did not move from the frame before: every frame must still be exactly
    /// a fresh frame. On the way a timer turns amber, two alerts rotate, a departed vehicle's
    /// hold runs out, pages turn and the banner comes and goes.
    @Test(arguments: ShippedLayoutTests.files.filter { $0.hasPrefix("door-") } + ["overlapping.yaml"])
    func framesKeptFromTheFrameBeforeMatchFreshFrames(file: String) throws {
        let layout = file == "overlapping.yaml"
            ? try Fixture.loader().load(Self.overlappingLayout, file: file, name: "overlapping")
            : try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        let renderer = try Fixture.renderer(layout)
        var snapshot = Fixture.snapshot(dispatchedSecondsAgo: 110, secondAlert: true)
        // The second alert's vehicle has left; its hold runs out 12 s from now.
        snapshot.vehicles[1].task?.departedAt = Fixture.now.addingTimeInterval(12 - layout.hold)
        var bound = renderer.bind(snapshot, staleSince: nil)
        let moments = (0..<160).map { Fixture.now.addingTimeInterval(Double($0) / 10 - 0.05) }
            + [Fixture.now.addingTimeInterval(3.05), Fixture.now.addingTimeInterval(3.15)]
        for (frame, moment) in moments.enumerated() {
            let staleSince = (60..<90).contains(frame) ? Fixture.now : nil
            if frame == 60 || frame == 90 { bound.rebind(snapshot, staleSince: staleSince) }
            let cached = bound.render(at: moment)
            let fresh = renderer.render(snapshot, staleSince: staleSince, at: moment)
            let offset = moment.timeIntervalSince(Fixture.now)
            #expect(cached.frame.bitmap == fresh.frame.bitmap, "\(file): pixels differ at frame \(frame), +\(offset) s")
            #expect(cached.output.strings == fresh.output.strings, "\(file): strings differ at frame \(frame)")
            #expect(cached.frame.textAreas == fresh.frame.textAreas, "\(file): text areas differ at frame \(frame)")
        }
    }

    /// A board that shows what rebinding keeps from one snapshot to the next: the vehicle grid,
    /// each vehicle's station, each station's standby count, each incident's vehicles and the
    /// masked personal data.
    static let rowsLayout = """
        board:
          kind: wall
          width: 640
          height: 272
          format: rgb
          privacy: internal
        states:
          main:
            - text: "待命{{figures.vehiclesDispatchable}} 任务{{figures.vehiclesOnTask}} 停用{{figures.vehiclesOutOfService}}"
              rect: [0, 0, 240, 16]
              font: cjk-16
              colour: white
            - grid:
                font: cjk-12
                cell: [60, 16]
                colours:
                  1: amber
                  2: red
                  3: red
                  7: green
                  9: "#808080"
                other: "#FF00FF"
              rect: [0, 16, 240, 64]
            - table:
                rows: vehicles
                font: cjk-12
                rowHeight: 14
                colour: white
                columns:
                  - title: "车"
                    value: "{{callSign}}"
                    width: 60
                  - title: "站"
                    value: "{{station}}"
                    width: 100
                  - title: "状态"
                    value: "{{statusName}}"
                    width: 80
              rect: [240, 0, 240, 272]
            - table:
                rows: incidents
                font: cjk-12
                rowHeight: 14
                highlight: critical
                highlightColour: red
                colour: white
                columns:
                  - title: "车辆"
                    value: "{{vehicles}}"
                    width: 100
                  - title: "患者"
                    value: "{{patientName}}"
                    width: 50
                  - title: "电话"
                    value: "{{callbackPhone}}"
                    width: 90
              rect: [0, 80, 240, 140]
            - table:
                rows: calls
                font: cjk-12
                rowHeight: 14
                colour: amber
                columns:
                  - title: "来电"
                    value: "{{callerPhone}}"
                    width: 240
              rect: [0, 220, 240, 52]
            - table:
                rows: stations
                font: cjk-12
                rowHeight: 14
                colour: white
                columns:
                  - title: "站"
                    value: "{{name}}"
                    width: 100
                  - title: "待命"
                    value: "{{standbyCount}}"
                    width: 60
              rect: [480, 0, 160, 272]
        """

    /// What can change between two snapshots, one at a time.
    enum Change: CaseIterable {
        case status, removeVehicle, addVehicle, renameStation, callSign, patient, caller, nothing
    }

    /// The fixture city with more vehicles, so that the grid has rows of cells to shift.
    static func city() -> DispatchSnapshot {
        var snapshot = Fixture.snapshot(secondAlert: true)
        snapshot.stations.append(Station(id: "S3", name: "海珠急救站", district: "海珠区", sortOrder: 3))
        for number in 0..<8 {
            snapshot.vehicles.append(Vehicle(
                id: "W\(number)", callSign: "急救\(20 + number)号", plate: "粤A·9\(number)000", stationID: ["S1", "S2", "S3"][number % 3],
                statusCode: [7, 9, 2, 3][number % 4], statusSince: Fixture.now.addingTimeInterval(-600)
            ))
        }
        return refigured(snapshot)
    }

    static func refigured(_ snapshot: DispatchSnapshot) -> DispatchSnapshot {
        var snapshot = snapshot
        snapshot.figures = DispatchFigures(
            callsToday: snapshot.waitingCalls.map { CallTimes(receivedAt: $0.receivedAt ?? Fixture.now, answeredAt: nil, endedAt: nil, outcome: nil) },
            runsToday: snapshot.vehicles.compactMap(\.task), vehicles: snapshot.vehicles, stations: snapshot.stations,
            now: Fixture.now, dayStart: snapshot.dayStart
        )
        return snapshot
    }

    static func applying(_ change: Change, to snapshot: DispatchSnapshot, step: Int, generator: inout SeededGenerator) -> DispatchSnapshot {
        var snapshot = snapshot
        func pick(_ count: Int) -> Int { Int(generator.next() % UInt64(max(count, 1))) }
        switch change {
        case .status:
            let index = pick(snapshot.vehicles.count)
            let code = [0, 1, 2, 3, 7, 8, 9, 12][pick(8)]
            snapshot.vehicles[index].statusCode = code
            snapshot.vehicles[index].status = VehicleStatus(rawValue: code)
        case .removeVehicle where snapshot.vehicles.count > 4:
            snapshot.vehicles.remove(at: pick(snapshot.vehicles.count))
        case .removeVehicle, .addVehicle:
            snapshot.vehicles.insert(Vehicle(
                id: "N\(step)", callSign: "新\(step)号", plate: "粤A·N\(step)", stationID: snapshot.stations[pick(snapshot.stations.count)].id,
                statusCode: 7, statusSince: Fixture.now
            ), at: pick(snapshot.vehicles.count + 1))
        case .renameStation:
            snapshot.stations[pick(snapshot.stations.count)].name = "改名\(step)站"
        case .callSign:
            // V1 and V3 serve incidents: their call signs show in the incidents' rows.
            let index = snapshot.vehicles.firstIndex { $0.id == ["V1", "V3"][step % 2] } ?? pick(snapshot.vehicles.count)
            snapshot.vehicles[index].callSign = "呼号\(step)"
        case .patient:
            let index = pick(snapshot.incidents.count)
            snapshot.incidents[index].patientName = ["欧阳", "钱", "孙小红"][pick(3)]
            snapshot.incidents[index].callbackPhone = "1390000\(1000 + step)"
        case .caller:
            snapshot.waitingCalls[0].callerPhone = "1360000\(1000 + step)"
        case .nothing:
            break
        }
        return refigured(snapshot)
    }

    static func expectSameAsFresh(
        _ bound: inout BoundBoard, _ renderer: BoardRenderer, _ snapshot: DispatchSnapshot, at moment: Date, _ note: String
    ) {
        let cached = bound.render(at: moment)
        let fresh = renderer.render(snapshot, at: moment)
        #expect(cached.frame.bitmap == fresh.frame.bitmap, "\(note): pixels differ from a fresh render")
        #expect(cached.output.strings == fresh.output.strings, "\(note): strings differ from a fresh render")
        #expect(cached.frame.textAreas == fresh.frame.textAreas, "\(note): text areas differ from a fresh render")
    }

    /// Each kind of change, many times in a random order: the rebound board shows exactly what
    /// a board bound afresh shows (no stale cell, name, call sign or phone number).
    @Test func rebindingAfterEachKindOfChangeMatchesAFreshBinding() throws {
        let layout = try Fixture.loader().load(Self.rowsLayout, file: "rows.yaml", name: "rows")
        let renderer = try Fixture.renderer(layout)
        var generator = SeededGenerator(seed: 44)
        var snapshot = Self.city()
        var bound = renderer.bind(snapshot, staleSince: nil)
        _ = bound.render(at: Fixture.now)
        var seen: Set<String> = []
        for step in 0..<120 {
            let change = Change.allCases[Int(generator.next() % UInt64(Change.allCases.count))]
            snapshot = Self.applying(change, to: snapshot, step: step, generator: &generator)
            bound.rebind(snapshot, staleSince: nil)
            Self.expectSameAsFresh(&bound, renderer, snapshot, at: Fixture.now.addingTimeInterval(Double(step)), "step \(step), \(change)")
            seen.insert("\(change)")
        }
        #expect(seen.count == Change.allCases.count)
    }

    /// Widgets that move are kept as drawn across a rebinding when they are bound the same; one
    /// that goes with the new snapshot, or comes back, or changes its place leaves no pixel behind.
    @Test func movingWidgetsKeptAcrossARebindingLeaveNothingStale() throws {
        let layout = try Fixture.loader().load("""
            board: {kind: wall, width: 200, height: 48, format: rgb, privacy: internal}
            states:
              main:
                - text: "来电{{figures.callsWaiting}}"
                  rect: [0, 0, 100, 16]
                  font: cjk-16
                  colour: white
                - clock: "HH:mm:ss"
                  when: calls
                  rect: [100, 0, 100, 16]
                  font: clock-16
                  colour: amber
                - clock: "mm:ss"
                  rect: [0, 16, 60, 16]
                  font: clock-16
                  colour: green
                - table:
                    rows: calls
                    font: cjk-12
                    rowHeight: 16
                    colour: white
                    columns:
                      - title: "来电"
                        value: "{{callerPhone}}"
                        width: 100
                      - title: "等待"
                        elapsed: receivedAt
                        width: 40
                  rect: [60, 16, 140, 32]
            """, file: "moving.yaml", name: "moving")
        let renderer = try Fixture.renderer(layout)
        var full = Fixture.snapshot()
        var second = try #require(full.waitingCalls.first)
        second.id = "C2"
        second.callerPhone = "13600009999"
        full.waitingCalls.append(second)
        full = Self.refigured(full)
        var none = full
        none.waitingCalls = []
        var fewer = full
        fewer.waitingCalls = Array(full.waitingCalls.prefix(1))
        let snapshots = [full, none, full, fewer, full, full]
        #expect(full.waitingCalls.count > 1)
        var bound = renderer.bind(snapshots[0], staleSince: nil)
        for (step, snapshot) in snapshots.enumerated() {
            if step > 0 { bound.rebind(snapshot, staleSince: nil) }
            // Twice at one moment: the second frame keeps what the first drew.
            for offset in [0.0, 0.0, 0.4, 1.0] {
                Self.expectSameAsFresh(&bound, renderer, snapshot, at: Fixture.now.addingTimeInterval(Double(step / 2) + offset), "step \(step), +\(offset) s")
            }
        }
    }

    /// A clock that goes when the calls do, under a larger one that comes with them gone: the
    /// larger clock's rectangle is restored where the first clock was drawn, and must show the
    /// background there, not the first clock.
    @Test func aMovingWidgetThatComesOverOneThatWentLeavesNothingStale() throws {
        let layout = try Fixture.loader().load("""
            board: {kind: wall, width: 120, height: 32, format: rgb, privacy: internal}
            states:
              main:
                - box: "#2080FF"
                  rect: [0, 0, 120, 32]
                - clock: "HH:mm:ss"
                  when: calls
                  rect: [8, 8, 64, 16]
                  font: clock-16
                  colour: amber
                - clock: "ss"
                  when: "!calls"
                  rect: [0, 0, 110, 28]
                  font: clock-16
                  colour: green
            """, file: "coming.yaml", name: "coming")
        let renderer = try Fixture.renderer(layout)
        let calling = Fixture.snapshot()
        var quiet = calling
        quiet.waitingCalls = []
        quiet = Self.refigured(quiet)
        #expect(!calling.waitingCalls.isEmpty)
        var bound = renderer.bind(calling, staleSince: nil)
        for (step, snapshot) in [calling, quiet, calling, quiet].enumerated() {
            if step > 0 { bound.rebind(snapshot, staleSince: nil) }
            for offset in [0.0, 1.0, 2.0] {
                Self.expectSameAsFresh(&bound, renderer, snapshot, at: Fixture.now.addingTimeInterval(Double(step * 3) + offset), "step \(step), +\(offset) s")
            }
        }
    }

    /// The rebound board's personal data is masked exactly as a fresh binding masks it.
    @Test func rebindingKeepsPersonalDataMasked() throws {
        let layout = try Fixture.loader().load(Self.rowsLayout, file: "rows.yaml", name: "rows")
        let renderer = try Fixture.renderer(layout)
        var generator = SeededGenerator(seed: 5)
        let first = Self.city()
        var bound = renderer.bind(first, staleSince: nil)
        _ = bound.render(at: Fixture.now)
        let changed = Self.applying(.patient, to: Self.applying(.caller, to: first, step: 1, generator: &generator), step: 2, generator: &generator)
        bound.rebind(changed, staleSince: nil)
        let strings = bound.render(at: Fixture.now).output.strings
        for incident in changed.incidents {
            #expect(!strings.contains(incident.patientName))
            #expect(!strings.contains(incident.callbackPhone))
            #expect(strings.contains(Mask.name(incident.patientName)))
            #expect(strings.contains(Mask.phone(incident.callbackPhone)))
        }
        #expect(strings.contains(Mask.phone(changed.waitingCalls[0].callerPhone)))
    }

    /// The shipped walls and strip after one vehicle changes, is removed, or appears: the
    /// grid redraws only those cells, and nothing of the old cells may remain.
    @Test(arguments: ["wall-1920x1080.yaml", "wall-384x192-rgb.yaml"])
    func shippedWallsRedrawOnlyWhatChangedWithoutStalePixels(file: String) throws {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        let renderer = try Fixture.renderer(layout)
        var generator = SeededGenerator(seed: 3)
        var snapshot = Self.city()
        var bound = renderer.bind(snapshot, staleSince: nil)
        _ = bound.render(at: Fixture.now)
        for (step, change) in [Change.status, .removeVehicle, .addVehicle, .renameStation, .callSign, .status].enumerated() {
            snapshot = Self.applying(change, to: snapshot, step: step, generator: &generator)
            bound.rebind(snapshot, staleSince: nil)
            Self.expectSameAsFresh(&bound, renderer, snapshot, at: Fixture.now.addingTimeInterval(0.25), "\(file) step \(step), \(change)")
        }
    }

    @Test func localTimeFieldsMatchFoundationsCalendar() throws {
        var generator = SeededGenerator(seed: 9)
        let zones = ["Asia/Shanghai", "UTC", "America/New_York", "Asia/Kathmandu", "Pacific/Chatham"].compactMap(TimeZone.init(identifier:))
        #expect(zones.count == 5)
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double(generator.next() % 8_000_000_000) - 2_000_000_000)
            let zone = zones[Int(generator.next() % UInt64(zones.count))]
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
            let expected = String(format: "%04d-%02d-%02d %02d:%02d:%02d ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
                + TimeFormatter.weekdays[(parts.weekday ?? 1) - 1]
            #expect(TimeFormatter(timeZone: zone).string(date, pattern: "yyyy-MM-dd HH:mm:ss EEEE") == expected, "\(date) in \(zone.identifier)")
        }
    }

    /// A pages widget first, then eleven more widgets: the widgets inside the pages have area
    /// numbers of their own, and drawing from the cache across a page turn gives fresh frames.
    @Test func widgetsInsidePagesHaveTheirOwnAreasAcrossAPageTurn() throws {
        let others = (0..<11).map { index in
            "    - text: \"\(index % 10)\"\n      rect: [\(index * 4), 5, 4, 5]\n      font: tiny"
        }
        let renderer = try WidgetPictureTests.board("""
                - pages:
                    - - text: "1"
                        rect: [0, 0, 4, 5]
                        font: tiny
                    - - text: "2"
                        rect: [0, 0, 4, 5]
                        font: tiny
                      - text: "3"
                        rect: [4, 0, 4, 5]
                        font: tiny
                  every: 1
            \(others.joined(separator: "\n"))
            """, kind: .wall, width: 44, height: 10, format: .mono)
        var bound = renderer.bind(Fixture.snapshot(), staleSince: nil)
        for offset in [0.0, 0.5, 1.0, 1.5, 2.0, 3.0] {
            let moment = Fixture.now.addingTimeInterval(offset)
            let cached = bound.render(at: moment)
            let fresh = renderer.render(Fixture.snapshot(), at: moment)
            #expect(cached.frame.bitmap == fresh.frame.bitmap, "pixels differ at +\(offset) s")
            #expect(cached.frame.textAreas == fresh.frame.textAreas, "text areas differ at +\(offset) s")
            let ids = cached.frame.textAreas.map(\.id)
            #expect(Set(ids).count == ids.count, "two text areas share a number at +\(offset) s: \(ids.sorted())")
        }
    }
}
