import Foundation
import Glibc
import Logging
import NIOSSL
import ServiceLifecycle
import Synchronization
import UnixSignals
import WallboardConfig
import WallboardSupport

/// The certificate and key HTTPS is served with (`http.tls`), read at start and again by `reload()`.
/// Every TLS handshake takes the pair loaded last, so after a reload new connections get the
/// renewed certificate while the connections already open (the boards' streams) carry on.
public final class ServedCertificate: Sendable {
    struct Pair: Sendable {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey

        var validUntil: Date { Date(timeIntervalSince1970: TimeInterval(chain[0].notValidAfter)) }

        /// How a person tells two certificates apart: the serial number and the end of validity.
        var summary: String {
            let serial = Hex.bytes(chain[0].serialNumber).replacingOccurrences(of: " ", with: ":")
            return "serial \(serial), valid until \(validUntil.formatted(.iso8601))"
        }
    }

    public let files: TLSFiles
    private let current: Mutex<Pair>

    /// Reads and checks both files; throws a `ServiceSetupError` naming the file and the fix.
    init(files: TLSFiles) throws {
        self.files = files
        current = Mutex(try Self.load(files))
    }

    /// What is served now, for the log and `--check`.
    public var summary: String { current.withLock { $0.summary } }

    /// A warning when what is served has expired or expires within 30 days; nil otherwise.
    public func expiryWarning(now: Date) -> String? {
        let until = current.withLock { $0.validUntil }
        let days = Int(until.timeIntervalSince(now) / 86_400)
        guard days < 30 else { return nil }
        let when = until < now ? "expired at \(until.formatted(.iso8601)): browsers refuse it" : "expires at \(until.formatted(.iso8601)), in \(days == 1 ? "1 day" : "\(days) days")"
        return "http.tls: the certificate \(files.certificate) \(when); renew it and send SIGHUP (systemctl reload wallboard)"
    }

    /// Reads the files again and serves them from the next handshake on; on any problem the pair
    /// served so far stays and the error says why.
    func reload() throws -> String {
        let pair = try Self.load(files)
        current.withLock { $0 = pair }
        return pair.summary
    }

    /// The server's TLS configuration: the pair loaded at start, replaced in each handshake by the
    /// pair loaded last (swift-nio-ssl asks `sslContextCallback` at every client hello).
    var tlsConfiguration: TLSConfiguration {
        let pair = current.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: pair.chain.map { .certificate($0) }, privateKey: .privateKey(pair.key)
        )
        configuration.sslContextCallback = { [self] _, promise in
            let pair = current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = pair.chain.map { .certificate($0) }
            override.privateKey = .privateKey(pair.key)
            promise.succeed(override)
        }
        return configuration
    }

    /// The certificate chain and key in `files`: both PEM, the key readable by the service's user
    /// only, and the key the certificate's own.
    static func load(_ files: TLSFiles) throws -> Pair {
        let setting = "\(files.location): http.tls"
        var status = stat()
        guard stat(files.key, &status) == 0 else {
            throw ServiceSetupError("\(setting): cannot read the key \(files.key): \(String(cString: strerror(errno)))")
        }
        let mode = status.st_mode & 0o777
        if mode & 0o077 != 0 {
            throw ServiceSetupError("\(setting): the key \(files.key) is readable by group or others (mode \(String(mode, radix: 8))); chmod 600 it, owned by the service's user")
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificate)
        } catch {
            throw ServiceSetupError("\(setting): cannot read the certificate \(files.certificate) as PEM: \(error)")
        }
        guard !chain.isEmpty else {
            throw ServiceSetupError("\(setting): \(files.certificate) holds no certificate (PEM, '-----BEGIN CERTIFICATE-----')")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.key, format: .pem)
        } catch {
            throw ServiceSetupError("\(setting): cannot read the key \(files.key) as PEM: \(error)")
        }
        do {
            // BoringSSL refuses a key that is not the certificate's own when it makes a context.
            _ = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        } catch {
            throw ServiceSetupError("\(setting): the key \(files.key) does not belong to the certificate \(files.certificate) (\(error))")
        }
        return Pair(chain: chain, key: key)
    }
}

/// Reloads the served certificate on SIGHUP (`systemctl reload wallboard`), so a renewed certificate
/// is served without a restart and without dropping the boards' connections. Without TLS, SIGHUP
/// only says there is nothing to reload (rather than ending the process, its default).
struct CertificateReloader: Service {
    let certificate: ServedCertificate?
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            guard let certificate else {
                logger.notice("SIGHUP: nothing to reload (no http.tls)")
                continue
            }
            do {
                let summary = try certificate.reload()
                logger.notice("SIGHUP: serving the certificate \(certificate.files.certificate) (\(summary)) to new connections")
                if let warning = certificate.expiryWarning(now: Date()) { logger.warning("\(warning)") }
            } catch {
                logger.error("SIGHUP: kept the certificate served so far: \(error)")
            }
        }
    }
}
