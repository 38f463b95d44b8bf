import Foundation
import Logging
import ServiceLifecycle
import Testing
import WallboardConfig
import WallboardTestKit
import WallboardYAML
@testable import WallboardService

/// The console over HTTPS in headless Chromium, which trusts the service's key as a centre's kiosk
/// trusts the hospital's certificate authority (`--ignore-certificate-errors-spki-list`).
@Suite(.serialized) struct HTTPSBrowserTests {
    @Test func theConsoleLoadsOverHTTPSAndItsWebSocketsWork() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: WebDriver.chromium), "make test installs Debian's chromium")
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let authority = try TestCertificateAuthority(in: directory.url)
        try authority.issue("server", serial: 7)
        let trusted = try authority.publicKeyHash(of: "server")
        var config = try configuration(
            database: database.path, directory: directory,
            boards: """
                  - id: wall
                    layout: \(TemporaryDirectory.layoutsDirectory.path)/wall-384x192-rgb.yaml
                    transport: browser
                """,
            token: nil
        )
        config.http.tls = TLSFiles(certificate: directory.path("server.pem"), key: directory.path("server.key"), location: SourceLocation(file: "test", line: 1, column: 1))
        let service = try WallboardService(configuration: config)
        let listening = Locked<String?>(nil)
        let application = HTTPInterface(service: service).application { url in listening.withLock { $0 = url } }
        let server = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: Logger(label: "https-test")))
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        try await withRunningBoards(service) {
            let url = try await eventually("the service's URL") { listening.withLock { $0 } }
            #expect(url.hasPrefix("https://127.0.0.1:"), "\(url)")
            let console = url.replacingOccurrences(of: "127.0.0.1", with: "localhost")
            let browser = try await WebDriver(width: 1200, height: 900, arguments: ["--ignore-certificate-errors-spki-list=\(trusted)"])
            do {
                try await browser.open(console)
                // The live status socket fills the counters; the board's socket draws its canvas.
                let working = try await browser.waitUntil("""
                    const canvas = document.querySelector('section[data-board="wall"] canvas');
                    if (!canvas) return false;
                    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                    return location.protocol === 'https:'
                      && document.querySelector('section[data-board="wall"] .counters').textContent.includes('画面更新')
                      && pixels.some((value, index) => index % 4 !== 3 && value > 0);
                    """, within: .seconds(20))
                let page = try await browser.execute("return location.href + ' ' + document.body.innerText.slice(0, 300)") ?? ""
                #expect(working != nil, "the console over https shows live status and the wall's frames: \(page)")
            } catch {
                await browser.quit()
                throw error
            }
            await browser.quit()
        }
        await server.triggerGracefulShutdown()
    }
}
