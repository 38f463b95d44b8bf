import Foundation
import Testing
import WallboardDispatch
import WallboardDrivers
import WallboardEmulator
import WallboardFonts
import WallboardLayout
import WallboardProtocols
import WallboardRender
import WallboardTransport

/// Layout → frame → driver → serial transport → pseudo-terminal → emulated controller: what
/// the board ends up showing is what the layout drew.
@Suite struct EndToEndTests {
    static let now = Date(timeIntervalSince1970: 1_795_242_600)

    static func dispatchedSnapshot(at dispatched: Date = now.addingTimeInterval(-75), priority: IncidentPriority = .urgent) -> DispatchSnapshot {
        let station = Station(id: "S1", name: "城东分站", district: "东区", sortOrder: 1)
        let task = VehicleTask(id: "T1", incidentID: "I1", vehicleID: "V1", dispatchedAt: dispatched)
        let vehicle = Vehicle(id: "V1", callSign: "急救6号", plate: "粤A·66666", stationID: "S1", statusCode: 1, statusSince: dispatched, incidentID: "I1", task: task)
        let incident = Incident(
            id: "I1", receivedAt: dispatched.addingTimeInterval(-55), dispatchedAt: dispatched, priority: priority,
            category: "创伤", complaint: "摔伤 头部出血", incidentAddress: "东风路12号", pickupAddress: "东风路12号", landmark: "菜市场",
            district: "东区", patientName: "赵甲", callbackPhone: "13512345678", vehicleIDs: ["V1"]
        )
        let figures = DispatchFigures(callsToday: [], runsToday: [task], vehicles: [vehicle], stations: [station], now: now, dayStart: now.addingTimeInterval(-50_000))
        return DispatchSnapshot(
            takenAt: now, dayStart: now.addingTimeInterval(-50_000), sourceVersion: 1, stations: [station], vehicles: [vehicle],
            incidents: [incident], waitingCalls: [], seats: [], figures: figures, issues: []
        )
    }

    static func frame(layoutFile: String, snapshot: DispatchSnapshot = dispatchedSnapshot(), at moment: Date = now) throws -> Frame {
        try renderer(layoutFile: layoutFile).render(snapshot, at: moment).frame
    }

    /// Station S1's renderer of a shipped layout.
    static func renderer(layoutFile: String) throws -> BoardRenderer {
        let fonts = try DriverTests.library.get()
        let layoutsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Layouts")
        let layout = try LayoutLoader(fontNames: fonts.names + FontLibrary.namedChains.map(\.name)).load(contentsOf: layoutsDirectory.appendingPathComponent(layoutFile))
        let identity = BoardIdentity(centreName: "中心", stationID: "S1", privacy: layout.privacy, timeZone: TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt)
        return BoardRenderer(layout: layout, identity: identity, fonts: try FontSet(layout: layout) { try fonts.chain($0) })
    }

    /// Serves `board` on a pseudo-terminal, sends `frame` through a serial link and returns the board.
    static func deliver(_ frame: Frame, protocol name: String, width: Int, height: Int) async throws -> EmulatedBoard {
        let emulated = try #require(EmulatedBoard(try DriverTests.model(name), width: width, height: height, painter: DriverTests.painter()))
        let server = try PseudoTerminalBoardServer(board: emulated)
        let serving = Task { try await server.run() }
        defer {
            server.close()
            serving.cancel()
        }
        let driver = try BoardDrivers.make(protocol: name, width: width, height: height, format: frame.bitmap.format)
        let link = BoardLink(name: "door", transport: SerialTransport(path: server.devicePath), replies: driver.replies, policy: DeliveryPolicy(replyTimeout: .seconds(5)))
        for message in try driver.messages(for: frame, previous: nil) {
            #expect(await link.send(message) == .delivered(attempts: 1))
        }
        #expect(await link.status.bytesSent > 0)
        await link.close()
        return emulated
    }

    @Test func fontCardDoorBoardShowsTheAlertTextAreas() async throws {
        let frame = try Self.frame(layoutFile: "door-192x32-bicolor.yaml")
        #expect(frame.textAreas.first?.text == "急救6号 粤A·66666")
        let emulated = try await Self.deliver(frame, protocol: "bx5k", width: 192, height: 32)
        let board = try #require(await emulated.state as? OnbonFontCardEmulator)
        let shown = board.areas.keys.sorted().compactMap { board.areas[$0] }.map { area in
            area.text.pieces.compactMap { piece -> String? in
                if case .text(let text) = piece { return text }
                return nil
            }.joined()
        }
        #expect(shown == frame.textAreas.sorted { $0.id < $1.id }.map(\.text))
        #expect(shown.allSatisfy { !$0.contains("赵甲") && !$0.contains("13512345678") })
    }

    /// A critical dispatch drawn in a dark half second reaches a graphic card lit, and blinks in
    /// step once a whole second from its dispatch has passed.
    @Test func aNewCriticalAlertReachesAGraphicCardLit() async throws {
        let dispatched = Self.now.addingTimeInterval(0.6)
        let snapshot = Self.dispatchedSnapshot(at: dispatched, priority: .critical)
        let callSign = Rect(x: 0, y: 0, width: 150, height: 16)
        for (offset, lit) in [(0.1, true), (1.9, false)] {
            let frame = try Self.frame(layoutFile: "door-192x32-bicolor.yaml", snapshot: snapshot, at: dispatched.addingTimeInterval(offset))
            let shown = try await Self.deliver(frame, protocol: "bx6e", width: 192, height: 32).render()
            #expect(shown.cropped(to: callSign).pixels.contains { $0 != 0 } == lit, "dispatch + \(offset) s: the call sign should be \(lit ? "lit" : "dark")")
        }
    }

    @Test func graphicDoorBoardShowsThePixelsExactly() async throws {
        let frame = try Self.frame(layoutFile: "door-192x32-bicolor.yaml")
        let emulated = try await Self.deliver(frame, protocol: "bx6e", width: 192, height: 32)
        #expect(await emulated.render() == frame.bitmap)
    }
}
