import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import WallboardExport
import WallboardSupport

/// Headless Chromium driven through chromedriver's WebDriver protocol (HTTP and JSON), with no
/// client library: the few commands the console tests need.
final class WebDriver: Sendable {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let driver: Process
    private let base: String
    private let session: String

    /// Starts chromedriver on a free port and a browser session with a window `width`×`height`,
    /// Chromium started with `arguments` besides the usual ones.
    init(width: Int, height: Int, arguments: [String] = []) async throws {
        let port = try LoopbackPort.unused()
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: Self.chromedriver)
        driver.arguments = ["--port=\(port)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        base = "http://127.0.0.1:\(port)"
        var ready = false
        var problem = "no answer"
        for _ in 0..<100 where !ready {
            do {
                let status = try await Self.request("GET", base + "/status", body: nil)["value"] as? [String: Any]
                ready = status?["ready"] as? Bool == true
            } catch {
                problem = "\(error)"
            }
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard ready else {
            Self.stop(driver)
            throw Failure(description: "chromedriver did not answer on port \(port): \(problem)")
        }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": [
                "binary": Self.chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                         "--window-size=\(width),\(height)", "--font-render-hinting=none"] + arguments,
            ] as [String: Any],
        ] as [String: Any]]]
        do {
            let created = try await Self.request("POST", base + "/session", body: capabilities)
            guard let value = created["value"] as? [String: Any], let id = value["sessionId"] as? String else {
                throw Failure(description: "no session in \(created)")
            }
            session = id
        } catch {
            Self.stop(driver)
            throw error
        }
    }

    /// Ends the session and chromedriver.
    func quit() async {
        _ = try? await Self.request("DELETE", "\(base)/session/\(session)", body: nil)
        Self.stop(driver)
    }

    /// chromedriver does not always exit on SIGTERM: it is killed.
    private static func stop(_ driver: Process) {
        kill(driver.processIdentifier, SIGKILL)
        driver.waitUntilExit()
    }

    func open(_ url: String) async throws {
        _ = try await command("POST", "url", ["url": url])
    }

    /// Runs `script` (a function body) in the page with `arguments`; its return value.
    @discardableResult
    func execute(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await command("POST", "execute/sync", ["script": script, "args": arguments])
    }

    /// The first element matching `css`.
    func element(_ css: String) async throws -> String {
        guard let found = try await command("POST", "element", ["using": "css selector", "value": css]) as? [String: Any],
              let id = found[Self.elementKey] as? String
        else { throw Failure(description: "no element '\(css)'") }
        return id
    }

    func click(_ css: String) async throws {
        _ = try await command("POST", "element/\(try await element(css))/click", [:])
    }

    /// Clears the field `css` and types `text` into it.
    func type(_ text: String, into css: String) async throws {
        let id = try await element(css)
        _ = try await command("POST", "element/\(id)/clear", [:])
        _ = try await command("POST", "element/\(id)/value", ["text": text])
    }

    func text(_ css: String) async throws -> String {
        try await command("GET", "element/\(try await element(css))/text", nil) as? String ?? ""
    }

    /// The page as the browser shows it.
    func screenshot() async throws -> PNG.Image {
        guard let text = try await command("GET", "screenshot", nil) as? String, let data = Data(base64Encoded: text) else {
            throw Failure(description: "the screenshot is not base64 PNG")
        }
        return try PNG.decode(Array(data))
    }

    /// Polls `script` every 50 ms until it returns true; how long that took, or nil after `timeout`.
    func waitUntil(_ script: String, within timeout: Duration) async throws -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if try await execute(script) as? Bool == true { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    private func command(_ method: String, _ path: String, _ body: [String: Any]?) async throws -> Any? {
        let reply = try await Self.request(method, "\(base)/session/\(session)/\(path)", body: body)
        if let value = reply["value"] as? [String: Any], let error = value["error"] as? String {
            throw Failure(description: "\(path): \(error): \(value["message"] as? String ?? "")")
        }
        return reply["value"]
    }

    /// One WebDriver call on its own connection (Foundation's URLSession fails on chromedriver's replies here).
    private static func request(_ method: String, _ url: String, body: [String: Any]?) async throws -> [String: Any] {
        guard let address = URL(string: url), let host = address.host, let port = address.port else { throw Failure(description: "bad URL \(url)") }
        let payload = try body.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) }
        let request = TestClient.Request(
            address.path, method: HTTPRequest.Method(rawValue: method) ?? .get,
            headers: payload == nil ? [:] : [.contentType: "application/json"], body: payload
        )
        let response = try await TestClient.withClient(host: host, port: port, configuration: .init(timeout: .seconds(60))) { client in
            try await client.execute(request)
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body ?? ByteBuffer())) as? [String: Any] else {
            throw Failure(description: "\(method) \(url): not a JSON object")
        }
        return object
    }
}
