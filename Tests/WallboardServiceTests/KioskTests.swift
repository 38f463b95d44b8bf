import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Logging
import NIOCore
import Testing
import WallboardAudit
import WallboardConfig
import WallboardTestKit
@testable import WallboardService

/// The wall PC's browser enrolled once as a viewer: a one-time link an admin makes, a cookie that
/// survives restarts and is renewed by use, and revocation that takes effect at once.
@Suite(.serialized) struct KioskTests {
    static func service(directory: TemporaryDirectory, logger: Logger = Logger(label: "test")) throws -> WallboardService {
        try AccessTests.serviceWithUsers(
            directory: directory, extra: "  audit: \(directory.path("audit.jsonl"))\n  kiosks: \(directory.path("kiosks.json"))\n", logger: logger
        )
    }

    /// The admin's link for a kiosk `name` showing `board`: its path and query, and its code.
    static func link(_ client: some TestClientProtocol, name: String, board: String = "strip") async throws -> (path: String, code: String) {
        try await client.execute(
            uri: "/api/v1/kiosks", method: .post, headers: AccessTests.bearer("root"),
            body: ByteBuffer(string: #"{"name": "\#(name)", "board": "\#(board)"}"#)
        ) { response in
            #expect(response.status == .created, "\(String(buffer: response.body))")
            let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            let link = try #require(object?["link"] as? String)
            #expect(link.hasPrefix("http://"), "\(link)")
            let query = try #require(link.range(of: "/kiosk/enrol?code="))
            let code = String(link[query.upperBound...])
            #expect(code.count == 43)
            return (String(link[query.lowerBound...]), code)
        }
    }

    /// Redeems `code` as the wall PC's browser would; the cookie's value.
    static func enrol(_ client: some TestClientProtocol, code: String, expecting location: String = "/boards/strip") async throws -> String {
        try await client.execute(
            uri: "/kiosk/enrol", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "code=\(code)")
        ) { response in
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == location)
            let cookie = try #require(response.headers[.setCookie])
            for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=2592000"] {
                #expect(cookie.contains(attribute), "\(attribute) in \(cookie)")
            }
            let value = try #require(cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
            return String(value)
        }
    }

    static func cookie(_ secret: String) -> HTTPFields {
        [.cookie: "\(KioskRegistry.cookieName)=\(secret)"]
    }

    @Test func anEnrolledKioskIsAViewerThatSurvivesARestartUntilItIsRevoked() async throws {
        let directory = try TemporaryDirectory()
        let log = LogRecord()
        let service = try Self.service(directory: directory, logger: log.logger)
        let (code, secret) = try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            for name in ["viewer", "ops"] {
                try await client.execute(uri: "/api/v1/kiosks", method: .post, headers: AccessTests.bearer(name), body: ByteBuffer(string: #"{"name": "x"}"#)) { response in
                    #expect(response.status == .forbidden, "\(name) may not enrol a kiosk")
                }
            }
            let link = try await Self.link(client, name: "hall-wall")
            let code = link.code
            try await client.execute(uri: link.path, method: .get) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains(#"<input type="hidden" name="code" value="\#(code)">"#) && page.contains("hall-wall"), "\(page)")
            }
            try await client.execute(uri: link.path, method: .get) { response in
                #expect(response.status == .ok, "opening the page does not use the link up")
            }
            let secret = try await Self.enrol(client, code: code)
            try await client.execute(uri: "/kiosk/enrol", method: .post, body: ByteBuffer(string: "code=\(code)")) { response in
                #expect(response.status == .forbidden, "a link is good once")
            }
            for uri in ["/boards/strip", "/boards/door", "/", "/api/v1/boards"] {
                try await client.execute(uri: uri, method: .get, headers: Self.cookie(secret)) { response in
                    #expect(response.status == .ok, "the kiosk reads \(uri)")
                }
            }
            try await client.execute(
                uri: "/api/v1/boards/strip/message", method: .post, headers: Self.cookie(secret), body: ByteBuffer(string: #"{"text": "演练"}"#)
            ) { response in
                #expect(response.status == .forbidden, "a kiosk is a viewer: it controls nothing")
            }
            for uri in ["/api/v1/kiosks", "/api/v1/audit"] {
                try await client.execute(uri: uri, method: .get, headers: Self.cookie(secret)) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                }
            }
            try await client.execute(uri: "/api/v1/kiosks", method: .post, headers: AccessTests.bearer("root"), body: ByteBuffer(string: #"{"name": "hall-wall"}"#)) { response in
                #expect(response.status == .conflict, "one kiosk per name")
            }
            return (code, secret)
        }

        let file = directory.path("kiosks.json")
        let stored = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!stored.contains(secret) && !stored.contains(code) && stored.contains(KioskRegistry.hash(secret)))
        let mode = try #require(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        #expect(mode == 0o600)

        let restarted = try Self.service(directory: directory, logger: log.logger)
        try await Application(router: HTTPInterface(service: restarted).router()).test(.router) { client in
            try await client.execute(uri: "/boards/strip", method: .get, headers: Self.cookie(secret)) { response in
                #expect(response.status == .ok, "the enrolment survives a restart")
            }
            try await client.execute(uri: "/api/v1/kiosks", method: .get, headers: AccessTests.bearer("root")) { response in
                let kiosks = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
                #expect(kiosks?.map { $0["name"] as? String } == ["hall-wall"])
                #expect(kiosks?.first?["enrolledBy"] as? String == "root")
                #expect(kiosks?.first?["board"] as? String == "strip")
                #expect(kiosks?.first?["lastSeen"] != nil && kiosks?.first?["expires"] != nil)
            }
            try await client.execute(uri: "/api/v1/kiosks/hall-wall", method: .delete, headers: AccessTests.bearer("root")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/boards/strip", method: .get, headers: Self.cookie(secret)) { response in
                #expect(response.status == .unauthorized, "revoked at once")
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true, "and cleared")
            }
            try await client.execute(uri: "/api/v1/kiosks/hall-wall", method: .delete, headers: AccessTests.bearer("root")) { response in
                #expect(response.status == .notFound)
            }
        }

        let entries = try AuditTrail.verify(path: directory.path("audit.jsonl")).lines
        let trail = try #require(restarted.audit).entries(since: nil, limit: 100)
        #expect(trail.count == entries)
        let summary = trail.map { "\($0.status) \($0.action) \($0.user ?? "-") \($0.text ?? "-")" }
        #expect(summary.contains("201 POST /api/v1/kiosks root hall-wall"), "\(summary)")
        #expect(summary.contains("303 POST /kiosk/enrol hall-wall -"), "\(summary)")
        #expect(summary.contains("204 DELETE /api/v1/kiosks/hall-wall root -"), "\(summary)")
        #expect(summary.contains("403 POST /api/v1/boards/strip/message hall-wall 演练"), "\(summary)")
        #expect(summary.contains("401 GET /boards/strip - -"), "\(summary)")
        let written = try String(contentsOfFile: try #require(AuditTrail.dayFiles(of: directory.path("audit.jsonl")).last?.path), encoding: .utf8)
        #expect(!written.contains(code) && !written.contains(secret), "neither the link's code nor the cookie is in the audit trail")
        #expect(!log.all.contains { $0.message.contains(code) || $0.message.contains(secret) }, "nor in the log")
        #expect(!log.entries(.notice, containing: "enrolled kiosk 'hall-wall'").isEmpty)
    }

    @Test func unknownAndExpiredLinksAreRefusedCredentials() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.service(directory: directory)
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            try await client.execute(uri: "/kiosk/enrol?code=guessed", method: .get) { response in
                #expect(response.status == .forbidden)
            }
            for _ in 0..<10 {
                try await client.execute(uri: "/kiosk/enrol", method: .post, body: ByteBuffer(string: "code=guessed")) { _ in }
            }
            try await client.execute(uri: "/kiosk/enrol", method: .post, body: ByteBuffer(string: "code=guessed")) { response in
                #expect(response.status == .tooManyRequests, "guessing codes is locked out like guessing tokens")
            }
        }

        let registry = try KioskRegistry(path: directory.path("other-kiosks.json"))
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        let late = try registry.link(name: "late", board: nil, by: "root", now: start)
        #expect(try registry.redeem(code: late.code, now: start.addingTimeInterval(15 * 60 + 1)) == nil, "a link lasts 15 minutes")
        #expect(throws: KioskRegistry.EnrolmentRefusal.badName) { try registry.link(name: "hall wall", board: nil, by: "root", now: start) }
    }

    /// Each use renews the kiosk (once an hour at most); a month unused and it must be enrolled again.
    @Test func aKioskLapsesAfterAMonthUnused() throws {
        let directory = try TemporaryDirectory()
        let registry = try KioskRegistry(path: directory.path("kiosks.json"))
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        let code = try registry.link(name: "door-s01", board: nil, by: "root", now: start).code
        let secret = try #require(try registry.redeem(code: code, now: start)).secret
        #expect(registry.kiosk(secret: secret, now: start.addingTimeInterval(60))?.renew == false, "renewed at most once an hour")
        let day = start.addingTimeInterval(86400)
        #expect(registry.kiosk(secret: secret, now: day)?.renew == true)
        #expect(try KioskRegistry(path: directory.path("kiosks.json")).reports.first?.lastSeen == day, "the use is on disk")
        #expect(registry.kiosk(secret: secret, now: day.addingTimeInterval(29 * 86400)) != nil, "a month from its last use")
        #expect(registry.kiosk(secret: secret, now: day.addingTimeInterval(29 * 86400 + 2 * 30 * 86400)) == nil, "lapsed after a month unused")
        #expect(registry.kiosk(secret: "not-a-kiosk", now: start) == nil)
    }

    /// The file holds what lets a browser in: refused when others may read it, or when it is not Wallboard's.
    @Test func theKiosksFileIsRefusedWhenOthersMayReadItOrItIsNotAList() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("kiosks.json")
        let registry = try KioskRegistry(path: path)
        let code = try registry.link(name: "hall-wall", board: nil, by: "root", now: Date()).code
        _ = try registry.redeem(code: code, now: Date())
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: (any Error).self) { try KioskRegistry(path: path) }
        #expect(throws: ServiceSetupError.self, "nor does the service start on it") { try Self.service(directory: directory) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try KioskRegistry(path: path).reports.map(\.name) == ["hall-wall"])
        try Data("{\"kiosks\": 1}".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try KioskRegistry(path: path)
            Issue.record("a file that is not a list of kiosks was taken")
        } catch {
            #expect("\(error)".contains("\(path): is not a list of kiosks"), "\(error)")
        }
    }

    /// A revoked kiosk's open stream ends, and the page's reconnection is refused: 401, not the
    /// upgrade's bare 400.
    @Test func revokingClosesTheKiosksOpenStream() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.service(directory: directory)
        try await HTTPInterface(service: service).application().test(.live) { client in
            let code = try await Self.link(client, name: "console-pc").code
            let secret = try await Self.enrol(client, code: code, expecting: "/boards/strip")
            let headers = Self.cookie(secret)
            let port = try #require(client.port)
            func upgrade() async throws -> String {
                let connection = try LoopbackClient(from: "127.0.0.1", to: port)
                connection.send(
                    "GET /boards/strip/ws HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nCookie: \(KioskRegistry.cookieName)=\(secret)\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
                )
                return await connection.responseHead()
            }
            let opened = try await upgrade()
            #expect(opened.hasPrefix("HTTP/1.1 101"), "\(opened)")
            let received = Locked(0)
            let started = ContinuousClock.now
            try await client.ws("/api/v1/live", configuration: .init(additionalHeaders: headers)) { inbound, _, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await _ in inbound.messages(maxSize: 1 << 20) {
                            received.withLock { $0 += 1 }
                            if received.withLock({ $0 }) == 1 {
                                #expect(try service.access.kiosks?.revoke("console-pc") == true)
                            }
                        }
                    }
                    group.addTask {
                        try await Task.sleep(for: .seconds(10))
                        throw TestFailure("the revoked kiosk's stream stayed open")
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
            #expect(received.withLock { $0 } <= 2, "the stream ended after the revocation")
            #expect(ContinuousClock.now - started < .seconds(5))
            try await client.execute(uri: "/api/v1/live", method: .get, headers: headers) { response in
                #expect(response.status == .unauthorized)
            }
            let refused = try await upgrade()
            #expect(refused.hasPrefix("HTTP/1.1 401"), "\(refused)")
            #expect(refused.contains("Max-Age=0"), "and the cookie cleared: \(refused)")
        }
    }
}
