import Foundation
import Testing
import WallboardTestKit
import WallboardDispatch
import WallboardLayout

/// No public board ever shows a patient's name, callback phone or caller number; internal
/// boards show them only masked.
@Suite struct PrivacyTests {
    static let surnames = Array("张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗")
    static let givenNames = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英")

    struct Person {
        let name: String
        let phone: String
        let caller: String
    }

    static func people(count: Int) -> [Person] {
        var generator = SeededGenerator(seed: 120)
        return (0..<count).map { _ in
            let name = String(surnames[Int(generator.next() % UInt64(surnames.count))])
                + String((0..<(1 + Int(generator.next() % 2))).map { _ in givenNames[Int(generator.next() % UInt64(givenNames.count))] })
            let phone = "1" + String((0..<10).map { _ in Character(String(generator.next() % 10)) })
            let caller = "0" + String((0..<10).map { _ in Character(String(generator.next() % 10)) })
            return Person(name: name, phone: phone, caller: caller)
        }
    }

    static func snapshot(for person: Person, priority: IncidentPriority) -> DispatchSnapshot {
        var snapshot = Fixture.snapshot(priority: priority, patientName: person.name, phone: person.phone, secondAlert: true)
        snapshot.incidents[1].patientName = person.name
        snapshot.incidents[1].callbackPhone = person.phone
        snapshot.waitingCalls = snapshot.waitingCalls.map { call in
            var waiting = call
            waiting.callerPhone = person.caller
            return waiting
        }
        return snapshot
    }

    static func layouts() throws -> [Layout] {
        let loader = try Fixture.loader()
        return try ShippedLayoutTests.files.map { try loader.load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent($0)) }
    }

    /// Everything a board shows over a minute: every page, every rotation, both blink phases.
    static func shownText(_ renderer: BoardRenderer, _ snapshot: DispatchSnapshot) -> [String] {
        var bound = renderer.bind(snapshot, staleSince: nil)
        return stride(from: 0.0, to: 60, by: 1.5).flatMap { offset in
            let (frame, output) = bound.render(at: Fixture.now.addingTimeInterval(offset))
            return output.strings + frame.textAreas.map(\.text)
        }
    }

    @Test func publicBoardsNeverShowPersonalData() throws {
        let publicLayouts = try Self.layouts().filter { $0.privacy == .public }
        #expect(publicLayouts.count >= 4)
        for layout in publicLayouts {
            let renderer = try Fixture.renderer(layout)
            for (index, person) in Self.people(count: 60).enumerated() {
                let shown = Self.shownText(renderer, Self.snapshot(for: person, priority: IncidentPriority.allCases[index % 3]))
                #expect(!shown.isEmpty)
                for text in shown {
                    #expect(!text.contains(person.name), "\(layout.name) showed the patient's name in '\(text)'")
                    #expect(!text.contains(person.phone) && !text.contains(person.caller), "\(layout.name) showed a phone number in '\(text)'")
                    #expect(!text.contains(String(person.phone.suffix(4))), "\(layout.name) showed part of a phone number in '\(text)'")
                }
            }
        }
    }

    /// The big-screen widgets on a public board (a wall facing visitors): charts, panels and the
    /// map read positions, counts and names of stations and seats, never a patient's data.
    @Test func wallWidgetsOnAPublicBoardShowNoPersonalData() throws {
        let map = Fixture.layoutsDirectory.appendingPathComponent("city.geojson").path
        let yaml = """
            board: {kind: wall, width: 960, height: 540, format: rgb, privacy: public}
            states:
              main:
                - bars: {rows: day.stations, label: name, value: dispatches, font: cjk-16}
                  rect: [0, 0, 480, 100]
                - line: {rows: day.hours, series: [{value: calls}, {value: callsYesterday}], font: cjk-16, tick: hour, now: day.hoursIntoDay}
                  rect: [0, 100, 480, 100]
                - donut: {rows: day.categories, label: name, value: count, font: cjk-16}
                  rect: [0, 200, 480, 100]
                - stationPanel: {font: cjk-16, columns: 2}
                  rect: [0, 300, 480, 100]
                - seatPanel: {font: cjk-16, title: "{{name}}", columns: 2}
                  rect: [0, 400, 480, 80]
                - legend: {font: cjk-16, counts: true, columns: 2}
                  rect: [0, 480, 480, 60]
                - map: {geojson: \(map), font: cjk-16, links: amber}
                  rect: [480, 0, 480, 540]
            """
        let layout = try Fixture.loader().load(yaml, file: "public-wall.yaml", name: "public-wall")
        let renderer = try Fixture.renderer(layout)
        for (index, person) in Self.people(count: 30).enumerated() {
            let shown = Self.shownText(renderer, Self.snapshot(for: person, priority: IncidentPriority.allCases[index % 3]))
            #expect(!shown.isEmpty)
            for text in shown {
                #expect(!text.contains(person.name), "the public wall showed the patient's name in '\(text)'")
                #expect(!text.contains(String(person.phone.suffix(4))) && !text.contains(String(person.caller.suffix(4))), "the public wall showed part of a phone number in '\(text)'")
            }
        }
    }

    @Test func publicContextHoldsNoPersonalDataAtAll() {
        for person in Self.people(count: 200) {
            let snapshot = Self.snapshot(for: person, priority: .critical)
            let builder = ContextBuilder(identity: BoardIdentity(centreName: "C", stationID: "S1", privacy: .public, timeZone: Fixture.beijing))
            let state = DoorBoardState(snapshot: snapshot, stationID: "S1", now: Fixture.now, hold: 30)
            let contexts = [builder.context(for: snapshot)] + state.alerts.enumerated().map { index, alert in
                builder.context(for: snapshot, alert: (index, state.alerts.count, alert))
            }
            for text in contexts.flatMap(Self.allText) {
                #expect(!text.contains(person.name) && !text.contains(person.phone) && !text.contains(person.caller))
            }
        }
    }

    /// Every text a context holds, at any depth.
    static func allText(_ value: ContextValue) -> [String] {
        switch value {
        case .list(let items): items.flatMap(allText)
        case .object(let fields): fields.values.flatMap(allText)
        default: [value.display]
        }
    }

    @Test func internalBoardsShowPersonalDataOnlyMasked() throws {
        let yaml = """
            board:
              kind: wall
              width: 384
              height: 32
              format: rgb
              privacy: internal
            states:
              main:
                - table:
                    rows: incidents
                    font: cjk-16
                    columns:
                      - value: "{{patientName}} {{callbackPhone}}"
                        width: 384
                  rect: [0, 0, 384, 32]
            """
        let layout = try Fixture.loader().load(yaml, file: "internal.yaml", name: "internal")
        let renderer = try Fixture.renderer(layout)
        for person in Self.people(count: 20) {
            let shown = renderer.render(Self.snapshot(for: person, priority: .urgent), at: Fixture.now).output.strings
            let masked = "\(Mask.name(person.name)) \(Mask.phone(person.phone))"
            #expect(shown.contains(masked))
            #expect(shown.allSatisfy { !$0.contains(person.phone) && !$0.contains(person.name) })
        }
    }

    @Test func masksKeepOnlyWhatIdentifiesNobody() {
        #expect(Mask.name("张三") == "张*")
        #expect(Mask.name("欧阳娜娜") == "欧***")
        #expect(Mask.name("") == "")
        #expect(Mask.phone("13812345678") == "138****5678")
        #expect(Mask.phone("+86 138-1234-5678") == "861******5678")
        #expect(Mask.phone("110") == "*10")
        #expect(Mask.phone("无") == "")
    }
}

