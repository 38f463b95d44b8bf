import Foundation
import Logging
import WallboardConfig
import WallboardDispatch
import WallboardExport
import WallboardRender
import WallboardSourceKit
import WallboardSources

/// What every configured board showed over a past period, rebuilt from the database's time
/// stamps: an animated GIF per board and a contact sheet, for after-action review ("what did
/// station 3's door board show at 03:12?").
public struct Replay {
    public let configuration: ServiceConfiguration
    let service: WallboardService

    public init(configuration: ServiceConfiguration) throws {
        self.configuration = configuration
        // Preview-only boards: a replay renders, it never opens a device.
        service = try WallboardService(configuration: configuration, source: nil, logger: Logger(label: "wallboard.replay")) { _, _ in nil }
    }

    /// One board's replayed picture: frames with how long each was shown.
    public struct BoardFilm: Sendable {
        public var id: String
        public var frames: [(moment: Date, frame: Frame)]
    }

    /// Renders every board at each `step` from `from` to `to` (both included), from the database
    /// named in the configuration (or at `address`).
    public func run(address: (any SourceAddress)? = nil, from: Date, to: Date, step: TimeInterval) async throws -> [BoardFilm] {
        guard to >= from else { throw ServiceSetupError("the replay ends (\(to)) before it starts (\(from))") }
        guard step > 0 else { throw ServiceSetupError("the replay step must be more than 0 seconds") }
        let count = Int(((to.timeIntervalSince(from)) / step).rounded(.down)) + 1
        guard count <= 100_000 else { throw ServiceSetupError("\(count) moments is too many for one replay; use a longer --step") }
        let source = try source(address: address)
        var films = service.boards.map { BoardFilm(id: $0.configuration.id, frames: []) }
        for index in 0..<count {
            let moment = from.addingTimeInterval(Double(index) * step)
            let snapshot = try await source.snapshot(at: moment)
            for (boardIndex, board) in service.boards.enumerated() {
                films[boardIndex].frames.append((moment, board.renderer.render(snapshot, at: moment).frame))
            }
        }
        return films
    }

    /// The configured source, or the one at `address`, read as the configuration would read it:
    /// only what its boards can show.
    func source(address: (any SourceAddress)?) throws -> any PastMomentSource {
        var settings = configuration.source
        if let address { settings = SourceSettings(address: address, timeZone: settings.timeZone, staleAfter: settings.staleAfter) }
        return try DispatchSources.makePastMoments(settings, scope: service.readScope)
    }

    /// Writes `ID.gif` for every board (consecutive equal frames merged, each held for its real
    /// time divided by `speedUp`) and `contact-sheet.png`; returns the files written.
    public static func write(_ films: [BoardFilm], step: TimeInterval, speedUp: Double = 1, to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        for film in films {
            var frames: [GIF.Frame] = []
            var run: (bitmap: Bitmap, count: Int)?
            func flush() {
                guard let run else { return }
                frames.append(GIF.Frame(run.bitmap, centiseconds: max(2, Int((Double(run.count) * step * 100 / speedUp).rounded()))))
            }
            for (_, frame) in film.frames {
                let bitmap = frame.bitmap
                if run?.bitmap == bitmap {
                    run?.count += 1
                } else {
                    flush()
                    run = (bitmap, 1)
                }
            }
            flush()
            let url = directory.appendingPathComponent("\(film.id).gif")
            try ExportFile.write(GIF.encode(frames), to: url.path)
            written.append(url)
        }
        let sheet = directory.appendingPathComponent("contact-sheet.png")
        try ExportFile.write(contactSheet(films), to: sheet.path)
        written.append(sheet)
        return written
    }

    /// One row per board, up to eight moments spread over the period, each scaled (nearest
    /// pixel) into a 240×120 cell.
    static func contactSheet(_ films: [BoardFilm], columns: Int = 8, cellWidth: Int = 240, cellHeight: Int = 120, gap: Int = 4) -> [UInt8] {
        let width = columns * (cellWidth + gap) + gap
        let height = max(1, films.count) * (cellHeight + gap) + gap
        var rgb = [UInt8](repeating: 40, count: width * height * 3)
        for (row, film) in films.enumerated() {
            let picks = film.frames.isEmpty ? [] : (0..<min(columns, film.frames.count)).map { column in
                film.frames[column * (film.frames.count - 1) / max(1, min(columns, film.frames.count) - 1)].frame.bitmap
            }
            for (column, bitmap) in picks.enumerated() {
                let scale = min(Double(cellWidth) / Double(bitmap.width), Double(cellHeight) / Double(bitmap.height))
                let drawnWidth = max(1, Int(Double(bitmap.width) * scale)), drawnHeight = max(1, Int(Double(bitmap.height) * scale))
                let left = gap + column * (cellWidth + gap), top = gap + row * (cellHeight + gap)
                for y in 0..<drawnHeight {
                    let sourceY = min(bitmap.height - 1, Int(Double(y) / scale))
                    for x in 0..<drawnWidth {
                        let colour = bitmap.colour(x: min(bitmap.width - 1, Int(Double(x) / scale)), y: sourceY)
                        let offset = ((top + y) * width + left + x) * 3
                        rgb[offset] = colour.r
                        rgb[offset + 1] = colour.g
                        rgb[offset + 2] = colour.b
                    }
                }
            }
        }
        return PNG.encode(width: width, height: height, rgb: rgb)
    }
}
