import Foundation
import Testing
import WallboardConfig
import WallboardProtocols
import WallboardService
import WallboardSources
import WallboardTestKit
import WallboardTransport

/// Configuration names a controller model; `serve --check` (building the service) holds each
/// layout to that model's limits, as the driver and the emulator do.
@Suite struct BoardModelTests {
    /// Six text widgets and the stale banner: seven areas at once.
    static let sixAreas = """
        board:
          kind: strip
          width: 192
          height: 32
          format: bicolor
          privacy: internal
        stale:
          rect: [0, 16, 192, 16]
          font: cjk-16
          text: "数据中断 {time}"
        states:
          main:
        \((0..<6).map { "    - text: \"区\($0)\"\n      rect: [\($0 * 32), 0, 32, 16]\n      font: cjk-16" }.joined(separator: "\n"))
        """

    static func sixAreaBoard(protocol name: String, directory: TemporaryDirectory) throws -> ServiceConfiguration {
        let layout = directory.path("six-areas.yaml")
        try Self.sixAreas.write(toFile: layout, atomically: true, encoding: .utf8)
        return try ConfigLoader.load("""
            centre: 测试
            source:
              sqlite: \(directory.path("none.db"))
              timeZone: Asia/Shanghai
            boards:
              - id: strip
                layout: \(layout)
                protocol: \(name)
                transport:
                  serial: /dev/null
            """, file: directory.path("c.yaml"))
    }

    @Test func aBX6KBoardConfigures() throws {
        let directory = try TemporaryDirectory()
        let configuration = try Self.sixAreaBoard(protocol: "bx6k", directory: directory)
        guard case .device(let model, _) = configuration.boards[0].output else {
            Issue.record("a bx6k board is a device: \(configuration.boards[0].output)")
            return
        }
        #expect(model.family == .onbonFontCard(.bx6k))
        #expect(model.textLimits == TextAreaLimits(maximumAreas: 5, maximumAreaBytes: 1024))
        #expect(BoardProtocols.model(named: "bx5k")?.textLimits == TextAreaLimits(maximumAreas: 8, maximumAreaBytes: 512))
    }

    @Test func aLayoutOverABX6KsAreasIsRefusedNamingTheLimit() throws {
        let directory = try TemporaryDirectory()
        let configuration = try Self.sixAreaBoard(protocol: "bx6k", directory: directory)
        let error = #expect(throws: ServiceSetupError.self) { try WallboardService(configuration: configuration) }
        #expect(error?.description.contains("c.yaml:6:5: board 'strip'") == true)
        #expect(error?.description.contains("up to 7 text areas") == true)
        #expect(error?.description.contains("Onbon BX-6K font card (bx6k) holds at most 5") == true)
    }

    /// The six areas' layout with two more text widgets: nine windows with the stale banner, one more than a CP5200 splits into.
    @Test func aLayoutOverACPowersWindowsIsRefusedNamingTheLimit() throws {
        let directory = try TemporaryDirectory()
        let layout = directory.path("nine-areas.yaml")
        try Self.sixAreas.appending((6..<8).map { "\n    - text: \"区\($0)\"\n      rect: [\(($0 - 6) * 32), 16, 32, 16]\n      font: cjk-16" }.joined())
            .write(toFile: layout, atomically: true, encoding: .utf8)
        let configuration = try ConfigLoader.load("""
            centre: 测试
            source:
              sqlite: \(directory.path("none.db"))
              timeZone: Asia/Shanghai
            boards:
              - id: door
                layout: \(layout)
                protocol: cpower
                transport:
                  tcp: 10.1.2.3:5200
            """, file: directory.path("c.yaml"))
        let error = #expect(throws: ServiceSetupError.self) { try WallboardService(configuration: configuration) }
        #expect(error?.description.contains("up to 9 text areas") == true, "\(String(describing: error))")
        #expect(error?.description.contains("C-Power CP5200 controller (cpower) holds at most 8") == true)
        _ = try WallboardService(configuration: Self.sixAreaBoard(protocol: "cpower", directory: directory))
    }

    @Test func theSameLayoutFitsABX5K() throws {
        let directory = try TemporaryDirectory()
        let configuration = try Self.sixAreaBoard(protocol: "bx5k", directory: directory)
        _ = try WallboardService(configuration: configuration)
    }

    /// A board that never answers: the first frame gets the policy's attempts, and after that
    /// one attempt per backoff, not the policy's attempts again on a second, runtime backoff.
    @Test func aFailingBoardIsTriedAsItsDeliveryPolicySays() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let config = try configuration(
            database: database.path, directory: directory,
            boards: EmulatedBoardTests.serialDoorBoard("door", station: station.station, device: directory.path("ttyNONE"))
        )
        let silent = RecordingTransport()
        let service = try WallboardService(configuration: config, transports: { _, _ in silent })
        let monitor = try #require(service.monitor(id: "door"))
        try await withRunningBoards(service) {
            try await eventually("2 failed sends", within: .seconds(30)) { monitor.report.sendErrors >= 2 }
            #expect(monitor.report.sendErrors == 2)
            #expect(await silent.writes.count == DeliveryPolicy().maxAttempts + 1)
        }
    }
}

extension BoardModelTests {
    /// The six areas' layout with ten more text widgets: seventeen text items with the stale
    /// banner, one more than Wallboard puts in a Huidu program.
    @Test func aLayoutOverAHuiduProgramsAreasIsRefusedNamingTheLimit() throws {
        let directory = try TemporaryDirectory()
        let layout = directory.path("seventeen-areas.yaml")
        try Self.sixAreas.appending((6..<16).map { "\n    - text: \"区\($0)\"\n      rect: [\(($0 - 6) * 16), 16, 16, 16]\n      font: cjk-16" }.joined())
            .write(toFile: layout, atomically: true, encoding: .utf8)
        let configuration = try ConfigLoader.load("""
            centre: 测试
            source:
              sqlite: \(directory.path("none.db"))
              timeZone: Asia/Shanghai
            boards:
              - id: door
                layout: \(layout)
                protocol: huidu
                transport:
                  tcp: 10.1.2.3:10001
            """, file: directory.path("h.yaml"))
        let error = #expect(throws: ServiceSetupError.self) { try WallboardService(configuration: configuration) }
        #expect(error?.description.contains("up to 17 text areas") == true, "\(String(describing: error))")
        #expect(error?.description.contains("Huidu full-colour card (SDK 2.0) (huidu) holds at most 16") == true)
        _ = try WallboardService(configuration: Self.sixAreaBoard(protocol: "huidu", directory: directory))
    }
}
