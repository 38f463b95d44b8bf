import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WallboardAudit
import WallboardConfig
import WallboardEmulator
import WallboardProtocols
import WallboardTestKit
import WallboardTransport
@testable import WallboardService

/// The processors' routes: readers see their status and history, operators hold a preset, set
/// brightness and black screen and return it to automatic, each action audited; the emulated
/// processor on a loopback UDP port carries them out.
@Suite(.serialized) struct ProcessorAPITests {
    static func service(directory: TemporaryDirectory, port: UInt16, audit: String) throws -> WallboardService {
        var users = "  users:\n"
        for (name, role) in [("viewer", "viewer"), ("ops", "operator"), ("root", "admin")] {
            let file = try AccessTests.tokenFile(name, token: AccessTests.tokens[name] ?? "", in: directory)
            users += "    - {name: \(name), role: \(role), tokenFile: \(file)}\n"
        }
        let text = AccessTests.configurationText(directory: directory, http: users + "  audit: \(audit)\n") + """

            processors:
              - id: wall-splicer
                kind: novastar-h
                address: 127.0.0.1:\(port)
                screen: 1
                presets: {normal: 5, massCasualty: 9, spare: 3}
            """
        return try WallboardService(configuration: try ConfigLoader.load(text, file: directory.path("wallboard.yaml")),
                                    processorTiming: ProcessorServiceTests.fast)
    }

    static func report(_ response: TestResponse) throws -> ProcessorReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ProcessorReport.self, from: Data(buffer: response.body))
    }

    @Test func operatorsDriveTheProcessorAndEveryActionIsAudited() async throws {
        let directory = try TemporaryDirectory()
        let audit = directory.path("audit.jsonl")
        let processor = NovaStarProcessorEmulator()
        try await ProcessorServiceTests.serving(processor) { port in
            let service = try Self.service(directory: directory, port: port, audit: audit)
            try await withRunningBoards(service) {
                try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
                    let path = "/api/v1/processors/wall-splicer"
                    func post(_ action: String, _ body: String, as user: String) async throws -> TestResponse {
                        try await client.execute(uri: path + action, method: .post, headers: AccessTests.bearer(user), body: ByteBuffer(string: body))
                    }
                    #expect(try await post("/preset", #"{"preset": "spare"}"#, as: "viewer").status == .forbidden)
                    #expect(try await client.execute(uri: path + "/preset", method: .post, body: ByteBuffer(string: #"{"preset": "spare"}"#)).status == .unauthorized)
                    #expect(try await post("/preset", #"{"preset": "drill"}"#, as: "ops").status == .badRequest)
                    #expect(try await client.execute(uri: "/api/v1/processors/nowhere/preset", method: .post, headers: AccessTests.bearer("ops"),
                                                     body: ByteBuffer(string: #"{"preset": "spare"}"#)).status == .notFound)

                    let held = try await post("/preset", #"{"preset": "spare"}"#, as: "ops")
                    #expect(held.status == .accepted)
                    #expect(try Self.report(held).heldPreset == "spare")
                    try await eventually("the held preset on the wall") { await processor.screens[try ProcessorServiceTests.number(1)]?.preset?.shown == 3 }

                    #expect(try await post("/brightness", #"{"level": 0.05}"#, as: "ops").status == .badRequest, "under http.brightnessFloor")
                    #expect(try await post("/brightness", #"{"level": 0.4}"#, as: "ops").status == .accepted)
                    try await eventually("40 %") { await processor.screens[try ProcessorServiceTests.number(1)]?.brightness == 40 }
                    #expect(try await post("/black", #"{"black": true}"#, as: "ops").status == .accepted)
                    try await eventually("black") { await processor.screens[try ProcessorServiceTests.number(1)]?.black == true }

                    let released = try await post("/automatic", "", as: "ops")
                    #expect(released.status == .accepted)
                    let report = try Self.report(released)
                    #expect(report.heldPreset == nil && report.brightnessOverride == nil && report.blackScreenOverride == nil)

                    let read = try await client.execute(uri: path, method: .get, headers: AccessTests.bearer("viewer"))
                    #expect(read.status == .ok)
                    let shown = try Self.report(read)
                    #expect(shown.online && shown.preset == "spare" && shown.brightness == 40 && shown.blackScreen == true,
                            "no data and no schedule: automatic leaves what is loaded as it is")
                    let list = try await client.execute(uri: "/api/v1/processors", method: .get, headers: AccessTests.bearer("viewer"))
                    #expect(String(buffer: list.body).contains(#""id":"wall-splicer""#))
                    let events = try await client.execute(uri: path + "/events", method: .get, headers: AccessTests.bearer("viewer"))
                    #expect(String(buffer: events.body).hasPrefix(#"[{"#) && String(buffer: events.body).contains(#""status":"ok""#))
                    let health = try await client.execute(uri: "/healthz", method: .get, headers: AccessTests.bearer("viewer"))
                    #expect(String(buffer: health.body).contains(#""processors":[{"#))
                    let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                    #expect(metrics.contains(#"wallboard_processor_online{processor="wall-splicer"} 1"#))
                    #expect(metrics.contains(#"wallboard_processor_preset{preset="spare",processor="wall-splicer"} 1"#)
                        || metrics.contains(#"wallboard_processor_preset{processor="wall-splicer",preset="spare"} 1"#), "\(metrics)")
                    #expect(metrics.contains(#"wallboard_processor_brightness_percent{processor="wall-splicer"} 40"#))
                }
            }
            let entries = try #require(service.audit).entries(since: nil, limit: 100)
            let summary = entries.map { "\($0.status) \($0.action) \($0.user ?? "-") \($0.text ?? "")" }
            #expect(summary == [
                "403 POST /api/v1/processors/wall-splicer/preset viewer spare",
                "401 POST /api/v1/processors/wall-splicer/preset - spare",
                "400 POST /api/v1/processors/wall-splicer/preset ops drill",
                "404 POST /api/v1/processors/nowhere/preset ops spare",
                "202 POST /api/v1/processors/wall-splicer/preset ops spare",
                "400 POST /api/v1/processors/wall-splicer/brightness ops ",
                "202 POST /api/v1/processors/wall-splicer/brightness ops ",
                "202 POST /api/v1/processors/wall-splicer/black ops ",
                "202 POST /api/v1/processors/wall-splicer/automatic ops ",
            ], "\(summary)")
        }
    }

    @Test func theConsoleShowsEachProcessorWithItsControls() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.service(directory: directory, port: 9, audit: directory.path("audit.jsonl"))
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            let page = String(buffer: try await client.execute(uri: "/", method: .get, headers: AccessTests.bearer("viewer")).body)
            #expect(page.contains(#"data-processor="wall-splicer""#))
            #expect(page.contains("<option>massCasualty</option>") && page.contains(#"class="automatic""#))
            #expect(page.contains(#"<script src="/scripts/processors.js"></script>"#))
            let script = try await client.execute(uri: "/scripts/processors.js", method: .get)
            #expect(script.status == .ok && String(buffer: script.body).contains("function showProcessors"))
        }
    }
}
