import Foundation
import WallboardDispatch

/// How to reach the dispatch interface on PostgreSQL servers: the part of `source: postgres:` (or of
/// a `--postgres` URL) that says where, as whom, and how securely.
public struct PostgresSettings: Sendable, Equatable {
    /// One server: a primary or a hot standby (the source finds out which).
    public struct Host: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var port: Int

        public init(name: String, port: Int = 5432) {
            self.name = name
            self.port = port
        }

        /// `host`, `host:port` or `[v6address]:port`.
        public init?(_ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            var name = trimmed
            var port = 5432
            if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") {
                name = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
                let rest = trimmed[trimmed.index(after: close)...]
                if !rest.isEmpty {
                    guard rest.hasPrefix(":"), let number = Int(rest.dropFirst()) else { return nil }
                    port = number
                }
            } else if let colon = trimmed.lastIndex(of: ":"), trimmed.firstIndex(of: ":") == colon {
                name = String(trimmed[..<colon])
                guard let number = Int(trimmed[trimmed.index(after: colon)...]) else { return nil }
                port = number
            }
            guard !name.isEmpty, (1...65_535).contains(port) else { return nil }
            self.init(name: name, port: port)
        }

        public var description: String { name.contains(":") ? "[\(name)]:\(port)" : "\(name):\(port)" }
    }

    /// libpq's `sslmode` words that Wallboard supports.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable
        /// TLS when the server offers it, without checking its certificate.
        case prefer
        /// TLS always, without checking the certificate (as libpq's `require`).
        case require
        /// TLS always, the certificate checked against the system's authorities and the host name.
        case verifyFull = "verify-full"
    }

    /// Tried in order; the first that answers is read.
    public var hosts: [Host]
    public var database: String
    public var user: String
    /// A file holding the password (its first line); nil for servers that trust the connection.
    /// Read at every connect, so a rotated password is picked up; never logged or shown.
    public var passwordFile: String?
    public var tls: TLSMode
    /// Shown in `pg_stat_activity`, so a database administrator can tell the instances apart.
    public var applicationName: String

    public init(hosts: [Host], database: String, user: String, passwordFile: String? = nil, tls: TLSMode = .prefer, applicationName: String = "wallboard") {
        self.hosts = hosts
        self.database = database
        self.user = user
        self.passwordFile = passwordFile
        self.tls = tls
        self.applicationName = applicationName
    }

    /// `postgresql://user@host:port,host:port/database?sslmode=…&application_name=…&passwordFile=…`,
    /// the form commands take on the command line. A password in the URL is refused: it would show in
    /// the process list.
    public init(url text: String) throws(SourceProblem) {
        func invalid(_ why: String) -> SourceProblem {
            SourceProblem(kind: .unreachable, message: "PostgreSQL URL: \(why); expected postgresql://USER@HOST[:PORT][,HOST[:PORT]…]/DATABASE")
        }
        var rest = Substring(text)
        guard let scheme = ["postgresql://", "postgres://"].first(where: { rest.hasPrefix($0) }) else { throw invalid("it must start with postgresql://") }
        rest = rest.dropFirst(scheme.count)
        var query: [String: String] = [:]
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                query[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw invalid("it names no database") }
        let database = String(rest[rest.index(after: slash)...]).removingPercentEncoding ?? ""
        var authority = rest[..<slash]
        var user = "wallboard"
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            guard !userInfo.contains(":") else { throw invalid("put the password in a file and pass ?passwordFile=PATH, not in the URL") }
            user = String(userInfo).removingPercentEncoding ?? String(userInfo)
            authority = authority[authority.index(after: at)...]
        }
        var hosts: [Host] = []
        for part in authority.split(separator: ",") {
            guard let host = Host(String(part)) else { throw invalid("'\(part)' is not HOST or HOST:PORT") }
            hosts.append(host)
        }
        guard !hosts.isEmpty else { throw invalid("it names no host") }
        guard !database.isEmpty else { throw invalid("it names no database") }
        let tlsWord = query["sslmode"] ?? "prefer"
        guard let tls = TLSMode(rawValue: tlsWord) else {
            throw invalid("sslmode '\(tlsWord)' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.init(
            hosts: hosts, database: database, user: user, passwordFile: query["passwordFile"], tls: tls,
            applicationName: query["application_name"] ?? "wallboard"
        )
    }

    /// The password from `passwordFile`; throws naming the file (never its content).
    public func password() throws(SourceProblem) -> String? {
        guard let passwordFile else { return nil }
        guard let data = FileManager.default.contents(atPath: passwordFile) else {
            throw SourceProblem(kind: .unreachable, message: "cannot read the password file \(passwordFile); check that it exists and is readable")
        }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }
}
