import Foundation
import Hummingbird
import WallboardAudit

/// Records every request of its group in the audit trail (who, from where, what, the text sent,
/// and the answer, refusals included) and answers only once the line is on disk.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = WallboardRequestContext
    let trail: AuditTrail
    let now: @Sendable () -> Date

    /// The part of a control's body worth keeping: the text a message puts on a board.
    struct Sent: Decodable {
        var text: String?
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let text = (try? JSONDecoder().decode(Sent.self, from: Data(buffer: body)))?.text
        let status: HTTPResponse.Status
        let outcome: Result<Response, any Error>
        do {
            let response = try await next(request, context)
            (status, outcome) = (response.status, .success(response))
        } catch let error as any HTTPResponseError {
            (status, outcome) = (error.status, .failure(error))
        }
        try trail.append(AuditEntry(
            time: now(), user: context.identity?.name, role: context.identity?.role.rawValue,
            client: context.remoteAddress?.ipAddress ?? "unknown", action: "\(request.method) \(request.uri.path)",
            text: text, status: status.code
        ))
        return try outcome.get()
    }
}
