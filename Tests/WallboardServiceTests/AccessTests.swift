import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import WallboardConfig
import WallboardSources
import WallboardTestKit
@testable import WallboardService

/// Who may use what: users and roles from token files, the route groups' middleware, and the
/// checks a token file must pass.
@Suite(.serialized) struct AccessTests {
    static let layouts = TemporaryDirectory.layoutsDirectory.path
    static let tokens = [
        "viewer": "viewer-token-0123456789abcdef",
        "ops": "operator-token-0123456789abcdef",
        "root": "admin-token-0123456789abcdef",
    ]

    /// A token file for `name` with the given mode, in `directory`.
    static func tokenFile(_ name: String, token: String, mode: Int = 0o600, in directory: TemporaryDirectory) throws -> String {
        let path = directory.path("\(name).token")
        try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    /// The configuration text of a service with an internal strip and a public door board.
    static func configurationText(directory: TemporaryDirectory, http: String) -> String {
        """
        centre: 测试急救中心
        source:
          sqlite: \(directory.path("dispatch.db"))
        http:
          port: 0
        \(http)
        boards:
          - id: strip
            layout: \(layouts)/strip-160x16-calls.yaml
            transport: browser
          - id: door
            station: S01
            layout: \(layouts)/door-192x32-bicolor.yaml
            transport: browser
        """
    }

    /// A service whose users are a viewer, an operator and an admin, each with a token file.
    static func serviceWithUsers(directory: TemporaryDirectory, extra: String = "", logger: Logger = Logger(label: "test")) throws -> WallboardService {
        var users = "  users:\n"
        for (name, role) in [("viewer", "viewer"), ("ops", "operator"), ("root", "admin")] {
            let file = try tokenFile(name, token: tokens[name] ?? "", in: directory)
            users += "    - {name: \(name), role: \(role), tokenFile: \(file)}\n"
        }
        let text = configurationText(directory: directory, http: users + extra)
        return try WallboardService(configuration: try ConfigLoader.load(text, file: directory.path("wallboard.yaml")), logger: logger)
    }

    static func bearer(_ name: String) -> HTTPFields {
        [.authorization: "Bearer \(tokens[name] ?? "")"]
    }

    static func basic(_ name: String, _ token: String) -> HTTPFields {
        [.authorization: "Basic \(Data("\(name):\(token)".utf8).base64EncodedString())"]
    }

    @Test func withoutACredentialOnlyHealthMetricsAndTheFontAnswer() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.serviceWithUsers(directory: directory)
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            for uri in ["/", "/boards/strip", "/boards/strip/frame.png", "/boards/strip/ws", "/boards/door", "/boards/door/frame.png",
                        "/boards/nope", "/api/v1/boards", "/api/v1/boards/strip", "/api/v1/boards/strip/events", "/api/v1/source", "/api/v1/live"]
            {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "GET \(uri)")
                    #expect(response.headers[values: .wwwAuthenticate].contains { $0.hasPrefix("Basic ") }, "a browser may ask for a user: \(uri)")
                }
            }
            try await client.execute(uri: "/api/v1/boards/strip/message", method: .post, body: ByteBuffer(string: #"{"text": "演练"}"#)) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[values: .wwwAuthenticate] == ["Bearer"])
            }
            for uri in ["/healthz", "/metrics", "/fonts/page.css"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status != .unauthorized && response.status != .forbidden, "GET \(uri): \(response.status)")
                }
            }
        }
    }

    /// Without a credential `/healthz` says only ok, stale or failing; a viewer gets the full report
    /// with the database file and the failing boards. (`HTTPTests.healthAndMetrics`: on loopback
    /// without users everyone gets the full report, as every reader does there.)
    @Test func healthWithoutACredentialSaysOnlyTheState() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.serviceWithUsers(directory: directory)
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .serviceUnavailable, "no snapshot has been read yet")
                #expect(String(buffer: response.body) == #"{"status":"stale"}"#)
            }
            try await client.execute(uri: "/healthz", method: .get, headers: Self.bearer("viewer")) { response in
                let body = String(buffer: response.body)
                #expect(response.status == .serviceUnavailable)
                #expect(body.contains(#""status":"stale""#))
                #expect(body.contains(directory.path("dispatch.db")), "the viewer sees the file: \(body)")
                #expect(body.contains(#""boardsFailing":[]"#))
            }
        }
    }

    @Test func eachRoleMayDoWhatItsRoleAllows() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.serviceWithUsers(directory: directory)
        let message = #"{"text": "演练", "seconds": 5}"#
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            for name in ["viewer", "ops", "root"] {
                for uri in ["/", "/boards/strip", "/boards/door", "/api/v1/boards", "/api/v1/boards/strip/events", "/api/v1/source"] {
                    try await client.execute(uri: uri, method: .get, headers: Self.bearer(name)) { response in
                        #expect(response.status == .ok, "\(name): GET \(uri)")
                    }
                }
                try await client.execute(uri: "/boards/strip/frame.png", method: .get, headers: Self.bearer(name)) { response in
                    #expect(response.status == .serviceUnavailable, "\(name) passes; the board has not drawn yet")
                }
            }
            try await client.execute(uri: "/api/v1/boards/strip/message", method: .post, headers: Self.bearer("viewer"), body: ByteBuffer(string: message)) { response in
                #expect(response.status == .forbidden, "a viewer may not send a message")
                #expect(String(buffer: response.body).contains("operator or admin role"))
            }
            #expect(service.monitor(id: "strip")?.report.message == nil)
            for name in ["ops", "root"] {
                try await client.execute(uri: "/api/v1/boards/strip/message", method: .post, headers: Self.bearer(name), body: ByteBuffer(string: message)) { response in
                    #expect(response.status == .accepted, "\(name) may send a message")
                }
                try await client.execute(uri: "/api/v1/boards/strip/message", method: .delete, headers: Self.bearer(name)) { response in
                    #expect(response.status == .accepted, "\(name) may clear it")
                }
            }
            try await client.execute(uri: "/api/v1/boards", method: .get, headers: [.authorization: "Bearer viewer-token-0123456789abcdeX"]) { response in
                #expect(response.status == .unauthorized, "a token that is no user's")
            }
        }
    }

    /// A browser answers a page's Basic challenge with a user name and that user's token.
    @Test func aBrowserSendsTheUsersNameAndToken() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.serviceWithUsers(directory: directory)
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            try await client.execute(uri: "/boards/strip", method: .get, headers: Self.basic("viewer", Self.tokens["viewer"] ?? "")) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/boards/strip", method: .get, headers: Self.basic("ops", Self.tokens["viewer"] ?? "")) { response in
                #expect(response.status == .unauthorized, "the viewer's token under the operator's name")
            }
        }
    }

    @Test func publicBoardsMayBeOpenedWithoutACredentialWhenTheConfigurationSaysSo() async throws {
        let directory = try TemporaryDirectory()
        let service = try Self.serviceWithUsers(directory: directory, extra: "  publicBoardsOpen: true\n")
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            try await client.execute(uri: "/boards/door", method: .get) { response in
                #expect(response.status == .ok, "the door board is public")
            }
            try await client.execute(uri: "/boards/door/frame.png", method: .get) { response in
                #expect(response.status == .serviceUnavailable, "passes the gate; nothing drawn yet")
            }
            for uri in ["/boards/strip", "/boards/strip/frame.png", "/boards/nope", "/api/v1/boards/door"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "GET \(uri)")
                }
            }
        }
    }

    /// On loopback without users everyone may read, and the deprecated single token is one admin.
    @Test func loopbackWithTheDeprecatedTokenReadsOpenlyAndWarns() async throws {
        let directory = try TemporaryDirectory()
        let log = LogRecord()
        let text = Self.configurationText(directory: directory, http: "  token: legacy-token-1234")
        let service = try WallboardService(configuration: try ConfigLoader.load(text, file: directory.path("wallboard.yaml")), logger: log.logger)
        #expect(!log.entries(.warning, containing: "http.token is deprecated").isEmpty)
        #expect(log.entries(.warning, containing: "legacy-token-1234").isEmpty, "the token is never logged")
        try await Application(router: HTTPInterface(service: service).router()).test(.router) { client in
            for uri in ["/", "/boards/strip", "/api/v1/boards"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "GET \(uri)")
                }
            }
            try await client.execute(uri: "/api/v1/boards/strip/message", method: .delete, headers: [.authorization: "Bearer legacy-token-1234"]) { response in
                #expect(response.status == .accepted)
            }
        }
    }

    @Test func tokenFilesAreRefusedWhenOthersCanReadThemOrTheTokenGuardsNothing() throws {
        let directory = try TemporaryDirectory()
        func setupError(_ token: String, mode: Int = 0o600) -> String {
            do {
                let file = try Self.tokenFile("ops", token: token, mode: mode, in: directory)
                let text = Self.configurationText(directory: directory, http: "  users:\n    - {name: ops, role: operator, tokenFile: \(file)}")
                _ = try WallboardService(configuration: try ConfigLoader.load(text, file: directory.path("wallboard.yaml")))
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        let readable = setupError("operator-token-0123456789abcdef", mode: 0o644)
        #expect(readable.contains("wallboard.yaml:7:7: user 'ops'") && readable.contains("readable by group or others (mode 644); chmod 600"), "\(readable)")
        let short = setupError("short-token-12345")
        #expect(short.contains("has 17 characters; use at least 24"), "\(short)")
        #expect(!short.contains("short-token-12345"), "the token is not repeated in the error: \(short)")
        let spaces = setupError(String(repeating: " ", count: 30))
        #expect(spaces.contains("holds a space"), "\(spaces)")
        #expect(AccessTokens.problem(with: "change-this-token", minimumLength: 8)?.contains("example shipped with Wallboard") == true)
        #expect(setupError("operator-token-0123456789abcdef") == "accepted")

        let missing = Self.configurationText(directory: directory, http: "  users:\n    - {name: ops, role: operator, tokenFile: nowhere.token}")
        #expect(throws: ServiceSetupError.self) {
            try WallboardService(configuration: try ConfigLoader.load(missing, file: directory.path("wallboard.yaml")))
        }
    }

    /// What the demo writes for its user: a new token in a file only its user reads, replacing one others could.
    @Test func aNewTokenFileIsReadableByItsUserOnlyAndPassesTheChecks() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.tokenFile("demo", token: "an-old-token-others-may-read", mode: 0o644, in: directory)
        let token = try AccessTokens.writeNew(file: path)
        #expect(try AccessTokens.read(file: path) == token)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(token.count == 43)
        #expect(try AccessTokens.writeNew(file: path) != token)
    }

    @Test func theConfigurationRefusesWhatCannotGuardAnything() throws {
        let directory = try TemporaryDirectory()
        func loadError(_ http: String) -> String {
            do {
                _ = try ConfigLoader.load(Self.configurationText(directory: directory, http: http), file: "/etc/wallboard/wallboard.yaml")
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(loadError("  token: \"        \"").contains("6:10: the token holds a space"), "\(loadError("  token: \"        \""))")
        #expect(loadError("  token: change-this-token").contains("an example shipped with Wallboard"))
        #expect(loadError("  address: 0.0.0.0").contains("reachable from other machines: list who may use it under 'users'"), "\(loadError("  address: 0.0.0.0"))")
        #expect(loadError("  users:\n    - {name: a, role: boss, tokenFile: a.token}").contains("boss"))
        let twice = loadError("  users:\n    - {name: a, role: viewer, tokenFile: a.token}\n    - {name: a, role: admin, tokenFile: b.token}")
        #expect(twice.contains("user 'a' is listed twice"), "\(twice)")
    }
}
