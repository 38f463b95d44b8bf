import Foundation
import Testing
import WallboardDispatch
import WallboardDrivers
import WallboardEmulator
import WallboardFonts
import WallboardLayout
import WallboardProtocols
import WallboardRender
import WallboardTestKit

/// Nothing in the data can stop a board: whatever text the dispatch system writes, every
/// shipped door and strip layout, through every registered protocol's driver, gives updates the
/// emulated controller accepts.
@Suite struct AnyTextReachesTheBoardTests {
    /// Text as a dispatch system may hold it: every plane, controls, U+FFFD, the framing bytes
    /// of the protocols, Chinese in and out of GB2312; up to 2,000 characters.
    static func hostileText(_ generator: inout SeededGenerator) -> String {
        let length = [0, 1, 8, 40, 256, 2_000][Int(generator.next() % 6)]
        var scalars = String.UnicodeScalarView()
        while scalars.count < length {
            let value: UInt32 = switch generator.next() % 8 {
            case 0: UInt32(generator.next() % 0x20)
            case 1: [0x7F, 0x85, 0x9B, 0xA5, 0x5A, 0x5C, 0xFFFD, 0xFEFF, 0x200D, 0x0301][Int(generator.next() % 10)]
            case 2: 0x20 + UInt32(generator.next() % 0x5F)
            case 3: 0x4E00 + UInt32(generator.next() % 0x5200)
            case 4: 0x3400 + UInt32(generator.next() % 0x19C0)
            case 5: 0x1F300 + UInt32(generator.next() % 0x300)
            default: UInt32(generator.next() % 0x110000)
            }
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    static func snapshot(_ texts: [String], dispatched: Bool) -> DispatchSnapshot {
        var snapshot = EndToEndTests.dispatchedSnapshot()
        snapshot.stations[0].name = texts[0]
        snapshot.vehicles[0].callSign = texts[1]
        snapshot.vehicles[0].plate = texts[2]
        snapshot.incidents[0].pickupAddress = texts[3]
        snapshot.incidents[0].landmark = texts[4]
        snapshot.incidents[0].complaint = texts[5]
        snapshot.incidents[0].category = texts[6]
        snapshot.incidents[0].incidentAddress = texts[7]
        if !dispatched {
            snapshot.vehicles[0].statusCode = 7
            snapshot.vehicles[0].incidentID = nil
            snapshot.vehicles[0].task = nil
        }
        return snapshot
    }

    static let layoutFiles: [String] = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Layouts")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { ($0.hasPrefix("door-") || $0.hasPrefix("strip-")) && $0.hasSuffix(".yaml") }.sorted()
            .map { directory.appendingPathComponent($0).path }
    }()

    @Test func theShippedLayoutsAreFound() {
        #expect(Self.layoutFiles.count >= 6, "door and strip layouts in Layouts/: \(Self.layoutFiles)")
    }

    @Test(arguments: layoutFiles)
    func everyUpdateIsDeliveredAndAcknowledged(layoutPath: String) throws {
        let fonts = try DriverTests.library.get()
        let layout = try LayoutLoader(fontNames: fonts.names + FontLibrary.namedChains.map(\.name)).load(contentsOf: URL(fileURLWithPath: layoutPath))
        let identity = BoardIdentity(centreName: "中心", stationID: "S1", privacy: layout.privacy, timeZone: TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt)
        let renderer = BoardRenderer(layout: layout, identity: identity, fonts: try FontSet(layout: layout) { try fonts.chain($0) })
        let painter = try DriverTests.painter()
        var generator = SeededGenerator(seed: URL(fileURLWithPath: layoutPath).lastPathComponent.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) })
        var boards: [(model: BoardModel, driver: any BoardDriver, emulator: any BoardEmulator, session: String?)] = []
        for model in BoardProtocols.models {
            // A layout with more text areas than the controller holds is refused when the service starts.
            if let limits = model.textLimits, layout.mostTextAreasAtOnce.count > limits.maximumAreas { continue }
            // Boards of a fixed size (Dream Cheeky) take no layout of another.
            guard var emulator = makeEmulator(for: model, width: layout.width, height: layout.height, painter: painter) else { continue }
            if case .onbonGraphicCard(let card) = model.family {
                emulator = OnbonGraphicEmulator(configuration: .init(width: layout.width, height: layout.height, model: card, colours: layout.format == .mono ? .mono : .bicolor))
            }
            let driver = BoardDrivers.make(model, width: layout.width, height: layout.height, format: layout.format)
            // A board that holds a session (Huidu) is greeted first, as the link does.
            var session: String?
            for step in driver.session?.opening ?? [] {
                let (verdict, named) = step.read(emulator.receive(step.request))
                #expect(verdict == .acknowledged, "\(model.name): the session's opening")
                session = named ?? session
            }
            boards.append((model, driver, emulator, session))
        }
        #expect(boards.count >= 5, "\(layout.name) goes to \(boards.map(\.model.name))")
        var previous: Frame?
        for step in 0..<4 {
            let texts = (0..<8).map { _ in Self.hostileText(&generator) }
            let frame = renderer.render(Self.snapshot(texts, dispatched: step % 2 == 0), at: EndToEndTests.now.addingTimeInterval(Double(step))).frame
            for index in boards.indices {
                let (model, driver) = (boards[index].model, boards[index].driver)
                for message in try driver.messages(for: frame, previous: previous) {
                    let reply = boards[index].emulator.receive(driver.session?.prepare(message, token: boards[index].session) ?? message)
                    if let replies = driver.replies {
                        #expect(replies.interpret(reply) == .acknowledged, "\(model.name), \(layout.name), texts of \(texts.map(\.unicodeScalars.count)) characters")
                    }
                }
                let refusals = boards[index].emulator.journal.filter { if case .refused = $0 { true } else { false } }
                #expect(refusals.isEmpty, "\(model.name), \(layout.name): \(refusals)")
            }
            previous = frame
        }
    }

    /// The placeholder is what a controller shows for what it lacks, on its own picture.
    @Test func thePlaceholderIsVisibleOnTheEmulatorsPicture() throws {
        let painter = try DriverTests.painter()
        let driver = try BoardDrivers.make(protocol: "bx5k", width: 32, height: 16, format: .mono)
        var emulator = try #require(makeEmulator(for: try DriverTests.model("bx5k"), width: 32, height: 16, painter: painter))
        let frame = Frame(bitmap: Bitmap(width: 32, height: 16, format: .mono), textAreas: [
            TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 32, height: 16), runs: [.init("喆", colour: .on)]),
        ])
        for message in try driver.messages(for: frame, previous: nil) { _ = emulator.receive(message) }
        var expected = try #require(makeEmulator(for: try DriverTests.model("bx5k"), width: 32, height: 16, painter: painter))
        for message in try driver.messages(for: Frame(bitmap: frame.bitmap, textAreas: [
            TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 32, height: 16), runs: [.init("□", colour: .on)]),
        ]), previous: nil) { _ = expected.receive(message) }
        #expect(emulator.render().pixels.contains { $0 != 0 }, "the placeholder is lit")
        #expect(emulator.render() == expected.render())
    }
}
