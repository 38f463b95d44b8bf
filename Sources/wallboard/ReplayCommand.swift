import ArgumentParser
import Foundation
import WallboardConfig
import WallboardService
import WallboardSources

/// `wallboard replay`: what every configured board showed over a past period.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Render what every configured board showed over a past period: a GIF per board and a contact sheet.",
        discussion: """
            Rebuilds the dispatch state at each step from the database's status log and time stamps, renders \
            every board of the configuration at that moment, and writes BOARD.gif (equal frames merged) and \
            contact-sheet.png to --out. For after-action review and golden tests of whole dispatch days.
            """
    )

    /// Instead of the configured source.
    @OptionGroup var source: SourceOptions

    @Option(help: "The service configuration (YAML) whose boards to replay.")
    var config: String

    @Option(help: "Start: ISO 8601, local 'YYYY-MM-DD HH:MM', midnight or now.")
    var from: MomentArgument

    @Option(help: "End (included), in the same forms as --from.")
    var to: MomentArgument

    @Option(help: "Time between two rendered moments, e.g. 1s, 30s, 5m (default: 1s).")
    var step: DurationArgument?

    @Option(name: .customLong("speed-up"), help: "Play the GIFs this many times faster than real time.")
    var speedUp: Double = 1

    @Option(help: "The directory to write the GIFs and the contact sheet to.")
    var out: String

    func run() async throws {
        let configuration = try ConfigLoader.load(contentsOf: URL(fileURLWithPath: config))
        let boundary = configuration.source.dayBoundary
        guard speedUp > 0 else { throw ValidationError("--speed-up must be more than 0") }
        let replay = try Replay(configuration: configuration)
        let seconds = step?.seconds ?? 1
        let films = try await replay.run(address: try source.address(), from: try from.resolve(in: boundary), to: try to.resolve(in: boundary), step: seconds)
        let files = try Replay.write(films, step: seconds, speedUp: speedUp, to: URL(fileURLWithPath: out))
        FileHandle.standardOutput.write(Data((files.map(\.path).joined(separator: "\n") + "\n").utf8))
    }
}
