import Foundation
import Hummingbird
import WallboardAudit

/// Records in the audit trail every request that changes something (who, from where, what, the
/// text sent, and the answer, refusals included) and every request refused on any route (401,
/// 403, 429), and answers only once the line is on disk. It runs before every other middleware,
/// so that refusals by the browser guard and the authenticator are recorded too.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = WallboardRequestContext
    let trail: AuditTrail
    let now: @Sendable () -> Date

    /// The part of a control's body worth keeping: the text a message puts on a board, the name
    /// of a kiosk being enrolled, a screen switched on or off, the preset a processor is told to load.
    struct Sent: Decodable {
        var text: String?
        var name: String?
        var on: Bool?
        var preset: String?
    }

    static let refusals: Set<HTTPResponse.Status> = [.unauthorized, .forbidden, .tooManyRequests]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let changes = request.method != .get && request.method != .head
        var text: String?
        if changes {
            let body = try await request.collectBody(upTo: 64 * 1024)
            let sent = try? JSONDecoder().decode(Sent.self, from: Data(buffer: body))
            text = sent?.text ?? sent?.name ?? sent?.preset ?? sent?.on.map { $0 ? "screen on" : "screen off" }
        }
        let status: HTTPResponse.Status
        let outcome: Result<Response, any Error>
        do {
            let response = try await next(request, context)
            (status, outcome) = (response.status, .success(response))
        } catch let error as any HTTPResponseError {
            (status, outcome) = (error.status, .failure(error))
        }
        if changes || Self.refusals.contains(status) {
            let caller = context.authenticated.value
            try trail.append(AuditEntry(
                time: now(), user: caller?.name, role: caller?.role.rawValue,
                client: context.remoteAddress?.ipAddress ?? "unknown", action: "\(request.method) \(request.uri.path)",
                text: text, status: status.code
            ))
        }
        return try outcome.get()
    }
}
