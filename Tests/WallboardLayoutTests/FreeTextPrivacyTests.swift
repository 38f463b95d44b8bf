import Foundation
import Testing
import WallboardDispatch
import WallboardLayout
import WallboardTestKit

/// Names, phone numbers and identity numbers that dispatchers type into free text never reach a
/// public board, however they are written; ordinary addresses come through as they were.
@Suite struct FreeTextPrivacyTests {
    /// One patient's personal data, and the text it was written into.
    struct Case {
        var name: String
        var mobile: String
        var landline: String
        var identity: String
        var texts: [String]

        /// The patient's name and given name, and eight-digit runs of each number, none of which
        /// may be seen.
        var secrets: (names: [String], digits: [String]) {
            let given = String(name.dropFirst())
            return (
                [name] + (given.count >= 2 ? [given] : []),
                [String(mobile.suffix(8)), String(landline.suffix(8)), String(identity.prefix(14))]
            )
        }
    }

    static var freeTextColumns: [WritableKeyPath<Incident, String>] {
        [\.complaint, \.incidentAddress, \.pickupAddress, \.landmark, \.district, \.category, \.destinationHospital]
    }

    static func fullWidth(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar in
            (0x30...0x39).contains(scalar.value) ? Character(Unicode.Scalar(scalar.value + 0xFF10 - 0x30) ?? scalar) : Character(scalar)
        })
    }

    /// `digits` in one of the ways people write a mobile number.
    static func mobile(_ m: String, style: Int) -> String {
        let (a, b, c) = (m.prefix(3), m.dropFirst(3).prefix(4), m.suffix(4))
        return [
            m, "\(a)-\(b)-\(c)", "\(a) \(b) \(c)", "+86 \(a) \(b) \(c)", "0086-\(m)", "+86-\(m)", fullWidth(m),
            "\(a)，\(b)，\(c)", "\(a)、\(b)、\(c)", "\(a).\(b).\(c)", "0\(m)", "(+86)\(m)", "＋86 \(fullWidth(m))",
        ][style % 13]
    }

    /// A landline with its area code (three or four digits with the 0) in one of the ways people write it.
    static func landline(_ l: String, style: Int) -> String {
        let area = l.dropLast(8), local = l.suffix(8)
        let (head, tail) = (local.prefix(4), local.suffix(4))
        return [
            "\(area)-\(local)", "(\(area))\(head)-\(tail)", "（\(area)）\(local)", "\(area) \(head) \(tail)",
            "+86 \(area.dropFirst()) \(head) \(tail)", fullWidth("\(area)-\(local)"), "\(head)-\(tail)", "\(local)",
        ][style % 8]
    }

    static func identity(_ id: String, style: Int) -> String {
        [id, "\(id.prefix(6)) \(id.dropFirst(6).prefix(8)) \(id.suffix(4))", id.lowercased(), fullWidth(id)][style % 4]
    }

    static let templates = ["联系家属X", "回拨X", "X家楼下", "患者X自述胸痛", "X", "请拨打X。", "（X）", "胸痛2小时 X 已服药"]

    static func cases(count: Int) -> [Case] {
        var generator = SeededGenerator(seed: 13)
        func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(generator.next() % 10)) }) }
        func pick<T>(_ items: [T]) -> T { items[Int(generator.next() % UInt64(items.count))] }
        return PrivacyTests.people(count: count).enumerated().map { index, person in
            let mobileNumber = "1" + pick(["3", "5", "7", "8", "9"]) + digits(9)
            let landlineNumber = "0" + pick(["20", "755", "10", "571"]) + pick(["2", "3", "8"]) + digits(7)
            let birth = "19" + digits(2) + pick(["01", "06", "12"]) + pick(["03", "17", "28"])
            let identityNumber = digits(6) + birth + digits(3) + pick(["X", "7", "0"])
            let given = String(person.name.dropFirst())
            let spelled = [
                mobile(mobileNumber, style: index), landline(landlineNumber, style: index), identity(identityNumber, style: index),
                person.name, given.count >= 2 ? given : person.name,
            ]
            let texts = spelled.map { pick(templates).replacingOccurrences(of: "X", with: $0) }
            return Case(name: person.name, mobile: mobileNumber, landline: landlineNumber, identity: identityNumber, texts: texts)
        }
    }

    /// The fixture with `personal` written into every free-text column of every incident, each
    /// column holding another of the texts.
    static func snapshot(_ personal: Case, offset: Int) -> DispatchSnapshot {
        var snapshot = Fixture.snapshot(patientName: personal.name, phone: personal.mobile, secondAlert: true)
        for index in snapshot.incidents.indices {
            snapshot.incidents[index].patientName = personal.name
            for (column, keyPath) in freeTextColumns.enumerated() {
                snapshot.incidents[index][keyPath: keyPath] = personal.texts[(column + offset + index) % personal.texts.count]
            }
        }
        return snapshot
    }

    /// Digits as a person reads them, full-width ones included, with everything else left out.
    static func digitsOf(_ text: String) -> String {
        String(text.unicodeScalars.compactMap { scalar -> Character? in
            switch scalar.value {
            case 0x30...0x39: Character(scalar)
            case 0xFF10...0xFF19: Character(Unicode.Scalar(scalar.value - 0xFF10 + 0x30) ?? "0")
            default: nil
            }
        })
    }

    static func expectNothingPersonal(in texts: [String], _ personal: Case, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let (names, digits) = personal.secrets
        for text in texts {
            for name in names {
                #expect(!text.contains(name), "\(what) showed '\(name)' in '\(text)'", sourceLocation: sourceLocation)
            }
            let shownDigits = digitsOf(text)
            for secret in digits {
                #expect(!shownDigits.contains(secret), "\(what) showed the number \(secret) in '\(text)'", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func publicBoardsShowNoPersonalDataFromFreeText() throws {
        let publicLayouts = try PrivacyTests.layouts().filter { $0.privacy == .public }
        #expect(publicLayouts.count >= 4)
        for layout in publicLayouts {
            let renderer = try Fixture.renderer(layout)
            for (index, personal) in Self.cases(count: 40).enumerated() {
                let shown = PrivacyTests.shownText(renderer, Self.snapshot(personal, offset: index))
                #expect(!shown.isEmpty)
                Self.expectNothingPersonal(in: shown, personal, layout.name)
            }
        }
    }

    @Test func publicContextHoldsNoPersonalDataFromFreeText() {
        let builder = ContextBuilder(identity: BoardIdentity(centreName: "C", stationID: "S1", privacy: .public, timeZone: Fixture.beijing))
        for (index, personal) in Self.cases(count: 200).enumerated() {
            let snapshot = Self.snapshot(personal, offset: index)
            let state = DoorBoardState(snapshot: snapshot, stationID: "S1", now: Fixture.now, hold: 30)
            let contexts = [builder.context(for: snapshot)] + state.alerts.enumerated().map { alertIndex, alert in
                builder.context(for: snapshot, alert: (alertIndex, state.alerts.count, alert))
            }
            Self.expectNothingPersonal(in: contexts.flatMap(PrivacyTests.allText), personal, "the public context")
        }
    }

    @Test func addressesPlatesAndTimesComeThroughUnchanged() throws {
        var generator = SeededGenerator(seed: 31)
        func number(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(generator.next() % UInt64(range.count)) }
        let builder = ContextBuilder(identity: BoardIdentity(centreName: "C", stationID: "S1", privacy: .public, timeZone: Fixture.beijing))
        for _ in 0..<300 {
            let ordinary = [
                "中山\(number(1...9))路\(number(1...999))号", "G\(number(1...99))沈海高速\(number(100...2000))公里", "粤A·\(number(10000...99999))",
                "\(number(0...23)):\(String(format: "%02d", number(0...59)))", "急救\(number(1...99))号", "20\(number(10...30))-\(number(1...12))-\(number(1...28))",
                "\(number(1...9))人受伤", "\(number(1...30))栋\(number(1...6))单元\(number(101...3308))室", "\(number(2101...2899))-\(number(2101...2899))室",
                "第\(number(1000000...99999999))号", "\(number(1...12))月\(number(1...28))日", "0:\(String(format: "%02d", number(0...59)))",
            ].joined(separator: " ")
            var snapshot = Fixture.snapshot()
            snapshot.incidents[0].pickupAddress = ordinary
            snapshot.incidents[0].complaint = ordinary
            let state = DoorBoardState(snapshot: snapshot, stationID: "S1", now: Fixture.now, hold: 30)
            let alert = try #require(state.alerts.first)
            let context = builder.context(for: snapshot, alert: (0, state.alerts.count, alert))
            let texts = PrivacyTests.allText(context)
            #expect(texts.filter { $0 == ordinary }.count >= 2, "'\(ordinary)' changed on its way to the board: \(texts.filter { $0.hasPrefix("中山") })")
        }
    }
}
