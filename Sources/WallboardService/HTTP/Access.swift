import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization
import WallboardConfig
import WallboardLayout

/// A configured user who presented their token, or an enrolled kiosk (a viewer) that sent its cookie.
public struct Caller: Sendable, Hashable, RoleProviding {
    public var name: String
    public var role: HTTPUser.Role
    public var isKiosk = false

    /// The role and every role below it: an operator may do what a viewer may.
    public var roles: Set<HTTPUser.Role> { Set(HTTPUser.Role.allCases.filter { $0 <= role }) }
}

/// The request context of every route: the caller once authenticated, the client's address, and
/// what a WebSocket upgrade needs.
public struct WallboardRequestContext: AuthRequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    public var identity: Caller?
    public let remoteAddress: SocketAddress?
    /// The caller as the authenticator found it, for the audit middleware that runs before it.
    let authenticated = AuthenticatedCaller()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        identity = nil
        remoteAddress = source.channel.remoteAddress
    }
}

/// Who one request turned out to be: shared by every copy of its context, so that a middleware
/// outside the authenticator learns it once the request is answered.
final class AuthenticatedCaller: Sendable {
    private let caller = Mutex<Caller?>(nil)

    var value: Caller? {
        get { caller.withLock { $0 } }
        set { caller.withLock { $0 = newValue } }
    }
}

/// The users' tokens, read from their files when the service starts, and who must present one.
struct AccessList: Sendable {
    struct Entry: Sendable {
        var caller: Caller
        var token: [UInt8]
    }

    let entries: [Entry]
    /// Refused credentials by client address, shared by every router of the service.
    let failures = FailedCredentials()
    /// See `HTTPSettings.readersMustAuthenticate`.
    let readersMustAuthenticate: Bool
    let publicBoardsOpen: Bool
    /// The enrolled kiosks (`http.kiosks`); nil: no kiosk can be enrolled.
    let kiosks: KioskRegistry?

    /// Reads every user's token file; a file that cannot be used stops the start with its user's place in the configuration.
    init(settings: HTTPSettings, logger: Logger) throws {
        var entries: [Entry] = []
        for user in settings.users {
            let token: String
            do {
                token = try AccessTokens.read(file: user.tokenFile)
            } catch {
                throw ServiceSetupError("\(user.location): user '\(user.name)': \(error)")
            }
            if let twin = entries.first(where: { $0.token == Array(token.utf8) }) {
                throw ServiceSetupError("\(user.location): user '\(user.name)' has the same token as user '\(twin.caller.name)'; give each user a token of their own")
            }
            entries.append(Entry(caller: Caller(name: user.name, role: user.role), token: Array(token.utf8)))
        }
        if let token = settings.token {
            logger.warning("http.token is deprecated: it is taken as one user 'admin' with the admin role; list users under http.users, each with a token file")
            entries.append(Entry(caller: Caller(name: "admin", role: .admin), token: Array(token.utf8)))
        }
        let kiosks: KioskRegistry?
        do {
            kiosks = try settings.kiosks.map(KioskRegistry.init(path:))
        } catch {
            throw ServiceSetupError("http.kiosks: \(error)")
        }
        self.init(entries: entries, readersMustAuthenticate: settings.readersMustAuthenticate, publicBoardsOpen: settings.publicBoardsOpen, kiosks: kiosks)
    }

    init(entries: [Entry], readersMustAuthenticate: Bool, publicBoardsOpen: Bool, kiosks: KioskRegistry? = nil) {
        self.entries = entries
        self.readersMustAuthenticate = readersMustAuthenticate
        self.publicBoardsOpen = publicBoardsOpen
        self.kiosks = kiosks
    }

    /// Whether `caller` may still do what it was let in for: a kiosk revoked since is not.
    func stillAdmits(_ caller: Caller?) -> Bool {
        guard let caller, caller.isKiosk else { return true }
        return kiosks?.isEnrolled(caller.name) ?? false
    }

    /// The user whose token `token` is (and whose name is `name`, when given). Every entry is
    /// compared in full, so the time taken says nothing about which user came close.
    func caller(token: String, name: String? = nil) -> Caller? {
        let given = Array(token.utf8)
        var found: Caller?
        for entry in entries where Self.constantTimeEqual(given, entry.token) {
            found = entry.caller
        }
        guard let found, name == nil || found.name == name else { return nil }
        return found
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// What a refused request is told: where a browser may answer with a user name and token (pages,
/// streams and the read API), and the bearer scheme everywhere.
enum Challenge {
    static let browser: HTTPFields = [.wwwAuthenticate: "Basic realm=\"wallboard\", charset=\"UTF-8\"", .wwwAuthenticate: "Bearer"]
    static let bearer: HTTPFields = [.wwwAuthenticate: "Bearer"]

    static func unauthorized(_ headers: HTTPFields) -> HTTPError {
        HTTPError(.unauthorized, headers: headers, message: "send the configured token as 'Authorization: Bearer TOKEN'")
    }
}

/// Sets the caller from `Authorization: Bearer TOKEN`, or `Basic` with a user's name and token (what
/// a browser sends for a page); a credential that is no user's is refused wherever it is sent, logged
/// with the client's address (never the credential), and counted against that address.
struct CredentialAuthenticator: AuthenticatorMiddleware {
    typealias Context = WallboardRequestContext
    let access: AccessList
    let failures: FailedCredentials
    let logger: Logger
    let now: @Sendable () -> Date

    func authenticate(request: Request, context: Context) async throws -> Caller? {
        guard !access.entries.isEmpty, request.headers[.authorization] != nil else { return nil }
        let client = context.remoteAddress?.ipAddress ?? "unknown"
        if let until = failures.blockedUntil(client, now: now()) {
            throw Self.tooMany(client, until: until, now: now())
        }
        if let bearer = request.headers.bearer, let caller = access.caller(token: bearer.token) {
            context.authenticated.value = caller
            return caller
        }
        if let basic = request.headers.basic, let caller = access.caller(token: basic.password, name: basic.username) {
            context.authenticated.value = caller
            return caller
        }
        let time = now()
        let blocked = failures.record(client, now: time)
        logger.notice("refused a credential from \(client) for \(request.method) \(request.uri.path)\(blocked == nil ? "" : "; that address is refused for a minute")")
        if let blocked { throw Self.tooMany(client, until: blocked, now: time) }
        throw Challenge.unauthorized(Challenge.bearer)
    }

    static func tooMany(_ client: String, until: Date, now: Date) -> HTTPError {
        let seconds = Int(until.timeIntervalSince(now).rounded(.up))
        return HTTPError(
            .tooManyRequests, headers: [.retryAfter: "\(seconds)"],
            message: "too many refused credentials from \(client); try again in \(seconds) s"
        )
    }
}

/// Sets the caller from an enrolled kiosk's cookie, as a viewer named after the kiosk, where no other
/// credential did, and sets the cookie again while the kiosk is in use (`KioskRegistry.renewal`). A
/// cookie that is no kiosk's (revoked, or unused for `KioskRegistry.lifetime`) is refused (401) and
/// cleared, and logged with the client's address like any refused credential, but not counted
/// towards the lock-out: 256 random bits are not guessed, and a revoked kiosk's page retrying every
/// second would lock its own address out. The enrolment page ignores the cookie, so that a revoked
/// kiosk's browser may be enrolled again.
struct KioskAuthenticator: RouterMiddleware {
    typealias Context = WallboardRequestContext
    let kiosks: KioskRegistry
    let logger: Logger
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.identity == nil, !request.uri.path.hasPrefix(KioskPages.enrolPath),
              let secret = request.cookies[KioskRegistry.cookieName]?.value, !secret.isEmpty
        else { return try await next(request, context) }
        guard let found = kiosks.kiosk(secret: secret, now: now()) else {
            logger.notice("refused a kiosk cookie (revoked or lapsed) from \(context.remoteAddress?.ipAddress ?? "unknown") for \(request.method) \(request.uri.path)")
            var response = try Challenge.unauthorized(Challenge.browser).response(from: request, context: context)
            response.setCookie(Self.cookie(""))
            return response
        }
        let caller = Caller(name: found.kiosk.name, role: .viewer, isKiosk: true)
        var context = context
        context.identity = caller
        context.authenticated.value = caller
        var response = try await next(request, context)
        if found.renew { response.setCookie(Self.cookie(secret)) }
        return response
    }

    /// The kiosk's cookie: sent on this service's pages and streams only, never to scripts, never
    /// from another site's page; an empty one clears it.
    static func cookie(_ secret: String) -> Cookie {
        Cookie(
            name: KioskRegistry.cookieName, value: secret, maxAge: secret.isEmpty ? 0 : Int(KioskRegistry.lifetime),
            path: "/", secure: true, httpOnly: true, sameSite: .strict
        )
    }
}

/// Lets a request through only with a caller: always when `always`, else when readers must
/// authenticate. Without any user configured, nothing that needs one can be done.
struct RequireCaller: RouterMiddleware {
    typealias Context = WallboardRequestContext
    let access: AccessList
    let always: Bool
    let challenge: HTTPFields

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard always || access.readersMustAuthenticate, context.identity == nil else {
            return try await next(request, context)
        }
        if access.entries.isEmpty {
            throw HTTPError(.forbidden, message: "this service has no http.users in its configuration, so it accepts no changes")
        }
        throw Challenge.unauthorized(challenge)
    }
}

/// A board's page, stream and frame: open to anyone only where readers need no credential, or for a
/// `public` board when `http.publicBoardsOpen` says so; an unknown board needs a caller too, so
/// that its answer says nothing to a stranger.
struct BoardAudienceGate: RouterMiddleware {
    typealias Context = WallboardRequestContext
    let access: AccessList
    let service: WallboardService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard access.readersMustAuthenticate, context.identity == nil else { return try await next(request, context) }
        let monitor = context.parameters.get("id").flatMap(service.monitor(id:))
        guard access.publicBoardsOpen, monitor?.privacy == .public else { throw Challenge.unauthorized(Challenge.browser) }
        return try await next(request, context)
    }
}
