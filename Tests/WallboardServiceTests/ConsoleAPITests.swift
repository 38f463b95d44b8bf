import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization
import Testing
import WallboardRender
import WallboardTestKit
@testable import WallboardService

/// The console's side of the service: each board's health history, the controls it uses, and
/// the live status socket.
@Suite(.serialized) struct ConsoleAPITests {
    @Test func historyKeepsEachStretchOfHealthBounded() {
        var history = BoardHistory()
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        let began = [
            history.record(.ok, at: start, detail: nil),
            history.record(.ok, at: start.addingTimeInterval(1), detail: nil),
            history.record(.failing, at: start.addingTimeInterval(10), detail: "/dev/ttyS0: no reply"),
            history.record(.failing, at: start.addingTimeInterval(12), detail: "/dev/ttyS0: gone"),
            history.record(.ok, at: start.addingTimeInterval(40), detail: nil),
        ]
        #expect(began == [true, false, true, false, true], "only a change of health begins a stretch")
        #expect(history.events.map(\.status) == [.ok, .failing, .ok])
        let fault = history.events[1]
        #expect(fault.since == start.addingTimeInterval(10) && fault.until == start.addingTimeInterval(40))
        #expect(fault.detail == "/dev/ttyS0: no reply", "the error that began the fault")
        #expect(fault.failures == 2)
        #expect(history.events[2].until == nil)

        for second in 0..<200 {
            _ = history.record(second % 2 == 0 ? .failing : .ok, at: start.addingTimeInterval(100 + Double(second)), detail: "x")
        }
        #expect(history.events.count == BoardHistory.capacity)
        #expect(history.events.last?.since == start.addingTimeInterval(299))
    }

    /// A sign whose device fails while `failing` is set.
    final class SwitchableSink: BoardSink {
        let failing = Mutex(false)
        let clockSets = Mutex(0)
        let deviceName = "/dev/ttyTEST"
        let takesCommands = true
        let resendInterval: Duration? = nil

        private func check() throws(SinkError) {
            if failing.withLock({ $0 }) { throw SinkError(description: "/dev/ttyTEST: no reply after 3 attempts", bytesWritten: 0) }
        }

        func deliver(_ frame: Frame, at now: Date, previous: (frame: Frame, at: Date)?) async throws(SinkError) -> Int {
            try check()
            return 10
        }

        func setBrightness(_ level: Double) async throws(SinkError) -> Int {
            try check()
            return 1
        }

        func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int {
            try check()
            clockSets.withLock { $0 += 1 }
            return 1
        }

        func waitAfterFailure() async {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    static func withService(_ body: @Sendable (WallboardService, HTTPInterface, SwitchableSink) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let config = try configuration(database: database.path, directory: directory, boards: HTTPTests.boards)
        let sink = SwitchableSink()
        let service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test")) { board, _ in
            board.id == "sign" ? sink : nil
        }
        try await withRunningBoards(service) {
            try await eventually("the sign takes frames", within: .seconds(10)) { service.monitor(id: "sign")?.report.status == .ok }
            try await body(service, HTTPInterface(service: service), sink)
        }
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    @Test func eventsAPIShowsWhenWhatAndHowLong() async throws {
        try await Self.withService { service, http, sink in
            let sign = try #require(service.monitor(id: "sign"))
            sink.failing.withLock { $0 = true }
            // A new frame to send: the message.
            sign.showMessage("故障演练", until: Date().addingTimeInterval(30))
            try await eventually("the sign is failing", within: .seconds(5)) { sign.report.status == .failing }
            try await Application(router: http.router()).test(.router) { client in
                try await client.execute(uri: "/healthz", method: .get) { response in
                    #expect(response.status == .ok, "the data is current: a failing board is not a stale service")
                    #expect(String(buffer: response.body).contains(#""status":"failing""#))
                    #expect(String(buffer: response.body).contains(#""boardsFailing":["sign"]"#))
                }
            }
            sink.failing.withLock { $0 = false }
            try await eventually("the sign is back", within: .seconds(5)) { sign.report.status == .ok }
            let app = Application(router: http.router())
            try await app.test(.router) { client in
                try await client.execute(uri: "/api/v1/boards/sign/events", method: .get) { response in
                    #expect(response.status == .ok)
                    let events = try Self.decoder().decode([BoardEvent].self, from: Data(buffer: response.body))
                    #expect(events.map(\.status) == [.ok, .failing, .ok], "newest first")
                    let fault = events[1]
                    #expect(fault.detail == "/dev/ttyTEST: no reply after 3 attempts")
                    #expect(fault.failures >= 1)
                    let until = try #require(fault.until)
                    // The API's times are whole seconds; the length is not rounded.
                    #expect(abs(fault.seconds - until.timeIntervalSince(fault.since)) < 1)
                    #expect(fault.seconds > 0)
                    #expect(events[0].until == nil && events[0].since == until)
                }
                try await client.execute(uri: "/api/v1/boards/strip/events", method: .get) { response in
                    #expect(String(buffer: response.body) == "[]", "a browser board has no deliveries")
                }
                try await client.execute(uri: "/api/v1/boards/nope/events", method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    /// Another site's page can make a browser send the operator's cookies, never an
    /// `Authorization` header: a token in a cookie changes nothing.
    @Test func writesAcceptTheBearerHeaderOnlyNeverACookie() async throws {
        try await Self.withService { service, http, _ in
            let app = Application(router: http.router())
            try await app.test(.router) { client in
                let cookies = "token=test-token-1234; Authorization=Bearer test-token-1234; wallboard-token=test-token-1234"
                let writes: [(String, HTTPRequest.Method, String?)] = [
                    ("/api/v1/boards/strip/message", .post, #"{"text": "演练", "seconds": 5}"#),
                    ("/api/v1/boards/strip/message", .delete, nil),
                    ("/api/v1/boards/sign/brightness", .post, #"{"level": 0.3}"#),
                    ("/api/v1/boards/sign/clock", .post, nil),
                ]
                for (uri, method, body) in writes {
                    try await client.execute(uri: uri, method: method, headers: [.cookie: cookies], body: body.map { ByteBuffer(string: $0) }) { response in
                        #expect(response.status == .unauthorized, "\(method) \(uri) with the token in cookies")
                    }
                }
                #expect(service.monitor(id: "strip")?.report.message == nil)
                #expect(service.monitor(id: "sign")?.report.brightnessOverride == nil)
            }
        }
    }

    /// An override below the configured floor is refused with the floor named; one with `seconds`
    /// ends by itself, and the sign, which has no schedule, returns to full brightness, not to the
    /// level it was dimmed to.
    @Test func brightnessOverridesHaveAFloorAndMayEndByThemselves() async throws {
        try await Self.withService { service, http, _ in
            let sign = try #require(service.monitor(id: "sign"))
            #expect(sign.report.brightness == nil, "a board without a schedule is left at its own level")
            let app = Application(router: http.router())
            let token: HTTPFields = [.authorization: "Bearer test-token-1234"]
            try await app.test(.router) { client in
                try await client.execute(uri: "/", method: .get) { response in
                    #expect(String(buffer: response.body).contains(#"name="level" type="number" min="10" max="100""#), "the console offers nothing under the floor")
                }
                for body in [#"{"level": 0}"#, #"{"level": 0.05}"#] {
                    try await client.execute(uri: "/api/v1/boards/sign/brightness", method: .post, headers: token, body: ByteBuffer(string: body)) { response in
                        #expect(response.status == .badRequest, "\(body)")
                        #expect(String(buffer: response.body).contains("between 0.1 (http.brightnessFloor) and 1"))
                    }
                }
                try await client.execute(uri: "/api/v1/boards/sign/brightness", method: .post, headers: token, body: ByteBuffer(string: #"{"level": 0.3, "seconds": 0}"#)) { response in
                    #expect(response.status == .badRequest)
                }
                #expect(sign.report.brightnessOverride == nil)
                let before = Date()
                try await client.execute(uri: "/api/v1/boards/sign/brightness", method: .post, headers: token, body: ByteBuffer(string: #"{"level": 0.3, "seconds": 2}"#)) { response in
                    #expect(response.status == .accepted)
                    let report = try Self.decoder().decode(BoardReport.self, from: Data(buffer: response.body))
                    #expect(report.brightnessOverride == 0.3)
                    let until = try #require(report.brightnessOverrideUntil)
                    // The API's times are whole seconds.
                    #expect(abs(until.timeIntervalSince(before) - 2) <= 1)
                }
            }
            try await eventually("the sign is dimmed", within: .seconds(5)) { sign.report.brightness == 0.3 }
            try await eventually("the override ends", within: .seconds(6)) { sign.report.brightnessOverride == nil }
            try await eventually("the sign is back at full brightness", within: .seconds(5)) { sign.report.brightness == 1.0 }
            #expect(sign.report.brightnessOverrideUntil == nil)
        }
    }

    @Test func clockAndClearingTheMessage() async throws {
        try await Self.withService { service, http, sink in
            let app = Application(router: http.router())
            let token: HTTPFields = [.authorization: "Bearer test-token-1234"]
            try await app.test(.router) { client in
                let before = sink.clockSets.withLock { $0 }
                try await client.execute(uri: "/api/v1/boards/sign/clock", method: .post, headers: token) { response in
                    #expect(response.status == .accepted)
                }
                try await eventually("the sign's clock is set", within: .seconds(5)) { sink.clockSets.withLock { $0 } > before }
                try await client.execute(uri: "/api/v1/boards/strip/clock", method: .post, headers: token) { response in
                    #expect(response.status == .conflict, "a browser board has no clock")
                }

                let strip = try #require(service.monitor(id: "strip"))
                strip.showMessage("演练", until: Date().addingTimeInterval(60))
                _ = try await frame(of: strip) { $0.texts == ["演练"] }
                try await client.execute(uri: "/api/v1/boards/strip/message", method: .delete, headers: token) { response in
                    #expect(response.status == .accepted)
                }
                _ = try await frame(of: strip) { $0.texts != ["演练"] }
                #expect(strip.report.message == nil)
            }
        }
    }

    /// The socket sends the status at once, then a board's fault as it happens, well before the
    /// once-a-second refresh would.
    @Test func liveStatusSendsHealthChangesAtOnce() async throws {
        try await Self.withService { service, http, sink in
            let app = Application(router: http.router(), server: .http1WebSocketUpgrade(webSocketRouter: http.router()), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            _ = try await app.test(.live) { client in
                try await client.ws("/api/v1/live") { inbound, _, _ in
                    var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    func next() async throws -> [String: Any] {
                        guard case .text(let text)? = try await messages.next(),
                              let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                        else { throw TestFailure("expected a JSON text message") }
                        return object
                    }
                    func signStatus(_ message: [String: Any]) -> String? {
                        let boards = message["boards"] as? [[String: Any]] ?? []
                        let sign = boards.first { ($0["report"] as? [String: Any])?["id"] as? String == "sign" }
                        return (sign?["report"] as? [String: Any])?["status"] as? String
                    }
                    let first = try await next()
                    #expect((first["boards"] as? [Any])?.count == 2)
                    #expect(signStatus(first) == "ok")
                    // Just after a message: the next one is a second away unless something changes.
                    sink.failing.withLock { $0 = true }
                    try #require(service.monitor(id: "sign")).showMessage("故障", until: Date().addingTimeInterval(30))
                    let start = ContinuousClock.now
                    var status = signStatus(first)
                    while status != "failing", ContinuousClock.now - start < .seconds(5) {
                        status = signStatus(try await next())
                    }
                    #expect(status == "failing")
                    #expect(ContinuousClock.now - start < .milliseconds(900), "the fault arrived \(ContinuousClock.now - start) after it happened")
                }
            }
        }
    }
}
