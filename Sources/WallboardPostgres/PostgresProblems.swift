import Foundation
import NIOCore
import PostgresNIO
import WallboardDispatch

/// PostgreSQL's errors as source problems that name the host and say what to do; never the password.
enum PostgresProblems {
    static func problem(_ error: any Error, host: PostgresSettings.Host, settings: PostgresSettings, statementTimeout: Duration? = nil) -> SourceProblem {
        if let problem = error as? SourceProblem { return problem }
        guard let error = error as? PSQLError else {
            return SourceProblem(kind: .unreachable, message: "\(host): \(error)")
        }
        if let server = error.serverInfo {
            let message = server[.message] ?? "error"
            let state = server[.sqlState] ?? ""
            let at = "\(host) database \(settings.database)"
            switch state {
            case "28P01", "28000":
                let file = settings.passwordFile.map { "the password in \($0)" } ?? "a password file (passwordFile)"
                return SourceProblem(kind: .unreachable, message: "\(at): \(message); check the user '\(settings.user)' and \(file)")
            case "3D000":
                return SourceProblem(kind: .unreachable, message: "\(at): \(message); create it or correct `database`")
            case "42P01", "42703", "42883":
                return SourceProblem(kind: .interfaceMismatch, message: "\(at): \(message); see SCHEMA.md (On PostgreSQL)")
            case "57014":
                return SourceProblem(kind: .readFailed, message: "\(at): a read took longer than the statement timeout\(statementTimeout.map { " (\($0))" } ?? ""); retrying")
            case let code where code.hasPrefix("57P") || code.hasPrefix("08"):
                return SourceProblem(kind: .unreachable, message: "\(at): \(message); retrying")
            default:
                return SourceProblem(kind: .readFailed, message: "\(at): \(message) (SQLSTATE \(state))")
            }
        }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return SourceProblem(kind: .unreachable, message: "\(host): the server closed the connection; reconnecting")
        case .connectionError:
            let cause = error.underlying.map { "\($0)" } ?? "no answer"
            return SourceProblem(kind: .unreachable, message: "\(host): cannot connect (\(cause)); retrying")
        case .sslUnsupported:
            return SourceProblem(kind: .unreachable, message: "\(host): the server does not offer TLS, and sslmode is \(settings.tls.rawValue)")
        default:
            return SourceProblem(kind: .unreachable, message: "\(host): \(error.code)")
        }
    }
}
