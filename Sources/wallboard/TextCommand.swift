import ArgumentParser
import Foundation
import WallboardCommandLine
import WallboardExport
import WallboardRender
import WallboardSupport
import WallboardText

/// `wallboard text`: how a string looks on a board of a given size, as a PNG.
struct TextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Render a string to PNG at a board's size, pixel format and font, to check how an address will look.",
        discussion: "Exits with status 1 when some character has no glyph (it is drawn as a box and listed)."
    )

    @Argument(help: "The text to draw; \\n starts a new line.")
    var text: String

    @Option(help: "Board size, WIDTHxHEIGHT in pixels.")
    var size = BoardSize(width: 192, height: 32)

    @Option(help: "Pixel format: mono, bicolor or rgb.")
    var format = PixelFormat.bicolor

    @Option(help: "Font chains, largest first, comma-separated: the largest that fits is used.")
    var font = "cjk-16"

    @Option(help: "Text colour: red, green, amber, white or #RRGGBB.")
    var colour = "amber"

    @Option(help: "Horizontal alignment: left, centre or right.")
    var align = HorizontalAlignment.left

    @Option(help: "Vertical alignment: top, middle or bottom.")
    var valign = VerticalAlignment.top

    @Flag(help: "Keep to one line per paragraph (cut with an ellipsis) instead of breaking lines.")
    var noWrap = false

    @Option(help: "Pixels per LED in the PNG.")
    var scale = 4

    @Flag(help: "Draw round LED dots rather than squares.")
    var dots = false

    @Option(help: "Where to write the PNG.")
    var out = "text.png"

    @OptionGroup var fonts: FontsOptions

    func run() throws {
        guard let textColour = Color(name: colour) else {
            throw ValidationError("unknown colour '\(colour)'; use one of \(Color.knownNames.joined(separator: ", "))")
        }
        let library = try fonts.library()
        let chains = try font.split(separator: ",").map { try library.chain(String($0)) }
        let paragraphs = text.replacingOccurrences(of: "\\n", with: "\n")
        guard let layout = TextLayout.largestFitting(paragraphs, chains: chains, width: size.width, height: size.height, wrap: !noWrap) else {
            throw ValidationError("name at least one font chain")
        }
        var canvas = Canvas(width: size.width, height: size.height, format: format)
        let missing = layout.draw(on: &canvas, in: canvas.bitmap.bounds, horizontal: align, vertical: valign, colour: textColour)
        try Data(PNG.encode(canvas.bitmap, scale: max(1, scale), ledDots: dots)).write(to: URL(fileURLWithPath: out))
        print("\(out): \(size.width)x\(size.height) \(format.rawValue), \(layout.chain.name), \(layout.lines.count) line(s)\(layout.truncated ? ", cut with an ellipsis" : "")")
        if !missing.isEmpty {
            print("no glyph for: " + missing.map { "\(Character($0)) \(Hex.codePoint($0))" }.joined(separator: ", "))
            throw ExitCode(1)
        }
    }
}

/// `192x32`.
struct BoardSize: ExpressibleByArgument {
    let width: Int
    let height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), (1...8192).contains(width), (1...8192).contains(height) else { return nil }
        self.init(width: width, height: height)
    }

    var defaultValueDescription: String { "\(width)x\(height)" }
}

extension PixelFormat: ExpressibleByArgument {}
extension HorizontalAlignment: ExpressibleByArgument {}
extension VerticalAlignment: ExpressibleByArgument {}
