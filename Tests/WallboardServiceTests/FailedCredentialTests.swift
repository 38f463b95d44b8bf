import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import Testing
import WallboardTestKit
@testable import WallboardService

/// Guessing tokens: each refused credential is logged with the client's address, and an address
/// with more than ten in a minute is refused for the next minute, while others are not.
@Suite(.serialized) struct FailedCredentialTests {
    @Test func elevenFailuresInAMinuteBlockTheAddressForTheNextMinute() {
        let failures = FailedCredentials()
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        for second in 0..<10 {
            #expect(failures.record("10.0.0.9", now: start.addingTimeInterval(Double(second))) == nil, "failure \(second + 1)")
        }
        #expect(failures.blockedUntil("10.0.0.9", now: start.addingTimeInterval(10)) == nil, "ten are allowed")
        #expect(failures.record("10.0.0.9", now: start.addingTimeInterval(20)) == start.addingTimeInterval(80), "the eleventh blocks for a minute")
        #expect(failures.blockedUntil("10.0.0.9", now: start.addingTimeInterval(79)) == start.addingTimeInterval(80))
        #expect(failures.blockedUntil("10.0.0.8", now: start.addingTimeInterval(30)) == nil, "another address is not blocked")
        #expect(failures.blockedUntil("10.0.0.9", now: start.addingTimeInterval(80)) == nil, "a minute later it may try again")

        let slow = FailedCredentials()
        for index in 0..<30 {
            #expect(slow.record("10.0.0.6", now: start.addingTimeInterval(Double(index) * 6.5)) == nil, "ten a minute never block")
        }
    }

    /// Over real sockets, so that the server sees two client addresses.
    @Test func aGuessingAddressIsRefusedWhileAnotherLogsIn() async throws {
        let directory = try TemporaryDirectory()
        let log = LogRecord()
        let service = try AccessTests.serviceWithUsers(directory: directory, logger: log.logger)
        let http = HTTPInterface(service: service)
        let app = Application(
            router: http.router(), server: .http1WebSocketUpgrade(webSocketRouter: http.router()),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        let right = AccessTests.tokens["viewer"] ?? ""
        try await app.test(.live) { client in
            let port = try #require(client.port)
            func status(from address: String, token: String) async throws -> String {
                let connection = try LoopbackClient(from: address, to: port)
                connection.send("GET /api/v1/boards HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n")
                return String(await connection.responseHead().split(separator: " ").dropFirst().first ?? "")
            }
            for guess in 0..<10 {
                #expect(try await status(from: "127.0.0.2", token: "guess-\(guess)-0123456789abcdefgh") == "401")
            }
            #expect(try await status(from: "127.0.0.2", token: "guess-10-0123456789abcdefgh") == "429", "the eleventh in a minute")
            #expect(try await status(from: "127.0.0.2", token: right) == "429", "even the right token, for a minute")
            #expect(try await status(from: "127.0.0.3", token: right) == "200", "another address logs in")
        }
        let refusals = log.entries(.notice, containing: "refused a credential from 127.0.0.2 for GET /api/v1/boards")
        #expect(refusals.count == 11, "\(log.all.map(\.message))")
        #expect(refusals.last?.message.contains("refused for a minute") == true)
        #expect(!log.all.contains { $0.message.contains("guess-") || $0.message.contains(right) }, "no token is logged")
    }
}
