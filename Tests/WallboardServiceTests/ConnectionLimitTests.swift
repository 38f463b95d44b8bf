import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WallboardTestKit
@testable import WallboardService

/// No client can starve the boards: idle and half-open sockets are closed after `http.timeout`,
/// one address holds only its share, and HTTP never takes the descriptors the boards need.
/// Every socket here is on loopback (127.0.0.2 … stand for other machines), few and short-lived.
@Suite(.serialized) struct ConnectionLimitTests {
    @Test func idleAndHalfOpenClientsCannotStarveTheBoardsOrHealth() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        var config = try configuration(database: database.path, directory: directory, boards: HTTPTests.boards)
        // Long enough that a loaded machine opens every socket and looks at them before it passes.
        config.http.timeout = .seconds(5)
        config.http.maxConnectionsPerClient = 4
        config.http.maxConnections = 12
        let sink = RecordingSink(deviceName: "/dev/ttyTEST")
        let service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test")) { board, _ in
            board.id == "sign" ? sink : nil
        }
        try await withRunningBoards(service) {
            try await eventually("the data is current", within: .seconds(10)) { service.health(now: Date()).status == .ok }
            // Run as the service runs it: HummingbirdTesting's live server would drop the connection cap.
            let http = HTTPInterface(service: service)
            let listening = Locked<Int?>(nil)
            let application = http.application { url in listening.withLock { $0 = URL(string: url)?.port } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await application.runService() }
                defer { group.cancelAll() }
                try await eventually("the server listens", within: .seconds(10)) { listening.withLock { $0 } != nil }
                let port = try #require(listening.withLock { $0 })
                func health(within timeout: Duration = .seconds(8)) async throws -> String {
                    let connection = try LoopbackClient(from: "127.0.0.1", to: port)
                    connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    return await connection.responseHead(timeout: timeout).components(separatedBy: "\r\n").first ?? ""
                }

                // One address, three times its share, half of them idle and half in the middle of a head.
                var held: [LoopbackClient] = []
                for index in 0..<12 {
                    let connection = try LoopbackClient(from: "127.0.0.2", to: port)
                    if index % 2 == 1 { connection.send("GET /api/v1/boards HTTP/1.1\r\nHost: 127.0.0.1\r\n") }
                    held.append(connection)
                }
                try await Task.sleep(for: .milliseconds(300))
                var cutAtOnce = 0
                for connection in held where await connection.isClosed(within: .milliseconds(20)) { cutAtOnce += 1 }
                #expect(cutAtOnce == 8, "all but 4 of one address's connections are closed at once")
                let started = ContinuousClock.now
                #expect(try await health() == "HTTP/1.1 200 OK", "another client is answered while one address holds its share")
                #expect(ContinuousClock.now - started < .seconds(3), "well before the held sockets time out")

                // Eight more addresses, their share each: 36 in all, three times the total cap. HTTP
                // stops accepting at the cap (the rest wait in the kernel's queue), so its descriptors
                // stay bounded; one read of the listening socket may accept a few past it.
                for last in 3...10 {
                    for _ in 0..<4 { held.append(try LoopbackClient(from: "127.0.0.\(last)", to: port)) }
                }
                try await Task.sleep(for: .milliseconds(300))
                #expect((12...16).contains(http.connections.open), "the server holds the cap's 12 (and at most one accept batch more), not 36: \(http.connections.open)")

                // A message sent now reaches the board's device, and health answers once the held
                // sockets reach their timeout: the sockets queued before it are accepted first and
                // held their own timeout, so it may wait for two of them.
                service.monitor(id: "sign")?.showMessage("演练", until: Date().addingTimeInterval(30))
                try await eventually("the sign shows the message", within: .seconds(10)) {
                    sink.delivered.contains { $0.texts == ["演练"] }
                }
                #expect(try await health(within: .seconds(16)) == "HTTP/1.1 200 OK")
                var stillOpen = 0
                for connection in held where !(await connection.isClosed(within: .seconds(8))) { stillOpen += 1 }
                #expect(stillOpen == 0, "every idle or half-open socket is closed after the timeout")
            }
        }
    }

    @Test func httpLeavesDescriptorsForTheBoards() {
        #expect(DescriptorBudget.httpConnections(configured: 1024, reserved: HTTPInterface.reservedDescriptors(boards: 100, processors: 4), limit: 1024) == 756)
        #expect(DescriptorBudget.httpConnections(configured: 1024, reserved: 64, limit: 65536) == 1024)
        #expect(DescriptorBudget.httpConnections(configured: 1024, reserved: 2000, limit: 1024) == 1, "never none at all")
        #expect(DescriptorBudget.httpConnections(configured: 300, reserved: 64, limit: nil) == 300)
    }
}
