import WallboardProtocols
import WallboardRender

/// A typical station door-board update on each protocol: encode time per update, bytes on the
/// wire and the time those bytes take at 9600 baud 8N1 (10 bits a byte).
extension BenchCatalog {
    static let protocols: [BenchCase] = [
        BenchCase(name: "bx5k-door-update") {
            let link = OnbonFontCardLink(model: .bx5k)
            let command = OnbonFontCardCommand.updateAreas(OnbonAreaUpdate(areas: [
                OnbonTextArea(id: 0, frame: Rect(x: 0, y: 0, width: 192, height: 16), text: OnbonText([.colour(.red), .text("急救3号 出车 02:41")])),
                OnbonTextArea(
                    id: 1, frame: Rect(x: 0, y: 16, width: 192, height: 16), effect: .moveLeft, speed: 4,
                    text: OnbonText([.colour(.green), .text("候车：雁塔区小寨东路12号 主诉：胸痛")])),
            ]))
            return try wireFigures(try OnbonFontCard.encode(command, link: link)) {
                _ = try OnbonFontCard.encode(command, link: link)
            }
        },
        BenchCase(name: "bx6e-door-update-192x32") {
            try graphicFigures(OnbonGraphicLink(model: .bx6e))
        },
        BenchCase(name: "bx5e-door-update-192x32") {
            try graphicFigures(OnbonGraphicLink(model: .bx5e))
        },
        BenchCase(name: "bx6q-door-update-192x32-rgb") {
            try graphicFigures(OnbonGraphicLink(model: .bx6q))
        },
        BenchCase(name: "alpha-text-door-update") {
            let command = AlphaCommand.writeText(label: .a, AlphaText(mode: .rotate, pieces: [
                .colour(.red), .text("UNIT 3 DISPATCHED 02:41 "), .colour(.green), .text("PICKUP 12 XIAOZHAI E RD - CHEST PAIN"),
            ]))
            return try wireFigures(try Alpha.encode([command]).bytes) { _ = try Alpha.encode([command]) }
        },
        BenchCase(name: "alpha-string-door-update") {
            guard let label = AlphaLabel("1") else { throw BenchSetupError("label 1") }
            let command = AlphaCommand.writeString(label: label, "UNIT 3 DISPATCHED 02:41")
            return try wireFigures(try Alpha.encode([command]).bytes) { _ = try Alpha.encode([command]) }
        },
        BenchCase(name: "tpm2-64x32-rgb") {
            let frame = pattern(width: 64, height: 32, format: .rgb)
            return try wireFigures(try TPM2.encode(frame)) { _ = try TPM2.encode(frame) }
        },
        BenchCase(name: "dreamcheeky-21x7") {
            let frame = pattern(width: 21, height: 7, format: .mono)
            var figures = measureThroughput { _ = DreamCheeky.reports(for: frame) }
            figures["bytes"] = DreamCheeky.reports(for: frame).reduce(0) { $0 + $1.count }
            figures["transport"] = "USB HID, four 8-byte reports"
            return figures
        },
    ]

    private static func graphicFigures(_ link: OnbonGraphicLink) throws -> [String: any Sendable] {
        let frame = pattern(width: 192, height: 32, format: link.pixelFormat)
        let command = OnbonGraphicCommand.updateAreas([
            OnbonGraphicArea(id: 0, frame: Rect(x: 0, y: 0, width: 192, height: 32), pages: [OnbonGraphicPage(bitmap: frame)]),
        ])
        return try wireFigures(try OnbonGraphicCard.encode(command, link: link)) { _ = try OnbonGraphicCard.encode(command, link: link) }
    }

    /// A frame with something in every colour the format has, so no encoder takes a blank shortcut.
    private static func pattern(width: Int, height: Int, format: PixelFormat) -> Bitmap {
        var canvas = Canvas(width: width, height: height, format: format)
        let colours: [Color] = [.red, .green, .amber, .off]
        for y in 0..<height {
            for x in 0..<width { canvas.setPixel(x: x, y: y, colours[(x / 3 + y) % colours.count]) }
        }
        return canvas.bitmap
    }

    private static func wireFigures(_ wire: [UInt8], _ body: () throws -> Void) throws -> [String: any Sendable] {
        var figures = try measureThroughput(body)
        figures["bytes"] = wire.count
        figures["wire_ms_9600"] = (Double(wire.count * 10) / 9600 * 1000 * 10).rounded() / 10
        return figures
    }
}

struct BenchSetupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
