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
}
