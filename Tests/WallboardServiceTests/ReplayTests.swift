import Foundation
import GRDB
import Testing
import WallboardExport
@testable import WallboardService

@Suite struct ReplayTests {
    /// "What did the station's door board show just after its vehicle was dispatched?"
    @Test func doorBoardReplaysTheAlertOfAPastDispatch() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let queue = try DatabaseQueue(path: database.path)
        let past = try await queue.read { db in
            try Row.fetchOne(db, sql: """
                SELECT v.station_id, v.call_sign, t.dispatched_at FROM vehicle_tasks t JOIN vehicles v ON v.id = t.vehicle_id
                WHERE t.departed_at > t.dispatched_at + 20 ORDER BY t.dispatched_at LIMIT 1
                """).map { (station: $0[0] as String, callSign: $0[1] as String, dispatchedAt: $0[2] as Double) }
        }
        let dispatch = try #require(past, "the simulated history has a dispatch with a turnout of over 20 s")
        let config = try configuration(database: database.path, directory: directory, boards: """
              - id: door
                station: \(dispatch.station)
                layout: \(TemporaryDirectory.layoutsDirectory.path)/door-192x32-bicolor.yaml
                transport: browser
            """)
        let from = Date(timeIntervalSince1970: dispatch.dispatchedAt - 10)
        let films = try await Replay(configuration: config).run(from: from, to: from.addingTimeInterval(20), step: 5)
        let film = try #require(films.first)
        #expect(film.frames.count == 5)
        let texts = film.frames.map { $0.frame.textAreas.first?.text ?? "" }
        #expect(!texts[0].hasPrefix(dispatch.callSign), "before the dispatch: idle, not \(texts[0])")
        #expect(texts[3].hasPrefix(dispatch.callSign), "5 s after the dispatch: the alert, not \(texts[3])")

        let files = try Replay.write(films, step: 5, to: directory.url.appendingPathComponent("replay"))
        #expect(files.map(\.lastPathComponent) == ["door.gif", "contact-sheet.png"])
        let sheet = try PNG.decode([UInt8](try Data(contentsOf: files[1])))
        #expect(sheet.width == 8 * 244 + 4 && sheet.height == 128)

        // The disk fills up while the replay is written again (/dev/full answers ENOSPC): the
        // error names the file, and the earlier contact sheet stays whole.
        let earlierSheet = try Data(contentsOf: files[1])
        try FileManager.default.createSymbolicLink(atPath: files[1].path + ".partial", withDestinationPath: "/dev/full")
        #expect {
            try Replay.write(films, step: 5, to: directory.url.appendingPathComponent("replay"))
        } throws: { error in
            String(describing: error).contains("contact-sheet.png") && String(describing: error).contains("No space left on device")
        }
        #expect(try Data(contentsOf: files[1]) == earlierSheet)
    }
}
