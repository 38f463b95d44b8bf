import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import NIOCore
import WallboardAudit
import WallboardConfig
import WallboardDispatch
import WallboardExport
import WallboardLayout
import WallboardRender

/// The HTTP side: the console and the board pages, the pages' font, frames as PNG and over
/// WebSocket, the status API with each board's health history, live status over WebSocket,
/// health, metrics, and the operator actions; who may use which is decided by the route groups' middleware (`Access.swift`).
public struct HTTPInterface: Sendable {
    public typealias Context = WallboardRequestContext
    let service: WallboardService
    /// The connections each client holds, for `application()`'s per-client cap.
    let connections: ClientConnections

    public init(service: WallboardService) {
        self.service = service
        connections = ClientConnections(perClient: service.configuration.http.maxConnectionsPerClient)
    }

    /// The application serving `router()` on the configured address, over TLS when `http.tls` says
    /// so (`ServedCertificate`), with the connection limits:
    /// a client that takes longer than `http.timeout` for a request's head or sits idle as long is
    /// closed; one address holds at most `maxConnectionsPerClient`; and no new connection is
    /// accepted while `maxConnections` are open (fewer if the descriptor limit says so), so the
    /// boards' devices and the database always find descriptors.
    public func application(onListening: @escaping @Sendable (String) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = self.router()
        let http = service.configuration.http
        let timeout = TimeAmount.nanoseconds(Int64(http.timeout.inSeconds * 1_000_000_000))
        let connections = self.connections
        let webSocketResponder = router.buildResponder()
        let tls = service.certificate?.tlsConfiguration
        let policy = Self.browserPolicy(http)
        let server = HTTPServerBuilder { responder in
            let guarded = GuardedChildChannel(
                inner: DefusedUpgradeChannel(
                    inner: HTTP1WebSocketUpgradeChannel(
                        responder: responder, webSocketResponder: webSocketResponder,
                        configuration: .init(http1: .init(idleTimeout: timeout))
                    ),
                    policy: policy, kiosks: service.access.kiosks, now: service.wallClock
                ),
                connections: connections, timeout: timeout
            )
            // TLS first in the pipeline, so that the guard reads the request heads it times.
            guard let tls else { return guarded }
            return try TLSChannel(guarded, tlsConfiguration: tls)
        }
        let cap = DescriptorBudget.httpConnections(configured: http.maxConnections, reserved: Self.reservedDescriptors(boards: service.monitors.count, processors: service.processorMonitors.count))
        return Application(
            router: router,
            server: server,
            configuration: .init(
                address: .hostname(http.address, port: http.port), serverName: "wallboard",
                availableConnectionsDelegate: MaximumAvailableConnections(cap, logger: service.logger)
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? http.port
                await onListening("\(tls == nil ? "http" : "https")://\(http.address.contains(":") ? "[\(http.address)]" : http.address):\(port)/")
            },
            logger: service.logger
        )
    }

    static func browserPolicy(_ http: HTTPSettings) -> BrowserPolicy {
        BrowserPolicy(hosts: Set(http.hosts), origins: Set(http.origins))
    }

    /// Descriptors kept from HTTP: two for each board (its device or socket, and a reconnect), one
    /// for each video-wall processor (its UDP socket), the database and its journal, the service's
    /// own files, and a margin.
    static func reservedDescriptors(boards: Int, processors: Int) -> Int {
        2 * boards + processors + 64
    }

    /// The routes in groups by who may use them: the group's middleware decides, never a handler.
    /// Open to anyone: health, metrics, the pages' font and a kiosk's enrolment link. Readers: the
    /// console, the boards' pages, streams and frames, the read API. Operators: the controls. Admins:
    /// the audit trail and the kiosks.
    public func router() -> Router<Context> {
        let router = Router(context: Context.self)
        let service = self.service
        let access = service.access
        let routes = RouteTable()
        let http = service.configuration.http
        if let audit = service.audit {
            router.add(middleware: AuditMiddleware(trail: audit, now: service.wallClock))
        }
        router.add(middleware: BrowserGuard(policy: Self.browserPolicy(http), routes: routes))
        router.add(middleware: CredentialAuthenticator(access: access, failures: access.failures, logger: service.logger, now: service.wallClock))
        if let kiosks = access.kiosks {
            router.add(middleware: KioskAuthenticator(kiosks: kiosks, logger: service.logger, now: service.wallClock))
        }
        addOperations(to: router)
        addKioskEnrolment(to: router)
        router.group()
            .add(middleware: RequireCaller(access: access, always: false, challenge: Challenge.browser))
            .get("/") { _, _ in
                Self.html(Pages.console(
                    centre: service.configuration.centreName, timeZone: service.configuration.source.timeZone.identifier,
                    fontSize: try service.pageFont.lineHeight(), boards: service.monitors.map(\.report),
                    controlled: Set(service.configuration.boards.map(\.id)), brightnessFloor: http.brightnessFloor,
                    processors: service.processorMonitors.map(\.report)
                ))
            }
        addBoardPages(to: router.group("/boards/{id}").add(middleware: BoardAudienceGate(access: access, service: service)))
        addReadAPI(to: router.group("/api/v1").add(middleware: RequireCaller(access: access, always: false, challenge: Challenge.browser)))
        addProcessorReads(to: router.group("/api/v1/processors").add(middleware: RequireCaller(access: access, always: false, challenge: Challenge.browser)))
        addAuditTrail(
            to: router.group("/api/v1/audit")
                .add(middleware: RequireCaller(access: access, always: true, challenge: Challenge.browser))
                .add(middleware: Self.requiring(.admin, or: "the audit trail is for the admin role"))
        )
        addKioskAdministration(
            to: router.group("/api/v1/kiosks")
                .add(middleware: RequireCaller(access: access, always: true, challenge: Challenge.bearer))
                .add(middleware: Self.requiring(.admin, or: "kiosks are for the admin role"))
        )
        addControls(
            to: router.group("/api/v1/boards/{id}")
                .add(middleware: RequireCaller(access: access, always: true, challenge: Challenge.bearer))
                .add(middleware: Self.requiring(.operator, or: "changing a board needs the operator or admin role"))
        )
        addProcessorControls(
            to: router.group("/api/v1/processors/{id}")
                .add(middleware: RequireCaller(access: access, always: true, challenge: Challenge.bearer))
                .add(middleware: Self.requiring(.operator, or: "changing a video-wall processor needs the operator or admin role"))
        )
        routes.record(router)
        return router
    }

    /// Health, metrics, the pages' font and scripts: for monitoring, and nothing of the boards' data
    /// (`/healthz` gives its full report only to those who may read).
    func addOperations(to router: Router<Context>) {
        let service = self.service
        router.get("/healthz") { _, context in
            let health = service.health(now: service.wallClock())
            let status: HTTPResponse.Status = health.isOK ? .ok : .serviceUnavailable
            // Where reading needs a credential, a stranger learns the state and nothing of hosts, files or boards.
            guard context.identity != nil || !service.access.readersMustAuthenticate else {
                return try Self.json(health.summary, status: status)
            }
            return try Self.json(health, status: status)
        }
        router.get("/metrics") { _, _ in
            let now = service.wallClock()
            let text = service.metrics.exposition(snapshotAge: service.feed.current.state.health.age(now: now))
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        router.get("/fonts/page.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: try service.pageFont.styleSheet()))
            )
        }
        for (name, script) in [("frames", Pages.frameScript), ("console", Pages.consoleScript), ("board", Pages.boardScript), ("processors", Pages.processorScript)] {
            router.get("/scripts/\(name).js") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
                    body: .init(byteBuffer: ByteBuffer(string: script))
                )
            }
        }
        router.get("/fonts/\(PageFont.chainName)/{piece}") { _, context in
            let name = context.parameters.get("piece") ?? ""
            guard name.hasSuffix(".ttf"), let block = Int(name.dropLast(4)), let piece = try service.pageFont.piece(block: block) else {
                throw HTTPError(.notFound, message: "no font piece '\(name)'")
            }
            return Response(
                status: .ok, headers: [.contentType: "font/ttf", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(bytes: piece))
            )
        }
    }

    /// A board's kiosk page, its frame as PNG and its frames over WebSocket.
    /// `?tile=COLUMN,ROW`: one screen of a splicing wall, its part of the same frame.
    func addBoardPages(to board: RouterGroup<Context>) {
        let service = self.service
        board.get { request, context in
            let monitor = try Self.monitor(service, context)
            let tile = try Self.tile(request, of: monitor)
            return Self.html(Pages.board(monitor.report, tile: tile))
        }
        board.get("frame.png") { request, context in
            let monitor = try Self.monitor(service, context)
            let tile = try Self.tile(request, of: monitor)
            guard let frame = monitor.frame else {
                throw HTTPError(.serviceUnavailable, message: "board '\(monitor.id)' has not drawn a frame yet")
            }
            let bitmap = tile.map { frame.bitmap.cropped(to: $0.rect) } ?? frame.bitmap
            return Response(
                status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: PNG.encode(bitmap)))
            )
        }
        board.ws("ws") { request, context in
            guard let id = context.parameters.get("id"), let monitor = service.monitor(id: id) else { return .dontUpgrade }
            _ = try Self.tile(request, of: monitor)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let id = context.requestContext.parameters.get("id"), let monitor = service.monitor(id: id) else { return }
            let tile = try Self.tile(context.request, of: monitor)
            let caller = context.requestContext.identity
            // Frames go out until the browser closes (its inbound stream ends), the board stops, or
            // the kiosk watching is revoked (its page's next connection is then refused).
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var previous: Bitmap?
                    for await frame in monitor.frames() {
                        guard service.access.stillAdmits(caller) else { return }
                        let bitmap = tile.map { frame.bitmap.cropped(to: $0.rect) } ?? frame.bitmap
                        let regions = FrameUpdates.changedRegions(bitmap, since: previous)
                        previous = bitmap
                        guard let message = FrameUpdates.message(bitmap, regions: regions) else { continue }
                        try await outbound.write(.binary(ByteBuffer(bytes: message)))
                    }
                }
                group.addTask {
                    for try await _ in inbound {}
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// The boards' reports and health history, the source, and live status over WebSocket.
    func addReadAPI(to api: RouterGroup<Context>) {
        let service = self.service
        api.ws("live") { _, _ in
            .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let caller = context.requestContext.identity
            try await Self.sendLiveStatus(service, to: outbound, until: inbound) { service.access.stillAdmits(caller) }
        }
        api.get("source") { _, _ in
            try Self.json(service.sourceReport(now: service.wallClock()))
        }
        api.get("boards") { _, _ in
            try Self.json(service.monitors.map(\.report))
        }
        api.get("boards/{id}") { _, context in
            try Self.json(try Self.monitor(service, context).report)
        }
        api.get("boards/{id}/events") { _, context in
            try Self.json(try Self.monitor(service, context).events(now: service.wallClock()))
        }
    }

    /// The audit trail's entries: `?since=ISO-8601` for those from then on (oldest first), else the
    /// newest; `limit` 1 … 1000 (100). `chain`: whether the newest day's lines hold.
    func addAuditTrail(to audit: RouterGroup<Context>) {
        let service = self.service
        audit.get { request, _ in
            guard let trail = service.audit else {
                throw HTTPError(.notFound, message: "this service keeps no audit trail; set http.audit")
            }
            let query = request.uri.queryParameters
            var since: Date?
            if let text = query["since"].map(String.init) {
                guard let date = ISO8601DateFormatter().date(from: text) else {
                    throw HTTPError(.badRequest, message: "'since' is a time such as 2026-12-05T08:00:00Z, not '\(text)'")
                }
                since = date
            }
            var limit = 100
            if let text = query["limit"].map(String.init) {
                guard let value = Int(text), (1...1000).contains(value) else {
                    throw HTTPError(.badRequest, message: "'limit' is a whole number from 1 to 1000, not '\(text)'")
                }
                limit = value
            }
            return try Self.json(try trail.entries(since: since, limit: limit))
        }
        audit.get("chain") { _, _ in
            guard let trail = service.audit else {
                throw HTTPError(.notFound, message: "this service keeps no audit trail; set http.audit")
            }
            do {
                let checked = try trail.verifyNewestDay()
                return try Self.json(AuditChain(day: checked.day, lines: checked.lines, intact: true, problem: nil))
            } catch let error as AuditError {
                return try Self.json(AuditChain(day: nil, lines: nil, intact: false, problem: error.description))
            }
        }
    }

    /// Whether the newest day of the audit trail holds (`AuditTrail.verifyNewestDay`).
    struct AuditChain: Encodable {
        var day: String?
        var lines: Int?
        var intact: Bool
        var problem: String?
    }

    /// What operators do to a board: a test message, clearing it, brightness, the clock, the screen on or off.
    func addControls(to board: RouterGroup<Context>) {
        let service = self.service
        board.post("message") { request, context in
            let monitor = try Self.monitor(service, context)
            let body = try await Self.decode(MessageRequest.self, from: request)
            let text = body.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= 200 else {
                throw HTTPError(.badRequest, message: "'text' must hold 1 to 200 characters")
            }
            let seconds = body.seconds ?? 30
            guard (1...3600).contains(seconds) else { throw HTTPError(.badRequest, message: "'seconds' must be between 1 and 3600") }
            if let board = service.boards.first(where: { $0.monitor === monitor }) {
                let unshowable = board.unshowableCharacters(inMessage: text)
                guard unshowable.isEmpty else {
                    throw HTTPError(.badRequest, message: "board '\(monitor.id)' (\(monitor.output)) cannot show \(unshowable.map(\.named).joined(separator: ", ")); write the message without them")
                }
            }
            monitor.showMessage(text, until: service.wallClock().addingTimeInterval(seconds))
            return try Self.json(monitor.report, status: .accepted)
        }
        board.post("brightness") { request, context in
            let monitor = try Self.monitor(service, context)
            guard monitor.controlsBrightness else {
                throw HTTPError(.conflict, message: "board '\(monitor.id)' (\(monitor.output)) has no brightness control")
            }
            let body = try await Self.decode(BrightnessRequest.self, from: request)
            let floor = service.configuration.http.brightnessFloor
            if let level = body.level, !(floor...1).contains(level) {
                throw HTTPError(.badRequest, message: "'level' must be between \(floor) (http.brightnessFloor) and 1, or null to follow the schedule")
            }
            if let seconds = body.seconds, !(1...86400).contains(seconds) {
                throw HTTPError(.badRequest, message: "'seconds' must be between 1 and 86400, or left out to keep the level until the board is returned to its schedule")
            }
            monitor.overrideBrightness(body.level, until: body.seconds.map { service.wallClock().addingTimeInterval($0) })
            return try Self.json(monitor.report, status: .accepted)
        }
        board.delete("message") { _, context in
            let monitor = try Self.monitor(service, context)
            monitor.clearMessage()
            return try Self.json(monitor.report, status: .accepted)
        }
        board.post("clock") { _, context in
            let monitor = try Self.monitor(service, context)
            guard monitor.controlsBrightness else {
                throw HTTPError(.conflict, message: "board '\(monitor.id)' (\(monitor.output)) has no clock to set")
            }
            monitor.setClockNow()
            return try Self.json(monitor.report, status: .accepted)
        }
        board.post("power") { request, context in
            let monitor = try Self.monitor(service, context)
            guard monitor.switchesScreen else {
                throw HTTPError(.conflict, message: "board '\(monitor.id)' (\(monitor.output)) has no command to switch its screen on or off")
            }
            let body = try await Self.decode(PowerRequest.self, from: request)
            monitor.switchScreen(on: body.on)
            return try Self.json(monitor.report, status: .accepted)
        }
    }

    /// Lets a caller with `role` or a higher one through; anyone else gets 403 with `refusal`.
    static func requiring(_ role: HTTPUser.Role, or refusal: String) -> AuthorizationPolicyMiddleware<RolePolicy<Caller>, Context, HTTPError> {
        AuthorizationPolicyMiddleware(RolePolicy<Caller>(role), deniedError: HTTPError(.forbidden, message: refusal), context: Context.self)
    }

    /// What the console's live socket sends: every board and video-wall processor with its newest health changes.
    struct LiveStatus: Encodable {
        struct Board: Encodable {
            var report: BoardReport
            var events: [BoardEvent]
        }

        struct Processor: Encodable {
            var report: ProcessorReport
            var events: [BoardEvent]
        }

        var time: Date
        var boards: [Board]
        var processors: [Processor]
    }

    /// The boards' status now, then again at once whenever a board's health changes and every
    /// second for the counters, until the browser closes the socket or the caller is no longer
    /// `admitted` (a revoked kiosk).
    static func sendLiveStatus(
        _ service: WallboardService, to outbound: WebSocketOutboundWriter, until inbound: WebSocketInboundStream, admitted: @escaping @Sendable () -> Bool
    ) async throws {
        let bell = Doorbell()
        let monitors = service.monitors
        let processors = service.processorMonitors
        let watched = monitors.map(\.healthWatchers) + processors.map(\.healthWatchers)
        let keys = watched.map { $0.watch(bell) }
        defer { for (watchers, key) in zip(watched, keys) { watchers.unwatch(key) } }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled, admitted() {
                    let now = service.wallClock()
                    let status = LiveStatus(
                        time: now, boards: monitors.map { LiveStatus.Board(report: $0.report, events: Array($0.events(now: now).prefix(5))) },
                        processors: processors.map { LiveStatus.Processor(report: $0.report, events: Array($0.events(now: now).prefix(5))) }
                    )
                    try await outbound.write(.text(String(decoding: try encoder.encode(status), as: UTF8.self)))
                    await bell.wait(until: .now + .seconds(1))
                }
            }
            group.addTask {
                for try await _ in inbound {}
            }
            try await group.next()
            group.cancelAll()
        }
    }

    struct MessageRequest: Decodable {
        var text: String
        var seconds: Double?
    }

    struct BrightnessRequest: Decodable {
        var level: Double?
        /// How long the level holds before the board returns to its schedule.
        var seconds: Double?
    }

    struct PowerRequest: Decodable {
        /// false: the screen goes dark (what it shows is kept); true: it lights again; null: the
        /// brightness schedule's `off` hours decide again.
        var on: Bool?
    }

    /// One screen of a splicing wall, as `?tile=COLUMN,ROW` names it.
    struct Tile: Sendable, Hashable {
        var column: Int
        var row: Int
        var rect: Rect

        var query: String { "?tile=\(column),\(row)" }
    }

    /// The tile the request asks for; nil when it asks for the whole board.
    static func tile(_ request: Request, of monitor: BoardMonitor) throws -> Tile? {
        guard let value = request.uri.queryParameters.get("tile") else { return nil }
        let bezels = monitor.bezels
        let screens = "board '\(monitor.id)' is \(bezels.tileColumns)×\(bezels.tileRows) screens: COLUMN 0–\(bezels.tileColumns - 1), ROW 0–\(bezels.tileRows - 1)"
        let parts = value.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let column = Int(parts[0]), let row = Int(parts[1]) else {
            throw HTTPError(.badRequest, message: "'tile' is COLUMN,ROW counted from 0 at the top left (e.g. tile=1,0), not '\(value)'; \(screens)")
        }
        guard let rect = bezels.tile(column: column, row: row, width: monitor.width, height: monitor.height) else {
            throw HTTPError(.badRequest, message: "there is no tile \(column),\(row): \(screens)")
        }
        return Tile(column: column, row: row, rect: rect)
    }

    static func monitor(_ service: WallboardService, _ context: Context) throws -> BoardMonitor {
        let id = context.parameters.get("id") ?? ""
        guard let monitor = service.monitor(id: id) else {
            throw HTTPError(.notFound, message: "no such board")
        }
        return monitor
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let body = try await request.body.collect(upTo: 64 * 1024)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "the body is not the expected JSON: \(error)")
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    static func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
