import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Logging
import NIOCore
import Testing
import WallboardExport
import WallboardRender
import WallboardTestKit
@testable import WallboardService

@Suite(.serialized) struct HTTPTests {
    static let layouts = TemporaryDirectory.layoutsDirectory.path

    static let boards = """
          - id: strip
            name: 来电条屏
            layout: \(layouts)/strip-160x16-calls.yaml
            transport: browser
          - id: sign
            layout: \(layouts)/strip-160x16-calls.yaml
            transport: browser
        """

    /// A service over a simulated database with its boards running; `sink` stands in for the sign's device.
    static func withService(_ body: @Sendable (WallboardService, HTTPInterface) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let config = try configuration(database: database.path, directory: directory, boards: boards)
        let sink = RecordingSink(deviceName: "/dev/ttyTEST")
        let service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test")) { board, _ in
            board.id == "sign" ? sink : nil
        }
        try await withRunningBoards(service) {
            // Data read, and every board has drawn it.
            try await eventually("the data is current", within: .seconds(10)) { service.health(now: Date()).status == .ok }
            for monitor in service.monitors {
                _ = try await frame(of: monitor) { !$0.texts.contains { $0.hasPrefix("数据中断") } }
            }
            try await body(service, HTTPInterface(service: service))
        }
    }

    @Test func statusAPIListsEveryBoard() async throws {
        try await Self.withService { _, http in
            let app = Application(router: http.router())
            try await app.test(.router) { client in
                try await client.execute(uri: "/api/v1/boards", method: .get) { response in
                    #expect(response.status == .ok)
                    let decoder = JSONDecoder()
                    decoder.dateDecodingStrategy = .iso8601
                    let reports = try decoder.decode([BoardReport].self, from: Data(buffer: response.body))
                    #expect(reports.map(\.id) == ["strip", "sign"])
                    #expect(reports[0].name == "来电条屏")
                    #expect(reports[0].output == "browser")
                    #expect(reports[0].status == .ok)
                    #expect(reports[0].lastUpdate != nil)
                    #expect(reports[1].device == "/dev/ttyTEST")
                }
                try await client.execute(uri: "/api/v1/boards/nope", method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    @Test func framePNGIsTheBoardsFrame() async throws {
        try await Self.withService { service, http in
            let app = Application(router: http.router())
            try await app.test(.router) { client in
                let before = try #require(service.monitor(id: "strip")?.frame)
                try await client.execute(uri: "/boards/strip/frame.png", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "image/png")
                    let image = try PNG.decode(Array(buffer: response.body))
                    #expect(image.width == 160 && image.height == 16)
                    let after = try #require(service.monitor(id: "strip")?.frame)
                    func shows(_ frame: Frame) -> Bool {
                        (0..<16).allSatisfy { y in (0..<160).allSatisfy { x in image.colour(x: x, y: y) == frame.bitmap.colour(x: x, y: y) } }
                    }
                    // The strip may have changed between the reads; the PNG is one of the two frames.
                    #expect(shows(before) || shows(after))
                }
            }
        }
    }

    @Test func previewsStandBesideTheBoards() async throws {
        try await Self.withService { service, http in
            let preview = try service.addPreview(id: "sign-emulator", name: "decoded", output: "emulator (alpha)", width: 4, height: 2, format: .mono)
            #expect(throws: ServiceSetupError.self) {
                try service.addPreview(id: "strip", name: "again", output: "emulator", width: 1, height: 1, format: .mono)
            }
            var canvas = Canvas(width: 4, height: 2, format: .mono)
            canvas.setPixel(x: 1, y: 1, .on)
            preview.show(Frame(bitmap: canvas.bitmap))
            let app = Application(router: http.router())
            try await app.test(.router) { client in
                try await client.execute(uri: "/api/v1/boards/sign-emulator", method: .get) { response in
                    #expect(String(buffer: response.body).contains(#""output":"emulator (alpha)""#))
                }
                try await client.execute(uri: "/boards/sign-emulator/frame.png", method: .get) { response in
                    let image = try PNG.decode(Array(buffer: response.body))
                    #expect(image.colour(x: 1, y: 1) == .white && image.colour(x: 0, y: 0) == .black)
                }
            }
        }
    }

    @Test func pagesListTheBoards() async throws {
        try await Self.withService { _, http in
            let app = Application(router: http.router())
            try await app.test(.router) { client in
                try await client.execute(uri: "/", method: .get) { response in
                    let page = String(buffer: response.body)
                    #expect(page.contains("测试急救中心"))
                    #expect(page.contains("href=\"/boards/strip\""))
                    #expect(page.contains("data-board=\"sign\""))
                    #expect(page.contains("</span> · 浏览器 · 160×16 双色 · "), "the page names outputs and formats in Chinese")
                }
                try await client.execute(uri: "/boards/sign", method: .get) { response in
                    #expect(String(buffer: response.body).contains("width=\"160\" height=\"16\""))
                }
            }
        }
    }

    @Test func changesNeedTheToken() async throws {
        try await Self.withService { service, http in
            let app = Application(router: http.router())
            try await app.test(.router) { client in
                let body = ByteBuffer(string: #"{"text": "演练", "seconds": 5}"#)
                try await client.execute(uri: "/api/v1/boards/strip/message", method: .post, body: body) { response in
                    #expect(response.status == .unauthorized)
                }
                try await client.execute(uri: "/api/v1/boards/strip/message", method: .post, headers: [.authorization: "Bearer wrong-token-000"], body: body) { response in
                    #expect(response.status == .unauthorized)
                }
                #expect(service.monitor(id: "strip")?.report.message == nil)
                try await client.execute(uri: "/api/v1/boards/strip/message", method: .post, headers: [.authorization: "Bearer test-token-1234"], body: body) { response in
                    #expect(response.status == .accepted)
                }
                let strip = try #require(service.monitor(id: "strip"))
                _ = try await frame(of: strip) { $0.texts == ["演练"] }

                let brightness = ByteBuffer(string: #"{"level": 0.3}"#)
                try await client.execute(uri: "/api/v1/boards/sign/brightness", method: .post, body: brightness) { response in
                    #expect(response.status == .unauthorized)
                }
                try await client.execute(uri: "/api/v1/boards/sign/brightness", method: .post, headers: [.authorization: "Bearer test-token-1234"], body: brightness) { response in
                    #expect(response.status == .accepted)
                }
                #expect(service.monitor(id: "sign")?.report.brightnessOverride == 0.3)
                try await client.execute(uri: "/api/v1/boards/strip/brightness", method: .post, headers: [.authorization: "Bearer test-token-1234"], body: brightness) { response in
                    #expect(response.status == .conflict, "a browser board has no brightness")
                }
            }
        }
    }

    /// The HTTP side tells the time by the service's clock, as the boards do: a message for 5 s
    /// lasts until 5 s after the clock's now, and /healthz reports the data's age on that clock.
    @Test func requestsUseTheServicesClock() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let config = try configuration(database: database.path, directory: directory, boards: Self.boards)
        let clock = Date(timeIntervalSince1970: 1_900_000_000)
        let service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test"), wallClock: { clock }) { _, _ in nil }
        let app = Application(router: HTTPInterface(service: service).router())
        try await app.test(.router) { client in
            let body = ByteBuffer(string: #"{"text": "演练", "seconds": 5}"#)
            try await client.execute(uri: "/api/v1/boards/strip/message", method: .post, headers: [.authorization: "Bearer test-token-1234"], body: body) { response in
                #expect(response.status == .accepted)
            }
            #expect(service.monitor(id: "strip")?.report.messageUntil == clock.addingTimeInterval(5))
        }
    }

    @Test func healthAndMetrics() async throws {
        try await Self.withService { _, http in
            let app = Application(router: http.router())
            try await app.test(.router) { client in
                try await client.execute(uri: "/healthz", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains(#""status":"ok""#))
                    #expect(String(buffer: response.body).contains(#""database":"sqlite""#))
                }
                try await client.execute(uri: "/api/v1/source", method: .get) { response in
                    let decoder = JSONDecoder()
                    decoder.dateDecodingStrategy = .iso8601
                    let report = try decoder.decode(SourceReport.self, from: Data(buffer: response.body))
                    #expect(report.database == "sqlite")
                    #expect(report.configured.first?.hasSuffix(".db") == true, "\(report.configured)")
                    #expect(report.host == nil, "a file has no host")
                    #expect(report.warning == nil, "a WAL file puts no writer at risk")
                }
                try await client.execute(uri: "/metrics", method: .get) { response in
                    let text = String(buffer: response.body)
                    #expect(text.contains(#"wallboard_frames_rendered_total{board="strip"}"#))
                    #expect(text.contains(#"wallboard_bytes_sent_total{board="sign"}"#))
                    #expect(text.contains("wallboard_snapshot_age_seconds"))
                    #expect(text.contains("wallboard_commit_to_wire_seconds"))
                }
            }
        }
    }

    @Test func webSocketSendsTheWholeFrameThenChanges() async throws {
        try await Self.withService { service, http in
            let strip = try #require(service.monitor(id: "strip"))
            try await frameMessages(from: http, path: "/boards/strip/ws") { next in
                let bytes = try #require(try await next(), "an inflated binary frame message")
                func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
                let header: [Int] = [0, 2, 4, 6, 8, 10, 12].map(u16)
                #expect(header == [160, 16, 1, 0, 0, 160, 16], "board size, one region, the whole board")
                let wholeBoard = 14 + 160 * 16 * 3
                #expect(bytes.count == wholeBoard)
                strip.showMessage("变化", until: Date().addingTimeInterval(5))
                let next = try #require(try await next(), "a second frame message")
                let regionCount = next.count > 6 ? Int(next[4]) | Int(next[5]) << 8 : 0
                #expect(regionCount >= 1)
            }
        }
    }
}
