import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL
import ServiceLifecycle
import Testing
import WallboardAudit
import WallboardConfig
import WallboardTestKit
import WallboardYAML
@testable import WallboardService

/// The wall PC's browser and the admin's, as headless Chromium over HTTPS against a service with
/// users, kiosks and an audit trail: a kiosk enrolled through its link, the console's
/// administration panel, and a page of another origin in the same browser.
@Suite(.serialized) struct KioskBrowserTests {
    struct Running {
        let service: WallboardService
        let port: Int
        let browser: WebDriver
        let tls: TLSConfiguration
    }

    /// The service with a wall board on `https://localhost:PORT`, an admin `root` and kiosks, and a
    /// browser that trusts its certificate; the board is drawing.
    static func withService(_ body: @Sendable (Running) async throws -> Void) async throws {
        #expect(FileManager.default.isExecutableFile(atPath: WebDriver.chromium), "make test installs Debian's chromium")
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let authority = try TestCertificateAuthority(in: directory.url)
        try authority.issue("server", serial: 9)
        let trusted = try authority.publicKeyHash(of: "server")
        var config = try configuration(
            database: database.path, directory: directory,
            boards: """
                  - id: wall
                    name: 指挥大厅大屏
                    layout: \(TemporaryDirectory.layoutsDirectory.path)/wall-384x192-rgb.yaml
                    transport: browser
                """,
            token: nil
        )
        let location = SourceLocation(file: "test", line: 1, column: 1)
        let tokenFile = try AccessTests.tokenFile("root", token: AccessTests.tokens["root"] ?? "", in: directory)
        config.http.users = [HTTPUser(name: "root", role: .admin, tokenFile: tokenFile, location: location)]
        config.http.kiosks = directory.path("kiosks.json")
        config.http.audit = directory.path("audit.jsonl")
        config.http.tls = TLSFiles(certificate: directory.path("server.pem"), key: directory.path("server.key"), location: location)
        let service = try WallboardService(configuration: config)
        let tls = try #require(service.certificate).tlsConfiguration
        let listening = Locked<String?>(nil)
        let application = HTTPInterface(service: service).application { url in listening.withLock { $0 = url } }
        let server = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: Logger(label: "kiosk-browser-test")))
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        try await withRunningBoards(service) {
            let url = try await eventually("the service's URL") { listening.withLock { $0 } }
            let port = try #require(URL(string: url)?.port)
            let browser = try await WebDriver(width: 1400, height: 900, arguments: ["--ignore-certificate-errors-spki-list=\(trusted)"])
            do {
                try await body(Running(service: service, port: port, browser: browser, tls: tls))
            } catch {
                await browser.quit()
                throw error
            }
            await browser.quit()
        }
        await server.triggerGracefulShutdown()
    }

    /// Opens a new enrolment link for `name` in the browser and presses its button.
    static func enrol(_ running: Running, name: String, board: String?) async throws {
        let kiosks = try #require(running.service.access.kiosks)
        let code = try kiosks.link(name: name, board: board, by: "root", now: Date()).code
        try await running.browser.open("https://localhost:\(running.port)/kiosk/enrol?code=\(code)")
        try await running.browser.click("button")
    }

    /// An admin reads the trail in the console, newest first; what anyone sent stays text.
    @Test func anAdminReadsTheAuditTrailInTheConsole() async throws {
        try await Self.withService { running in
            let browser = running.browser
            try await Self.enrol(running, name: "duty-desk", board: nil)
            let console = try await browser.waitUntil("return location.pathname === '/' && document.querySelector('.board') !== null", within: .seconds(10))
            let landed = try await browser.execute("return location.href + ' ' + document.title + ' ' + document.body.innerText.slice(0, 200)") ?? ""
            try #require(console != nil, "the kiosk enrolled for the console lands on it: \(landed)")
            let trail = try #require(running.service.audit)
            let hostile = #"<img src=x onerror="document.title='owned'">"#
            try trail.append(AuditEntry(time: Date(), user: "ops", role: "operator", client: "10.0.0.7", action: "POST /api/v1/boards/wall/message", text: hostile, status: 202))

            try await browser.click(".admin summary")
            try await browser.click("form.audit-query button[type=submit]")
            try await browser.type(AccessTests.tokens["root"] ?? "", into: "#token input")
            try await browser.click("#token button[value=ok]")
            let shown = try await browser.waitUntil("return document.querySelectorAll('table.audit tbody tr').length > 0", within: .seconds(10))
            #expect(shown != nil, "the admin's token opens the trail")
            let first = try await browser.execute("return [...document.querySelectorAll('table.audit tbody tr')[0].children].map(cell => cell.textContent)") as? [String]
            #expect(first?.dropFirst().elementsEqual(["ops", "operator", "10.0.0.7", "POST /api/v1/boards/wall/message", hostile, "202"]) == true, "newest first, as text: \(first ?? [])")
            #expect(try await browser.execute("return document.querySelectorAll('table.audit img').length") as? Int == 0)
            #expect(try await browser.execute("return document.title") as? String != "owned")
            let chain = try await browser.waitUntil("return document.querySelector('.audit-state').textContent.includes('今日记录链完整')", within: .seconds(10))
            #expect(chain != nil, "the panel says the day's chain holds")
            let rows = try await browser.execute("return [...document.querySelectorAll('table.audit tbody tr')].map(row => row.children[4].textContent)") as? [String]
            #expect(rows?.last == "POST /kiosk/enrol", "the kiosk's enrolment is the oldest line: \(rows ?? [])")

            try await browser.click("button.list-kiosks")
            let listed = try await browser.waitUntil("return document.querySelector('table.kiosks tbody td')?.textContent === 'duty-desk'", within: .seconds(10))
            #expect(listed != nil, "the kiosks are listed")
            try await browser.type("door-pc", into: "form.enrol input[name=name]")
            try await browser.click("form.enrol button[type=submit]")
            let linked = try await browser.waitUntil("return document.querySelector('.enrol-link').textContent.includes('/kiosk/enrol?code=')", within: .seconds(10))
            #expect(linked != nil, "the admin gets a link for the next kiosk")
        }
    }

    /// The kiosk's own page streams the wall; a page of another origin on the same host (another
    /// port: the same site, so the kiosk's cookie goes along) cannot open that stream: 403.
    @Test func anotherOriginCannotOpenTheWallsStreamInTheKiosksBrowser() async throws {
        try await Self.withService { running in
            let browser = running.browser
            let foreign = try await ForeignPage(tls: running.tls, script: """
                const socket = new WebSocket('wss://localhost:\(running.port)/boards/wall/ws');
                socket.onopen = () => { document.title = 'opened'; };
                socket.onclose = () => { if (document.title === 'waiting') document.title = 'refused'; };
                """)
            defer { foreign.stop() }
            try await Self.enrol(running, name: "hall-wall", board: "wall")
            let painted = try await browser.waitUntil("""
                const canvas = document.getElementById('board');
                if (!canvas || location.pathname !== '/boards/wall') return false;
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                return pixels.some((value, index) => index % 4 !== 3 && value > 0);
                """, within: .seconds(20))
            let page = try await browser.execute("return location.href + ' ' + document.title") ?? ""
            #expect(painted != nil, "the kiosk's own page shows the wall over its WebSocket: \(page)")

            try await browser.open("https://localhost:\(foreign.port)/")
            let settled = try await browser.waitUntil("return document.title !== 'waiting'", within: .seconds(10))
            let title = try await browser.execute("return document.title") as? String
            #expect(settled != nil && title == "refused", "another origin's page: \(title ?? "-")")
            let upgrades = try #require(running.service.audit).entries(since: nil, limit: 1000).filter { $0.action == "GET /boards/wall/ws" }
            #expect(upgrades.map(\.status) == [403], "the other origin's upgrade is refused with 403: \(upgrades)")
        }
    }
}

/// A page served over HTTPS on another port of this machine: another origin, the same site.
final class ForeignPage: Sendable {
    let port: Int
    private let serving: Task<Void, any Error>

    /// Serves at `/` a page titled `waiting` that runs `script`.
    init(tls: TLSConfiguration, script: String) async throws {
        let router = Router()
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "<!doctype html><title>waiting</title><script>\(script)</script>"))
            )
        }
        let listening = Locked<Int?>(nil)
        let application = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in listening.withLock { $0 = channel.localAddress?.port } }
        )
        serving = Task { try await application.runService() }
        port = try await eventually("the other origin's port") { listening.withLock { $0 } }
    }

    func stop() {
        serving.cancel()
    }
}
