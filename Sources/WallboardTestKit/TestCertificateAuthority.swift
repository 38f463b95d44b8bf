import Foundation

/// A test CA (`ca.pem`) in `directory`, and server certificates for localhost and 127.0.0.1 it signs.
public struct TestCertificateAuthority: Sendable {
    public static let openssl = URL(fileURLWithPath: "/usr/bin/openssl")
    public let directory: URL

    public init(in directory: URL) throws {
        self.directory = directory
        try run(Self.openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=test CA"])
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(to: directory.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
    }

    /// `NAME.pem` and its own key `NAME.key` (mode 600), with serial number `serial`.
    public func issue(_ name: String, serial: Int) throws {
        try run(Self.openssl, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=localhost"])
        try run(Self.openssl, [
            "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "\(serial)", "-days", "2",
            "-extfile", "san.ext", "-out", "\(name).pem",
        ])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.appendingPathComponent("\(name).key").path)
    }

    /// The serial number as openssl prints it (`serial=03E9`), of a PEM file or of what a server sends.
    public func serial(ofFile name: String) throws -> String {
        try run(Self.openssl, ["x509", "-in", name, "-noout", "-serial"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func serial(servedOn port: Int) throws -> String {
        let served = try run(Self.openssl, ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", "ca.pem", "-verify_return_error"], input: "/dev/null")
        let pem = directory.appendingPathComponent("served-\(UUID().uuidString).pem")
        try served.write(to: pem, atomically: true, encoding: .utf8)
        return try serial(ofFile: pem.path)
    }

    /// The SHA-256 of `name`'s public key (SPKI), base64, as Chromium's
    /// `--ignore-certificate-errors-spki-list` takes it.
    public func publicKeyHash(of name: String) throws -> String {
        try run(URL(fileURLWithPath: "/bin/sh"), [
            "-c", "openssl x509 -in \(name).pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64",
        ]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Installs `name`'s certificate and key as `server.pem` and `server.key`, what a test's configuration names.
    public func install(_ name: String) throws {
        for suffix in ["pem", "key"] {
            let target = directory.appendingPathComponent("server.\(suffix)")
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: directory.appendingPathComponent("\(name).\(suffix)"), to: target)
        }
    }

    /// Runs `program` in the authority's directory; its output, or a `ToolFailure` with its errors.
    @discardableResult
    public func run(_ program: URL, _ arguments: [String], input: String? = nil) throws -> String {
        let finished = try WallboardProgram.run(arguments, in: directory, program: program, input: input.map { URL(fileURLWithPath: $0) })
        guard finished.status == 0 else { throw ToolFailure("\(program.lastPathComponent) \(arguments.joined(separator: " ")): \(finished.errors)") }
        return finished.output
    }
}

/// A tool a test runs that did not succeed: the command and what it printed on standard error.
public struct ToolFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
