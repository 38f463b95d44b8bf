import Foundation
import WallboardFonts
import WallboardRender
import WallboardText

extension BenchCatalog {
    /// Drawing text and loading fonts. The font cases are named after the files found.
    static let text: [BenchCase] = {
        let library = try? FontLibrary.locate()
        let fontNames = library?.names ?? ["isas-16"]
        return [
            BenchCase(name: "text-192x32-two-lines") {
                var board = try TwoLineBoard()
                var frame = 0
                return measureThroughput {
                    frame += 1
                    board.draw(frame: frame)
                }
            },
            BenchCase(name: "text-192x32-two-lines-vs-luma") { try TwoLineBoard.againstLuma() },
            BenchCase(name: "text-1920x1080-full") {
                let chain = try FontLibrary.locate().chain("cjk-16")
                var canvas = Canvas(width: 1920, height: 1080, format: .rgb)
                let sentence = "西安市灞桥区浐灞大道１号 急救车 粤A·12345 出车 时间 12:34:56 请让行。"
                let layout = TextLayout(
                    String(repeating: sentence, count: 200), chain: chain, width: 1920, height: 1080
                )
                return measureThroughput {
                    canvas.clear()
                    layout.draw(on: &canvas, in: canvas.bitmap.bounds, colour: .amber)
                }.merging(["glyphs": layout.lines.reduce(0) { $0 + $1.text.count }]) { first, _ in first }
            },
            BenchCase(name: "text-384x192-rgb-table") {
                // A 4×6 status table on an RGB LED wall: the peer's second reference frame.
                let chain = try FontLibrary.locate().chain("cjk-16")
                var canvas = Canvas(width: 384, height: 192, format: .rgb)
                let columns = [0, 96, 192, 288]
                let rows = (0..<6).map { row in ["急救\(row + 1)号", row % 2 == 0 ? "驶向现场" : "站内待命", "城东分站", "12:3\(row)"] }
                let colours: [Color] = [.green, .amber, .red, .rgb(RGB(0, 192, 255)), .on, .green]
                return measureThroughput {
                    canvas.clear()
                    for (index, cells) in rows.enumerated() {
                        let baseline = 16 + index * 32 + 14
                        for (column, text) in zip(columns, cells) {
                            chain.draw(text, on: &canvas, x: column, baseline: baseline, colour: colours[index])
                        }
                    }
                }
            },
            BenchCase(name: "text-layout-address-fit") {
                let library = try FontLibrary.locate()
                let chains = try ["cjk-12", "cjk-16", "cjk-24", "cjk-32"].map { try library.chain($0) }
                return measureThroughput {
                    _ = TextLayout.largestFitting(
                        "陕西省西安市灞桥区浐灞大道与欧亚大道交叉口东北角（欧亚国际）3号楼2单元", chains: chains, width: 192, height: 64
                    )
                }
            },
            BenchCase(name: "font-load") {
                // What start-up pays: find the Fonts directory and load the 16 px chain afresh.
                try measureThroughput(seconds: 0.5) {
                    _ = try FontLibrary.locate().chain("cjk-16")
                }
            },
        ] + fontNames.map { name in
            BenchCase(name: "fonts-load-\(name)") {
                let library = try FontLibrary.locate()
                let path = library.path(of: name)
                var glyphs = 0
                return try measureThroughput(seconds: 0.5) {
                    glyphs = try FontLibrary.load(path: path, name: name).glyphCount
                }.merging(["glyphs": glyphs]) { first, _ in first }
            }
        }
    }()
}

/// A 192×32 mono door board showing two lines of 16 px text, the second with a running clock:
/// the frame of `text-192x32-two-lines`, and of its luma.core + Pillow peer.
struct TwoLineBoard {
    static let firstLine = "急救车 粤A·12345 出车"
    static let secondLines = (0..<60).map { "时间 12:34:\($0 < 10 ? "0" : "")\($0) 请让行" }
    /// The peer, beside this file; run from the repository's root as the layout cases are.
    static let lumaScript = "Sources/wallboard-dev/Bench/luma_text.py"

    let chain: FontChain
    /// The font of the chain the peer draws with: it holds every character of both lines.
    let peerFont: String
    private(set) var canvas = Canvas(width: 192, height: 32, format: .mono)

    init() throws {
        let library = try FontLibrary.locate()
        chain = try library.chain("cjk-16")
        peerFont = library.path(of: "isas-16")
    }

    /// Frame `frame`: the second line's clock shows second `frame` mod 60.
    mutating func draw(frame: Int) {
        canvas.clear()
        chain.draw(TwoLineBoard.firstLine, on: &canvas, x: 0, baseline: 14, colour: .on)
        chain.draw(TwoLineBoard.secondLines[frame % 60], on: &canvas, x: 0, baseline: 30, colour: .on)
    }

    /// This frame's throughput, then the peer's (luma.core's canvas on its dummy device, drawing
    /// the same frames with Pillow), one after the other, and how many times faster this is by
    /// process CPU time (`times_luma_cpu`, the steadier on a shared machine) and by wall time.
    /// Throws when the peer's first frame is not this one's, pixel for pixel.
    static func againstLuma() throws -> [String: any Sendable] {
        var board = try TwoLineBoard()
        board.draw(frame: 0)
        let picture = AsciiPicture.render(board.canvas.bitmap).split(separator: "\n").map(String.init)
        var frame = 0
        var result = measureThroughput {
            frame += 1
            board.draw(frame: frame)
        }
        let peer = try runLuma(font: board.peerFont)
        if let row = picture.indices.first(where: { $0 >= peer.picture.count || peer.picture[$0] != picture[$0] }) {
            throw BenchSetupError("\(lumaScript) drew another first frame than text-192x32-two-lines (row \(row) differs): the figures would not compare like with like")
        }
        let swiftCPU = result["cpu_ns_per_op"] as? Double ?? .nan, swiftWall = result["ns_per_op"] as? Double ?? .nan
        result["luma_ops_per_s"] = peer.opsPerSecond
        result["luma_cpu_ns_per_op"] = peer.cpuNanoseconds
        result["times_luma_cpu"] = (peer.cpuNanoseconds / swiftCPU * 10).rounded() / 10
        result["times_luma"] = (peer.nanoseconds / swiftWall * 10).rounded() / 10
        return result
    }

    private struct LumaFigures: Decodable {
        let nanoseconds: Double
        let cpuNanoseconds: Double
        let opsPerSecond: Double
        let picture: [String]

        enum CodingKeys: String, CodingKey {
            case nanoseconds = "ns_per_op", cpuNanoseconds = "cpu_ns_per_op", opsPerSecond = "ops_per_s", picture
        }
    }

    private static func runLuma(font: String) throws -> LumaFigures {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python), FileManager.default.fileExists(atPath: lumaScript) else {
            throw BenchSetupError("\(python) and \(lumaScript) are needed (run from the repository's root; apt-get install python3-luma.core python3-pil)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [lumaScript, "--font", font]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchSetupError("\(lumaScript) failed (status \(process.terminationStatus)); is python3-luma.core installed?")
        }
        do {
            return try JSONDecoder().decode(LumaFigures.self, from: data)
        } catch {
            throw BenchSetupError("\(lumaScript) printed no figures: \(error)")
        }
    }
}
