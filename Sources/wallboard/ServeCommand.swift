import ArgumentParser
import Foundation
import WallboardConfig
import WallboardService
import WallboardSourceKit
import WallboardSources

/// `wallboard serve`: runs the service from a configuration file.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Keep every configured board current and serve the live preview, API, health and metrics.",
        discussion: """
            Reads the dispatch database named in the configuration, renders each board's layout on every \
            change and clock tick, and sends what changed to each board. Stops cleanly on SIGTERM or SIGINT; \
            SIGHUP reloads the TLS certificate and key (http.tls) for new connections. \
            See config/wallboard.example.yaml for every setting.
            """
    )

    @Option(help: "The service configuration (YAML).")
    var config: String

    @Flag(help: "Check the configuration, its layouts, fonts, token files and TLS certificate and key, then exit.")
    var check = false

    /// Instead of the configured source, with the configuration's pace and time zone.
    @OptionGroup var source: SourceOptions

    func run() async throws {
        let configuration = try configurationWithSource()
        let service = try WallboardService(configuration: configuration)
        let processors = configuration.processors.isEmpty ? ""
            : " and video-wall processors " + configuration.processors.map { "\($0.id) (\($0.kind.rawValue) at \($0.host):\($0.port))" }.joined(separator: ", ")
        if check {
            let zone = configuration.source.timeZone.identifier
            if let certificate = service.certificate {
                FileHandle.standardOutput.write(Data("\(config): HTTPS with \(certificate.files.certificate) (\(certificate.summary))\n".utf8))
            }
            FileHandle.standardOutput.write(Data("\(config): \(configuration.boards.count) boards\(processors), time zone \(zone), configuration OK\n".utf8))
            return
        }
        try await service.run { url in
            FileHandle.standardOutput.write(Data("Wallboard serving \(configuration.boards.count) boards\(processors) at \(url)\n".utf8))
        }
    }

    /// The configuration, its source replaced by the one the command line names, if any.
    private func configurationWithSource() throws -> ServiceConfiguration {
        var configuration = try ConfigLoader.load(contentsOf: URL(fileURLWithPath: config))
        if let address = try source.address() {
            configuration.source = SourceSettings(address: address, timeZone: configuration.source.timeZone, staleAfter: configuration.source.staleAfter)
        }
        return configuration
    }
}
