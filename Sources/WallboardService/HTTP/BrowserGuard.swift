import Hummingbird
import HTTPTypes

/// What another site's page could make a browser do, refused in one place: requests to a name the
/// service does not go by (DNS rebinding), WebSocket upgrades and writes from another origin; and
/// every answer carries the headers that keep the pages out of frames and scripts out of them.
struct BrowserGuard: RouterMiddleware {
    typealias Context = WallboardRequestContext
    let policy: BrowserPolicy
    let routes: RouteTable

    static let headers: HTTPFields = [
        .contentSecurityPolicy: "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        .xFrameOptions: "DENY",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "no-referrer",
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            if let refusal = policy.refusal(
                authority: request.head.authority, webSocket: Self.asksForWebSocket(request.headers),
                writes: ![.get, .head, .options].contains(request.method), origin: request.headers[.origin]
            ) {
                throw refusal
            }
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        if response.status == .notFound, let allowed = routes.methods(at: request.uri.path), !allowed.contains(request.method) {
            let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            response = try HTTPError(.methodNotAllowed, headers: [.allow: list], message: "\(request.method) is not answered here; \(list) is")
                .response(from: request, context: context)
        }
        for field in Self.headers where response.headers[field.name] == nil {
            response.headers.append(field)
        }
        return response
    }

    /// A WebSocket handshake, or one whose `Upgrade` the `UpgradeDefuser` took away because it is refused.
    static func asksForWebSocket(_ headers: HTTPFields) -> Bool {
        headers[.upgrade]?.lowercased() == "websocket" || headers[.secWebSocketKey] != nil
    }
}

/// Whom the service takes requests from: the names it goes by (`http.hosts`) and the pages that may
/// write and open WebSockets (its own and `http.origins`). Decided here for the router's
/// `BrowserGuard` and for the `UpgradeDefuser` ahead of the WebSocket upgrade alike.
struct BrowserPolicy: Sendable {
    /// Host names the service answers to besides IP addresses and `localhost` (lower case).
    let hosts: Set<String>
    /// Origins besides the service's own whose pages may write and open WebSockets.
    let origins: Set<String>

    /// Why a request naming `authority` in `Host`, sent from a page of `origin`, is refused; nil when it is not.
    func refusal(authority: String?, webSocket: Bool, writes: Bool, origin: String?) -> HTTPError? {
        let authority = authority?.lowercased()
        if let authority, !answers(to: Self.host(of: authority)) {
            return HTTPError(.misdirectedRequest, message: "this service does not go by the name in 'Host'; add it to http.hosts if it should")
        }
        guard webSocket || writes, let origin = origin?.lowercased() else { return nil }
        guard Self.isOwn(origin, authority: authority) || origins.contains(origin) else {
            return HTTPError(.forbidden, message: "a page from another origin may not \(webSocket ? "open this WebSocket" : "change anything"); add its origin to http.origins if it should")
        }
        return nil
    }

    /// A browser's page names its origin as `http(s)://HOST:PORT`, which must be the service's own;
    /// `ws(s)://HOST` comes only from programs (WebSocket clients), never from a page, and is taken
    /// as theirs when it names the service's host.
    static func isOwn(_ origin: String, authority: String?) -> Bool {
        guard let authority else { return false }
        if origin == "http://\(authority)" || origin == "https://\(authority)" { return true }
        for scheme in ["ws://", "wss://"] where origin.hasPrefix(scheme) {
            return host(of: String(origin.dropFirst(scheme.count))) == host(of: authority)
        }
        return false
    }

    /// IP addresses cannot be rebound to another server, and `localhost` is this machine.
    func answers(to host: String) -> Bool {
        host == "localhost" || hosts.contains(host) || host.hasPrefix("[") || Self.isIPv4(host)
    }

    static func isIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { $0.count <= 3 && UInt8($0) != nil }
    }

    /// `HOST` of `HOST:PORT`, `[::1]` of `[::1]:PORT`.
    static func host(of authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") { return String(authority[...end]) }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "")
    }
}

extension HTTPField.Name {
    // Valid header names spelled out here, so the initialiser cannot fail.
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
