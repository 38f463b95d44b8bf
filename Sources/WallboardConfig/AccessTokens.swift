import Foundation
import Glibc

/// The rules a token must pass, and the reading of token files.
public enum AccessTokens {
    /// What a token file must hold at least; 24 characters of base64 are 144 bits.
    public static let minimumFileTokenLength = 24
    /// The deprecated inline `http.token` keeps its old minimum.
    public static let minimumInlineTokenLength = 8
    /// Tokens that appear in the shipped configurations and documentation: known to everyone.
    static let shippedExamples: Set<String> = ["change-this-token"]

    /// Why `token` cannot guard anything, or nil when it may be used.
    public static func problem(with token: String, minimumLength: Int) -> String? {
        // Bearer tokens are token68: letters, digits and - . _ ~ + / =; no spaces.
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=")
        if let bad = token.first(where: { !allowed.contains($0) }) {
            return "the token holds \(bad == " " ? "a space" : "'\(bad.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined())'"); use letters, digits and - . _ ~ + / = only (head -c 24 /dev/urandom | base64)"
        }
        if token.count < minimumLength {
            return "the token has \(token.count) characters; use at least \(minimumLength) (head -c 24 /dev/urandom | base64)"
        }
        if shippedExamples.contains(token) {
            return "the token '\(token)' is an example shipped with Wallboard, known to anyone; make one of your own (head -c 24 /dev/urandom | base64)"
        }
        return nil
    }

    /// A new secret of 256 random bits as unpadded base64url (43 characters): a token, and fit for
    /// a URL and a cookie as it is.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Writes a new token (`random()`) to a new file at `path`, readable by this user only (mode
    /// 600 from the start), replacing any file there; the token.
    public static func writeNew(file path: String) throws -> String {
        let token = random()
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw AccessTokenError(path, "cannot create the token file: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let bytes = Array((token + "\n").utf8)
        guard bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
            throw AccessTokenError(path, "cannot write the token file: \(String(cString: strerror(errno)))")
        }
        return token
    }

    /// The token in `path`, refused when the file is readable by group or others, or when the token
    /// is too short or a shipped example. A final newline is not part of the token.
    public static func read(file path: String) throws -> String {
        var token = String(decoding: try readSecret(file: path, holding: "token"), as: UTF8.self)
        while let last = token.last, last.isNewline { token.removeLast() }
        if let problem = problem(with: token, minimumLength: minimumFileTokenLength) {
            throw AccessTokenError(path, problem)
        }
        return token
    }

    /// The contents of `path`, a file holding a secret (`what`: a token, a password), refused when
    /// it is missing, unreadable, or readable by group or others.
    public static func readSecret(file path: String, holding what: String) throws -> Data {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw AccessTokenError(path, "cannot read the \(what) file: \(String(cString: strerror(errno)))")
        }
        let mode = status.st_mode & 0o777
        if mode & 0o077 != 0 {
            throw AccessTokenError(path, "the \(what) file is readable by group or others (mode \(String(mode, radix: 8))); chmod 600 it, owned by the service's user")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw AccessTokenError(path, "cannot read the \(what) file: \(error.localizedDescription)")
        }
    }
}

/// A token or password file that cannot be used, with the file and the fix.
public struct AccessTokenError: Error, CustomStringConvertible {
    public let path: String
    public let problem: String

    init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
