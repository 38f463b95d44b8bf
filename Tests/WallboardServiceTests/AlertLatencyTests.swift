import Foundation
import Testing
import WallboardEmulator
import WallboardTestKit
import WallboardTransport
@testable import WallboardService

/// A dispatch is the crew's signal to run: it reaches the station's door board as soon as it is
/// drawn, not at the board's next paced second.
@Suite(.serialized) struct AlertLatencyTests {
    /// Waits until `offset` past a wall-clock second whose number is even (`even`) or odd.
    static func waitForSecond(even: Bool, offset: Double = 0.05) async throws {
        let now = Date().timeIntervalSince1970
        var target = now.rounded(.down) + offset
        while target <= now || (Int(target) % 2 == 0) != even { target += 1 }
        try await Task.sleep(for: .milliseconds(Int((target - now) * 1000)))
    }

    /// Commits placed just after a tick, in even and odd seconds, critical (a blinking call sign)
    /// and not: each shows on a BX-5K font card's emulator, over its serial line, well inside the
    /// second the old pacing could make it wait.
    @Test func aDispatchReachesTheFontCardWithoutWaitingForATick() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let stations = Array(try await database.idleStations().prefix(4))
        try #require(stations.count == 4)
        let cards = try stations.map { _ in try EmulatedBoardTests.fontCard() }
        defer { for (_, server) in cards { server.close() } }
        let boards = zip(stations, cards).map { station, card in
            EmulatedBoardTests.serialDoorBoard(station.station, station: station.station, device: card.1.devicePath)
        }
        let service = try WallboardService(configuration: try configuration(database: database.path, directory: directory, boards: boards.joined(separator: "\n")))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (_, server) in cards { group.addTask { try await server.run() } }
            defer { group.cancelAll() }
            try await withRunningBoards(service) {
                for (station, card) in zip(stations, cards) {
                    _ = try await EmulatedBoardTests.waitFor(card.0) { $0.first == station.name }
                }
                var delays: [Duration] = []
                for (index, (station, card)) in zip(stations, cards).enumerated() {
                    try await Self.waitForSecond(even: index % 2 == 0)
                    let committed = ContinuousClock.now
                    try await database.dispatch(vehicle: station.vehicle, incident: "LATE-\(index)", priority: index < 2 ? 1 : 2)
                    _ = try await EmulatedBoardTests.waitFor(card.0) { $0.first?.hasPrefix(station.callSign) == true }
                    delays.append(ContinuousClock.now - committed)
                }
                #expect(delays.allSatisfy { $0 < .milliseconds(300) }, "commit to board: \(delays)")
            }
        }
    }
}
