import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import NIOCore
import Testing
import WallboardTestKit
@testable import WallboardService

/// What another site's page could make a browser do: the service answers only to its own names,
/// takes writes and WebSockets only from its own pages, keeps its pages out of frames and inline
/// scripts out of them, and its refusals tell a stranger nothing.
@Suite(.serialized) struct BrowserGuardTests {
    static func service(directory: TemporaryDirectory, extra: String = "") throws -> WallboardService {
        try AccessTests.serviceWithUsers(directory: directory, extra: extra)
    }

    @Test func everyAnswerCarriesTheBrowserHeaders() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.service(directory: directory)
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            for (uri, headers) in [("/", AccessTests.bearer("viewer")), ("/api/v1/boards", AccessTests.bearer("viewer")), ("/healthz", [:]), ("/", [:]), ("/nowhere", [:])] {
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true, "\(uri) \(response.status)")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                    #expect(response.headers[.xFrameOptions] == "DENY")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                    #expect(response.headers[.referrerPolicy] == "no-referrer")
                }
            }
        }
    }

    /// The pages run no inline script: their scripts are files of the service's own.
    @Test func pagesLoadTheirScriptsFromFiles() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.service(directory: directory)
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            for uri in ["/", "/boards/strip"] {
                try await client.execute(uri: uri, method: .get, headers: AccessTests.bearer("viewer")) { response in
                    let page = String(buffer: response.body)
                    let scripts = page.components(separatedBy: "<script").dropFirst()
                    #expect(!scripts.isEmpty, "\(uri)")
                    #expect(scripts.allSatisfy { $0.hasPrefix(" src=\"/scripts/") && $0.contains("></script>") && !$0.hasPrefix(">") }, "\(uri): \(page)")
                }
            }
            for name in ["frames", "console", "board"] {
                try await client.execute(uri: "/scripts/\(name).js", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                }
            }
            try await client.execute(uri: "/scripts/console.js", method: .get) { response in
                #expect(String(buffer: response.body).contains("document.body.dataset.zone"))
            }
        }
    }

    @Test func aWrongMethodIs405WithTheMethodsAllowed() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.service(directory: directory)
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            let cases: [(String, HTTPRequest.Method, String)] = [
                ("/healthz", .post, "GET"),
                ("/api/v1/boards", .put, "GET"),
                ("/api/v1/boards/strip/clock", .get, "POST"),
                ("/api/v1/boards/strip/message", .get, "DELETE, POST"),
            ]
            for (uri, method, allowed) in cases {
                try await client.execute(uri: uri, method: method, headers: AccessTests.bearer("ops")) { response in
                    #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                    #expect(response.headers[.allow] == allowed, "\(method) \(uri)")
                }
            }
            try await client.execute(uri: "/api/v1/nothing", method: .get, headers: AccessTests.bearer("ops")) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func notFoundListsNothing() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.service(directory: directory)
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            for uri in ["/api/v1/boards/nope", "/boards/nope", "/api/v1/boards/nope/events"] {
                try await client.execute(uri: uri, method: .get, headers: AccessTests.bearer("viewer")) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    let body = String(buffer: response.body)
                    #expect(!body.contains("strip") && !body.contains("door"), "\(uri): \(body)")
                }
            }
        }
    }

    /// Over real sockets, through the service's own server: the Host a browser names and the Origin
    /// of the page that asks.
    @Test func foreignHostsAndOriginsAreRefused() async throws {
        let directory = try TemporaryDirectory()
        let service = try AccessTests.serviceWithUsers(
            directory: directory, extra: "  hosts: [wallboard.centre.example]\n  origins: [\"https://console.centre.example\"]\n  audit: \(directory.path("audit.jsonl"))\n"
        )
        let app = HTTPInterface(service: service).application()
        let viewer = "Authorization: Bearer \(AccessTests.tokens["viewer"] ?? "")\r\n"
        let ops = "Authorization: Bearer \(AccessTests.tokens["ops"] ?? "")\r\n"
        try await app.test(.live) { client in
            let port = try #require(client.port)
            func head(_ request: String) async throws -> String {
                let connection = try LoopbackClient(from: "127.0.0.1", to: port)
                connection.send(request)
                return await connection.responseHead()
            }
            func status(_ head: String) -> String { String(head.split(separator: " ").dropFirst().first ?? "") }

            for host in ["127.0.0.1:\(port)", "localhost:\(port)", "wallboard.centre.example:\(port)"] {
                let answer = try await head("GET /api/v1/boards HTTP/1.1\r\nHost: \(host)\r\n\(viewer)Connection: close\r\n\r\n")
                #expect(status(answer) == "200", "\(host): \(answer)")
            }
            let rebound = try await head("GET /api/v1/boards HTTP/1.1\r\nHost: rebound.attacker.example:\(port)\r\n\(viewer)Connection: close\r\n\r\n")
            #expect(status(rebound) == "421", "\(rebound)")

            let upgrade = "GET /boards/strip/ws HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\(viewer)Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            #expect(status(try await head(upgrade + "Origin: http://127.0.0.1:\(port)\r\n\r\n")) == "101", "the service's own page")
            #expect(status(try await head(upgrade + "Origin: https://console.centre.example\r\n\r\n")) == "101", "a configured origin")
            // Refused before the upgrade, so the router answers as for any request.
            let foreign = try await head(upgrade + "Origin: http://attacker.example\r\n\r\n")
            #expect(status(foreign) == "403", "\(foreign)")
            #expect(foreign.contains("X-Frame-Options: DENY"), "the browser guard's answer: \(foreign)")
            let reboundUpgrade = try await head(upgrade.replacingOccurrences(of: "Host: 127.0.0.1:\(port)", with: "Host: rebound.attacker.example") + "Origin: http://rebound.attacker.example\r\n\r\n")
            #expect(status(reboundUpgrade) == "421", "\(reboundUpgrade)")
            // hummingbird-websocket answers an upgrade the router refuses with its own 400.
            let withoutCredential = try await head(upgrade.replacingOccurrences(of: viewer, with: "") + "Origin: http://127.0.0.1:\(port)\r\n\r\n")
            #expect(status(withoutCredential) == "400", "\(withoutCredential)")

            let message = #"{"text": "演练", "seconds": 5}"#
            let post = "POST /api/v1/boards/strip/message HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\(ops)Content-Type: application/json\r\nContent-Length: \(message.utf8.count)\r\nConnection: close\r\n"
            #expect(status(try await head(post + "Origin: http://attacker.example\r\n\r\n" + message)) == "403")
            #expect(service.monitor(id: "strip")?.report.message == nil, "nothing changed")
            #expect(status(try await head(post + "Origin: http://127.0.0.1:\(port)\r\n\r\n" + message)) == "202")
            #expect(status(try await head(post + "\r\n" + message)) == "202", "a script sends no Origin")
        }
        let refused = try #require(service.audit).entries(since: nil, limit: 100).filter { $0.action == "GET /boards/strip/ws" }.map(\.status)
        #expect(refused == [403, 401], "the refused upgrades are in the audit trail (a misdirected request is not a refusal of anyone): \(refused)")
    }
}
