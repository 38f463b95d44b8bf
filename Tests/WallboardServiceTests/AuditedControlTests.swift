import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WallboardAudit
@testable import WallboardService

/// Every control request, refused or done, is in the audit trail with who sent it, before it is answered.
@Suite(.serialized) struct AuditedControlTests {
    @Test func controlsAreRecordedWithTheUserAndTheTextBeforeTheyAreAnswered() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("audit.jsonl")
        let service = try AccessTests.serviceWithUsers(directory: directory, extra: "  audit: \(path)\n")
        let message = #"{"text": "演练", "seconds": 5}"#
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            try await client.execute(uri: "/api/v1/boards/strip/message", method: .post, headers: AccessTests.bearer("viewer"), body: ByteBuffer(string: message)) { response in
                #expect(response.status == .forbidden)
                #expect((try? AuditTrail.verify(path: path).lines) == 1, "on disk before the answer")
            }
            try await client.execute(uri: "/api/v1/boards/strip/message", method: .post, headers: AccessTests.bearer("ops"), body: ByteBuffer(string: message)) { response in
                #expect(response.status == .accepted)
                #expect((try? AuditTrail.verify(path: path).lines) == 2, "on disk before the answer")
            }
            try await client.execute(uri: "/api/v1/boards", method: .get, headers: AccessTests.bearer("ops")) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try AuditTrail.verify(path: path).lines == 2, "reading is not a control")
        let entries = try #require(service.audit).entries(since: nil, limit: 10)
        #expect(entries.map(\.user) == ["viewer", "ops"])
        #expect(entries.map(\.role) == ["viewer", "operator"])
        #expect(entries.map(\.status) == [403, 202])
        #expect(entries.allSatisfy { $0.action == "POST /api/v1/boards/strip/message" && $0.text == "演练" })
    }

    /// A refused request is recorded on any route, not only on the controls: no credential for a
    /// page (401), a token that is no user's (401), a page from another site (403), and the lock-out (429).
    @Test func refusedRequestsAreRecordedOnEveryRoute() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("audit.jsonl")
        let service = try AccessTests.serviceWithUsers(directory: directory, extra: "  audit: \(path)\n")
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            try await client.execute(uri: "/boards/strip", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/boards", method: .get, headers: [.authorization: "Bearer not-a-users-token-0123456789"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/boards/strip/message", method: .delete, headers: [.authorization: AccessTests.bearer("ops")[.authorization] ?? "", .origin: "https://elsewhere.example"]) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/audit", method: .get, headers: AccessTests.bearer("viewer")) { response in
                #expect(response.status == .forbidden)
            }
            for _ in 0..<11 {
                try await client.execute(uri: "/healthz", method: .get, headers: [.authorization: "Bearer guess-0123456789abcdefghijkl"]) { _ in }
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok, "an answered read is not recorded")
            }
        }
        let entries = try #require(service.audit).entries(since: nil, limit: 100)
        let summary = entries.map { "\($0.status) \($0.action) \($0.user ?? "-")" }
        #expect(Array(summary.prefix(4)) == [
            "401 GET /boards/strip -", "401 GET /api/v1/boards -", "403 DELETE /api/v1/boards/strip/message -",
            "403 GET /api/v1/audit viewer",
        ])
        // The token that was no user's counts too: the tenth guess after it is the eleventh refusal.
        #expect(Array(summary.dropFirst(4)) == Array(repeating: "401 GET /healthz -", count: 9) + Array(repeating: "429 GET /healthz -", count: 2))
        #expect(try AuditTrail.verify(path: path).lines == entries.count)
    }

    /// The trail is for admins: viewers and operators get 403; `since` and `limit` choose the lines.
    @Test func onlyAdminsReadTheTrail() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("audit.jsonl")
        let service = try AccessTests.serviceWithUsers(directory: directory, extra: "  audit: \(path)\n")
        let trail = try #require(service.audit)
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        for index in 0..<5 {
            try trail.append(AuditEntry(
                time: start.addingTimeInterval(Double(index) * 60), user: "ops", role: "operator", client: "10.1.2.3",
                action: "POST /api/v1/boards/strip/message", text: "演练 \(index)", status: 202
            ))
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            try await client.execute(uri: "/api/v1/audit", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            for name in ["viewer", "ops"] {
                try await client.execute(uri: "/api/v1/audit", method: .get, headers: AccessTests.bearer(name)) { response in
                    #expect(response.status == .forbidden, "\(name)")
                }
            }
            try await client.execute(uri: "/api/v1/audit?limit=2", method: .get, headers: AccessTests.bearer("root")) { response in
                #expect(response.status == .ok)
                let entries = try decoder.decode([AuditEntry].self, from: Data(buffer: response.body))
                #expect(entries.map(\.user) == ["viewer", "ops"], "the newest: the refused reads before this one")
            }
            try await client.execute(uri: "/api/v1/audit?since=2030-03-17T17:47:40Z&limit=2", method: .get, headers: AccessTests.bearer("root")) { response in
                let entries = try decoder.decode([AuditEntry].self, from: Data(buffer: response.body))
                #expect(entries.map(\.text) == ["演练 1", "演练 2"])
            }
            for query in ["since=yesterday", "limit=0", "limit=5000"] {
                try await client.execute(uri: "/api/v1/audit?\(query)", method: .get, headers: AccessTests.bearer("root")) { response in
                    #expect(response.status == .badRequest, "\(query)")
                }
            }
        }
    }

    /// The console shows whether the day being written still holds: an edited or a removed line is found.
    @Test func adminsSeeWhetherTheNewestDaysChainHolds() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("audit.jsonl")
        let service = try AccessTests.serviceWithUsers(directory: directory, extra: "  audit: \(path)\n")
        let trail = try #require(service.audit)
        for index in 0..<3 {
            try trail.append(AuditEntry(time: Date(), user: "ops", role: "operator", client: "10.1.2.3", action: "DELETE /api/v1/boards/strip/message", text: nil, status: 200 + index))
        }
        let file = try #require(AuditTrail.dayFiles(of: path).last?.path)
        @Sendable func chain(_ client: some TestClientProtocol) async throws -> [String: Any] {
            try await client.execute(uri: "/api/v1/audit/chain", method: .get, headers: AccessTests.bearer("root")) { response in
                #expect(response.status == .ok)
                return try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
            }
        }
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            try await client.execute(uri: "/api/v1/audit/chain", method: .get, headers: AccessTests.bearer("ops")) { response in
                #expect(response.status == .forbidden)
            }
            let whole = try await chain(client)
            #expect(whole["intact"] as? Bool == true && whole["lines"] as? Int == 4, "three and the refusal just before: \(whole)")

            let original = try String(contentsOfFile: file, encoding: .utf8)
            try original.replacingOccurrences(of: #""status":201"#, with: #""status":403"#).write(toFile: file, atomically: false, encoding: .utf8)
            let edited = try await chain(client)
            #expect(edited["intact"] as? Bool == false && (edited["problem"] as? String)?.contains("line 2 was changed") == true, "\(edited)")

            let lines = original.split(separator: "\n")
            try (lines.dropLast().joined(separator: "\n") + "\n").write(toFile: file, atomically: false, encoding: .utf8)
            let shortened = try await chain(client)
            #expect(shortened["intact"] as? Bool == false && (shortened["problem"] as? String)?.contains("not the last one written") == true, "\(shortened)")
        }
    }
}
