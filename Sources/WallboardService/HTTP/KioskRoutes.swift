import Foundation
import Hummingbird

extension HTTPInterface {
    /// The admins' side of kiosks: the list, a new enrolment link, and revocation.
    func addKioskAdministration(to group: RouterGroup<Context>) {
        let service = self.service
        @Sendable func registry() throws -> KioskRegistry {
            guard let kiosks = service.access.kiosks else {
                throw HTTPError(.notFound, message: "this service enrols no kiosks; set http.kiosks")
            }
            return kiosks
        }
        group.get { _, _ in
            try Self.json(try registry().reports)
        }
        group.post { request, context in
            let kiosks = try registry()
            let body = try await Self.decode(KioskRequest.self, from: request)
            if let board = body.board, service.monitor(id: board) == nil {
                throw HTTPError(.badRequest, message: "there is no board '\(board)'")
            }
            if service.access.entries.contains(where: { $0.caller.name == body.name }) {
                throw HTTPError(.conflict, message: "'\(body.name)' is a user's name; name the kiosk after its place")
            }
            let link: (code: String, expires: Date)
            do throws(KioskRegistry.EnrolmentRefusal) {
                link = try kiosks.link(name: body.name, board: body.board, by: context.identity?.name ?? "-", now: service.wallClock())
            } catch {
                switch error {
                case .badName: throw HTTPError(.badRequest, message: "'name' holds 1 to 64 letters, digits, '-', '_' or '.'")
                case .taken: throw HTTPError(.conflict, message: "a kiosk '\(body.name)' is enrolled; revoke it first")
                }
            }
            let scheme = service.certificate == nil ? "http" : "https"
            let host = request.head.authority ?? "\(service.configuration.http.address):\(service.configuration.http.port)"
            return try Self.json(
                KioskLink(name: body.name, board: body.board, link: "\(scheme)://\(host)\(KioskPages.enrolPath)?code=\(link.code)", expires: link.expires),
                status: .created
            )
        }
        group.delete("{name}") { _, context in
            let name = context.parameters.get("name") ?? ""
            guard try registry().revoke(name) else { throw HTTPError(.notFound, message: "no such kiosk") }
            return Response(status: .noContent)
        }
    }

    /// The wall PC's side: the link opens a page that asks once whether to enrol this browser (a
    /// link preview in a chat program must not use the link up), and its button redeems the link
    /// for the kiosk's cookie and goes on to the board's page, or the console. A code that is no
    /// link's is a refused credential: logged, counted towards the lock-out, audited.
    func addKioskEnrolment(to router: Router<Context>) {
        let service = self.service
        let failures = service.access.failures
        @Sendable func refuse(_ request: Request, _ context: Context) -> HTTPError {
            let client = context.remoteAddress?.ipAddress ?? "unknown"
            let time = service.wallClock()
            let blocked = failures.record(client, now: time)
            service.logger.notice("refused an enrolment code from \(client) for \(request.method) \(request.uri.path)")
            if let blocked { return CredentialAuthenticator.tooMany(client, until: blocked, now: time) }
            return HTTPError(.forbidden, message: "this enrolment link is unknown, used or expired; ask an admin for a new one")
        }
        @Sendable func checkLockOut(_ context: Context) throws {
            let client = context.remoteAddress?.ipAddress ?? "unknown"
            if let until = failures.blockedUntil(client, now: service.wallClock()) {
                throw CredentialAuthenticator.tooMany(client, until: until, now: service.wallClock())
            }
        }
        router.get(RouterPath(stringLiteral: KioskPages.enrolPath)) { request, context in
            try checkLockOut(context)
            guard let kiosks = service.access.kiosks, let code = request.uri.queryParameters.get("code"),
                  let link = kiosks.pendingLink(code: code, now: service.wallClock())
            else { throw refuse(request, context) }
            var page = Self.html(KioskPages.confirmation(code: code, kiosk: link.name, board: link.board.flatMap { service.monitor(id: $0)?.name }))
            // Under `no-referrer` a browser sends its form as from `Origin: null`, which the browser
            // guard refuses; the origin alone lets the button's request say where it comes from.
            page.headers[.referrerPolicy] = "origin"
            return page
        }
        router.post(RouterPath(stringLiteral: KioskPages.enrolPath)) { request, context in
            try checkLockOut(context)
            let body = try await request.body.collect(upTo: 4096)
            let form = try? URLEncodedFormDecoder().decode(KioskPages.Form.self, from: String(buffer: body))
            guard let kiosks = service.access.kiosks, let code = form?.code,
                  let redeemed = try kiosks.redeem(code: code, now: service.wallClock())
            else { throw refuse(request, context) }
            let (kiosk, secret) = redeemed
            // The audit trail records the enrolment under the kiosk's name.
            context.authenticated.value = Caller(name: kiosk.name, role: .viewer, isKiosk: true)
            service.logger.notice("enrolled kiosk '\(kiosk.name)' (made by \(kiosk.enrolledBy)) from \(context.remoteAddress?.ipAddress ?? "unknown")")
            var response = Response(status: .seeOther, headers: [.location: kiosk.board.map { "/boards/\($0)" } ?? "/"])
            response.setCookie(KioskAuthenticator.cookie(secret))
            return response
        }
    }

    struct KioskRequest: Decodable {
        var name: String
        /// The board whose page the kiosk shows; nil: the console.
        var board: String?
    }

    /// What an admin hands to the wall PC: the link, good once until `expires`.
    struct KioskLink: Encodable {
        var name: String
        var board: String?
        var link: String
        var expires: Date
    }
}

/// The page an enrolment link opens.
enum KioskPages {
    static let enrolPath = "/kiosk/enrol"

    struct Form: Decodable {
        var code: String
    }

    static func confirmation(code: String, kiosk: String, board: String?) -> String {
        let escape = Pages.escape
        return """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <title>登记信息屏 · Wallboard</title>
        <link rel="stylesheet" href="/fonts/page.css">
        <style>
        * { font-family: "\(PageFont.family)"; }
        body { background: #111; color: #ddd; margin: 48px; font-size: 24px; line-height: 32px; }
        button { font-size: 24px; padding: 8px 24px; }
        </style>
        </head>
        <body>
        <p>将本机浏览器登记为信息屏「\(escape(kiosk))」，显示\(escape(board.map { "「\($0)」" } ?? "控制台"))。</p>
        <form method="post" action="\(enrolPath)">
          <input type="hidden" name="code" value="\(escape(code))">
          <button type="submit">登记</button>
        </form>
        </body>
        </html>
        """
    }
}
