import Foundation
import Glibc
import Testing
import WallboardTestKit

/// `wallboard serve` over HTTPS, with a certificate authority and server certificates this test makes
/// with openssl, and real TLS clients (curl, openssl s_client) on loopback.
@Suite(.serialized) struct TLSServeTests {
    static let curl = URL(fileURLWithPath: "/usr/bin/curl")
    static let operatorToken = "operator-token-0123456789abcdef"
    static let wallLayout = WallboardProgram.repository.appendingPathComponent("Layouts/wall-384x192-rgb.yaml").path

    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func configuration(http: String) -> String {
        """
        centre: 测试中心
        source:
          sqlite: dispatch.db
        http:
        \(http)
        boards:
          - id: wall
            layout: \(wallLayout)
            transport: browser
        """
    }

    static func writeToken(in directory: URL) throws {
        let file = directory.appendingPathComponent("ops.token")
        try "\(operatorToken)\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }

    /// WebSocket messages in what a server sent after its `101` head (server frames are not masked);
    /// a message still arriving is not counted.
    static func webSocketMessages(in data: Data) -> Int {
        let bytes = [UInt8](data)
        guard let head = bytes.indices.dropLast(3).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }) else { return 0 }
        var index = head + 4, count = 0
        while index + 2 <= bytes.count {
            var length = Int(bytes[index + 1] & 0x7F), start = index + 2
            if length == 126 || length == 127 {
                let width = length == 126 ? 2 : 8
                guard start + width <= bytes.count else { break }
                length = bytes[start..<start + width].reduce(0) { $0 << 8 | Int($1) }
                start += width
            }
            guard start + length <= bytes.count else { break }
            if bytes[index] & 0x80 != 0 { count += 1 }
            index = start + length
        }
        return count
    }

    /// The console and an operator's message over HTTPS verified against the test CA; plain HTTP on
    /// the same port gets no HTTP answer; a certificate replaced on disk and SIGHUP is what the next
    /// connection gets (and a pair that does not match is refused, the renewed one kept), while the
    /// wall's WebSocket stream, opened over TLS before, keeps every frame.
    @Test func httpsServesTheConsoleAMessageAndARenewedCertificateWithoutDroppingTheBoardsStream() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let authority = try TestCertificateAuthority(in: directory)
        try authority.issue("first", serial: 1001)
        try authority.issue("renewed", serial: 1002)
        try authority.install("first")
        try Self.writeToken(in: directory)
        // The dispatch system at work: the wall's clock follows its time, a second at a time.
        let dispatch = try WallboardProgram.start(["simulate", "--db", "dispatch.db", "--start", "now"], in: directory)
        defer { dispatch.process.terminate() }
        try await eventually("the dispatch database") { FileManager.default.fileExists(atPath: directory.appendingPathComponent("dispatch.db").path) }
        try Self.configuration(http: """
              port: 0
              users:
                - {name: ops, role: operator, tokenFile: ops.token}
              tls: {certificate: server.pem, key: server.key}
            """).write(to: directory.appendingPathComponent("wallboard.yaml"), atomically: true, encoding: .utf8)

        let server = try WallboardProgram.start(["serve", "--config", "wallboard.yaml"], in: directory)
        defer { server.process.terminate() }
        func printed() -> String { (try? String(contentsOf: server.output, encoding: .utf8)) ?? "" }
        func logged() -> String { (try? String(contentsOf: server.errors, encoding: .utf8)) ?? "" }
        let port = try await eventually("the service's https URL", describe: { printed() + logged() }) { () -> Int? in
            guard let url = printed().components(separatedBy: "https://127.0.0.1:").dropFirst().first else { return nil }
            return Int(url.prefix { $0.isNumber })
        }
        let base = "https://127.0.0.1:\(port)"

        let console = try authority.run(Self.curl, ["-sS", "--fail", "--cacert", "ca.pem", "-u", "ops:\(Self.operatorToken)", "\(base)/"])
        #expect(console.contains("测试中心") && console.contains("/scripts/console.js"), "\(console.prefix(300))")
        let accepted = try authority.run(Self.curl, [
            "-sS", "--cacert", "ca.pem", "-H", "Authorization: Bearer \(Self.operatorToken)", "-H", "Content-Type: application/json",
            "-d", #"{"text": "消防演练", "seconds": 60}"#, "-w", "\n%{http_code}", "\(base)/api/v1/boards/wall/message",
        ])
        #expect(accepted.hasSuffix("\n202") && accepted.contains(#""message":"消防演练""#), "\(accepted)")
        // The message covers the whole wall, its clock too: off again before the frames are counted.
        let cleared = try authority.run(Self.curl, [
            "-sS", "--cacert", "ca.pem", "-X", "DELETE", "-H", "Authorization: Bearer \(Self.operatorToken)", "-w", "\n%{http_code}",
            "\(base)/api/v1/boards/wall/message",
        ])
        #expect(cleared.hasSuffix("\n202") && !cleared.contains("消防演练"), "\(cleared)")

        let plain = try WallboardProgram.run(["-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/healthz"], in: directory, program: Self.curl)
        #expect(plain.status != 0 && plain.output == "000", "plain HTTP on the TLS port: curl status \(plain.status), code \(plain.output), \(plain.errors)")

        // The wall's stream, as its kiosk page opens it, over TLS verified against the CA.
        let upgrade = directory.appendingPathComponent("upgrade.txt")
        try Data((
            "GET /boards/wall/ws HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer \(Self.operatorToken)\r\n\r\n"
        ).utf8).write(to: upgrade)
        let stream = try WallboardProgram.start(
            ["s_client", "-quiet", "-connect", "127.0.0.1:\(port)", "-CAfile", "ca.pem", "-verify_return_error"],
            in: directory, program: TestCertificateAuthority.openssl, input: upgrade
        )
        defer { stream.process.terminate() }
        func messages() -> Int { Self.webSocketMessages(in: (try? Data(contentsOf: stream.output)) ?? Data()) }
        let first = try await eventually("the stream's first frames", describe: { "\(messages()) messages in \((try? Data(contentsOf: stream.output))?.count ?? 0) bytes; " + logged() }) { () -> Int? in
            messages() >= 2 ? messages() : nil
        }
        let streamStart = Date()
        #expect(String(decoding: (try? Data(contentsOf: stream.output)) ?? Data(), as: UTF8.self).hasPrefix("HTTP/1.1 101"))

        let firstSerial = try authority.serial(ofFile: "first.pem")
        let renewedSerial = try authority.serial(ofFile: "renewed.pem")
        #expect(firstSerial != renewedSerial)
        #expect(try authority.serial(servedOn: port) == firstSerial)
        try authority.install("renewed")
        #expect(kill(server.process.processIdentifier, SIGHUP) == 0)
        try await eventually("the renewed certificate on a new connection", describe: { logged() }) {
            (try? authority.serial(servedOn: port)) == renewedSerial
        }
        #expect(logged().contains("SIGHUP: serving the certificate"), "\(logged())")
        #expect(server.process.isRunning)
        let afterReload = try authority.run(Self.curl, ["-sS", "--fail", "--cacert", "ca.pem", "-u", "ops:\(Self.operatorToken)", "\(base)/api/v1/boards/wall"])
        #expect(afterReload.contains(#""id":"wall""#), "\(afterReload)")

        // A pair that fails the checks (the first certificate with the renewed key) is not served.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("server.pem"))
        try FileManager.default.copyItem(at: directory.appendingPathComponent("first.pem"), to: directory.appendingPathComponent("server.pem"))
        #expect(kill(server.process.processIdentifier, SIGHUP) == 0)
        try await eventually("the refused pair in the log", describe: { logged() }) { logged().contains("SIGHUP: kept the certificate served so far") }
        #expect(logged().contains("does not belong to the certificate"), "\(logged())")
        #expect(try authority.serial(servedOn: port) == renewedSerial)

        // The wall's clock shows seconds: a frame each second, none missed across the reload.
        try await Task.sleep(for: .seconds(3))
        let seconds = Int(Date().timeIntervalSince(streamStart))
        #expect(stream.process.isRunning, "the stream opened before the reload is still open")
        #expect(messages() - first >= seconds - 1, "\(messages() - first) frames in \(seconds) s")
    }

    /// `--check` reads the certificate and key as the service would: a key others may read, or a key
    /// that is not the certificate's, is named with the fix; a good pair is summarised.
    @Test func checkReadsTheCertificateAndKey() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let authority = try TestCertificateAuthority(in: directory)
        try authority.issue("first", serial: 1001)
        try authority.issue("other", serial: 1002)
        try Self.writeToken(in: directory)
        func check(certificate: String, key: String) throws -> WallboardProgram.Finished {
            try Self.configuration(http: """
                  users:
                    - {name: ops, role: operator, tokenFile: ops.token}
                  tls: {certificate: \(certificate), key: \(key)}
                """).write(to: directory.appendingPathComponent("wallboard.yaml"), atomically: true, encoding: .utf8)
            return try WallboardProgram.run(["serve", "--config", "wallboard.yaml", "--check"], in: directory)
        }
        let good = try check(certificate: "first.pem", key: "first.key")
        #expect(good.status == 0, "\(good.errors)")
        #expect(good.output.contains("HTTPS with \(directory.path)/first.pem (serial 03:E9, valid until"), "\(good.output)")
        #expect(good.errors.contains("the certificate \(directory.path)/first.pem expires at") && good.errors.contains("in 1 day; renew it"), "made for 2 days: \(good.errors)")

        let mismatched = try check(certificate: "first.pem", key: "other.key")
        #expect(mismatched.status != 0)
        #expect(mismatched.errors.contains("wallboard.yaml:7:8: http.tls: the key \(directory.path)/other.key does not belong to the certificate"), "\(mismatched.errors)")

        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: directory.appendingPathComponent("first.key").path)
        let readable = try check(certificate: "first.pem", key: "first.key")
        #expect(readable.status != 0)
        #expect(readable.errors.contains("is readable by group or others (mode 640); chmod 600"), "\(readable.errors)")

        let missing = try check(certificate: "nowhere.pem", key: "other.key")
        #expect(missing.status != 0)
        #expect(missing.errors.contains("cannot read the certificate \(directory.path)/nowhere.pem"), "\(missing.errors)")

        let notPEM = try check(certificate: "ops.token", key: "other.key")
        #expect(notPEM.status != 0)
        #expect(notPEM.errors.contains("ops.token"), "\(notPEM.errors)")
    }

    /// An address other machines reach needs TLS, or `insecure: true` in so many words, which then
    /// warns; checked without binding to it.
    @Test func aReachableAddressNeedsTLSOrInsecureInSoManyWords() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeToken(in: directory)
        func check(_ extra: String) throws -> WallboardProgram.Finished {
            try Self.configuration(http: """
                  address: 0.0.0.0
                  users:
                    - {name: ops, role: operator, tokenFile: ops.token}
                \(extra)
                """).write(to: directory.appendingPathComponent("wallboard.yaml"), atomically: true, encoding: .utf8)
            return try WallboardProgram.run(["serve", "--config", "wallboard.yaml", "--check"], in: directory)
        }
        let refused = try check("")
        #expect(refused.status != 0)
        #expect(refused.errors.contains("wallboard.yaml:5:") && refused.errors.contains("http.tls") && refused.errors.contains("http.insecure: true"), "\(refused.errors)")
        let insecure = try check("  insecure: true")
        #expect(insecure.status == 0, "\(insecure.errors)")
        #expect(insecure.errors.contains("http.insecure: serving plain HTTP on 0.0.0.0"), "\(insecure.errors)")
    }
}
