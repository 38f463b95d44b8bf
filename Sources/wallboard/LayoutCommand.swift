import ArgumentParser
import Foundation
import WallboardCommandLine
import WallboardDispatch
import WallboardExport
import WallboardFonts
import WallboardLayout
import WallboardSources
import WallboardYAML

/// `wallboard layout`: check layout files, and render what a board shows.
struct LayoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layout",
        abstract: "Check layout files and render boards from a dispatch database.",
        subcommands: [LayoutCheckCommand.self, LayoutRenderCommand.self]
    )
}

struct LayoutCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load layout files and report every error at file:line:column, and each layout's smallest text.",
        discussion: """
            Exits with status 1 when any file has an error, or sets text under the \
            board.minimumTextHeight it declares for its viewing distance.
            """
    )

    @Argument(help: "Layout files (default: every .yaml file in ./Layouts).")
    var files: [String] = []

    @OptionGroup var fonts: FontsOptions

    func run() throws {
        let library = try fonts.library()
        let loader = LayoutLoader(fontNames: library.names + FontLibrary.namedChains.map(\.name))
        var paths = files
        if paths.isEmpty {
            let directory = "Layouts"
            let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted()
            paths = names.map { "\(directory)/\($0)" }
        }
        var failed = false
        for path in paths {
            do {
                let layout = try loader.load(contentsOf: URL(fileURLWithPath: path))
                let heights = try layout.textHeights { try library.chain($0).textHeight }
                for line in heights.belowFloor { print(line) }
                failed = failed || !heights.belowFloor.isEmpty
                let smallest = heights.smallest.map { "smallest text \($0.height) px (\($0.font))" } ?? "no text"
                let floor = layout.minimumTextHeight.map { ", at least \($0.pixels) px for its viewing distance" } ?? ""
                print(
                    "\(path): \(heights.belowFloor.isEmpty ? "ok" : "text too small") — \(layout.kind.rawValue) \(layout.width)x\(layout.height) "
                        + "\(layout.format.rawValue), \(layout.privacy.rawValue); \(smallest)\(floor)"
                )
            } catch {
                print("\(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct LayoutRenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render what a board shows for a dispatch database, as a PNG or an animated GIF."
    )

    @Option(help: "The layout file.")
    var layout: String

    @OptionGroup var source: SourceOptions

    @OptionGroup var zone: TimeZoneOptions

    @Option(help: "The station a door board belongs to (its id in the stations table).")
    var station: String?

    @Option(help: "The moment to show: now, ISO 8601 or local 'YYYY-MM-DD HH:MM' (rebuilt from the status log).")
    var at: MomentArgument?

    @Option(help: "The dispatch centre's name, for layouts that show it.")
    var centre = "急救指挥调度中心"

    @Option(help: "Seconds of animation to record as a GIF (0: a single PNG).")
    var seconds = 0.0

    @Option(help: "Frames per second of the GIF.")
    var fps = 10.0

    @Option(help: "Pixels per LED in the picture.")
    var scale = 4

    @Flag(help: "Draw round LED dots rather than squares.")
    var dots = false

    @Option(help: "Where to write the picture (.png, or .gif with --seconds).")
    var out: String

    @OptionGroup var fonts: FontsOptions

    func run() async throws {
        let library = try fonts.library()
        let loaded = try LayoutLoader(fontNames: library.names + FontLibrary.namedChains.map(\.name)).load(contentsOf: URL(fileURLWithPath: layout))
        if loaded.kind == .door && station == nil {
            throw ValidationError("\(layout) is a door board: name its station with --station")
        }
        let settings = try self.source.settings(zone: zone)
        let boundary = settings.dayBoundary
        let moment = try at?.resolve(in: boundary) ?? Date()
        let snapshot = at == nil
            ? try await DispatchSources.make(settings).readSnapshotOnce()
            : try await DispatchSources.makePastMoments(settings).snapshot(at: moment)
        let identity = BoardIdentity(centreName: centre, stationID: station, privacy: loaded.privacy, timeZone: boundary.timeZone)
        let renderer = BoardRenderer(layout: loaded, identity: identity, fonts: try FontSet(layout: loaded) { try library.chain($0) })
        var bound = renderer.bind(snapshot, staleSince: nil)
        let bytes: [UInt8]
        if seconds > 0 {
            let step = 1 / max(1, fps)
            let frames = stride(from: 0.0, to: seconds, by: step).map { offset in
                GIF.Frame(bound.render(at: moment.addingTimeInterval(offset)).frame.bitmap, centiseconds: Int((step * 100).rounded()))
            }
            bytes = GIF.encode(frames, scale: max(1, scale), ledDots: dots)
        } else {
            let (frame, output) = bound.render(at: moment)
            if !output.missing.isEmpty {
                print("no glyph for: " + output.missing.map { String(Character($0)) }.joined(separator: " "))
            }
            bytes = PNG.encode(frame.bitmap, scale: max(1, scale), ledDots: dots)
        }
        try ExportFile.write(bytes, to: out)
        print("\(out): \(loaded.name) at \(TimeFormatter(timeZone: boundary.timeZone).string(moment, pattern: "yyyy-MM-dd HH:mm:ss"))")
    }
}
