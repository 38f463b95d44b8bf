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
                let chain = try FontLibrary.locate().chain("cjk-16")
                var canvas = Canvas(width: 192, height: 32, format: .mono)
                let secondLines = (0..<60).map { "时间 12:34:\($0 < 10 ? "0" : "")\($0) 请让行" }
                var frame = 0
                return measureThroughput {
                    frame += 1
                    canvas.clear()
                    chain.draw("急救车 粤A·12345 出车", on: &canvas, x: 0, baseline: 14, colour: .on)
                    chain.draw(secondLines[frame % 60], on: &canvas, x: 0, baseline: 30, colour: .on)
                }
            },
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
