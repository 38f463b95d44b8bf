// libFuzzer entry point for Wallboard's parsers and decoders. `make fuzz` compiles the modules it
// exercises with coverage and address sanitising, then links the files here to them;
// WALLBOARD_FUZZ_TARGET picks the target. Every target must survive any bytes without a crash.
// Run from the repository's root: the layout target reads fonts from Fonts/.
import Foundation
import WallboardEmulator
import WallboardProtocols
import WallboardRender
import WallboardText

/// A parser or decoder fed arbitrary bytes.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable ([UInt8]) -> Void
}

/// Draws every glyph as a box: the emulators' text path without needing a font file.
struct BoxPainter: BoardTextPainter {
    func width(of text: String, fontHeight: Int) -> Int { text.unicodeScalars.count * fontHeight / 2 }

    func draw(_ text: String, fontHeight: Int, x: Int, y: Int, colour: Color, on canvas: inout Canvas) {
        canvas.strokeRectangle(Rect(x: x, y: y, width: width(of: text, fontHeight: fontHeight), height: fontHeight), colour)
    }
}

/// Feeds the bytes in two chunks split at a point the input chooses, as a serial line might.
func feedInChunks(_ bytes: [UInt8], into emulator: inout any BoardEmulator) {
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    _ = emulator.receive(Array(bytes[..<split]))
    _ = emulator.receive(Array(bytes[split...]))
    _ = emulator.render()
}

/// Every registered protocol's decoder, through the emulator of each of its models, and its
/// reply parser.
let protocolFuzzTargets = BoardProtocols.all.compactMap { descriptor -> FuzzTarget? in
    guard descriptor.models.contains(where: emulatedModels.contains) else { return nil }
    return FuzzTarget(name: descriptor.fuzzTarget) { bytes in
        for model in descriptor.models {
            guard var emulator = makeEmulator(for: model, width: 64, height: 16, painter: BoxPainter()) else { continue }
            feedInChunks(bytes, into: &emulator)
            var replies = model.replies?.makeParser()
            _ = replies?.feed(bytes)
        }
    }
}

let fuzzTargets: [FuzzTarget] = protocolFuzzTargets + [
    FuzzTarget(name: "bdf") { bytes in
        guard let font = try? Font(bdf: bytes, name: "fuzz") else { return }
        var canvas = Canvas(width: 64, height: 32, format: .mono)
        for code in font.codePoints.prefix(64) {
            if let scalar = Unicode.Scalar(code) { _ = font.draw(scalar, on: &canvas, x: 8, baseline: 20, colour: .on) }
        }
    },
    FuzzTarget(name: "controller-text") { bytes in
        for charset in [ControllerCharset.gb2312, .gbk] {
            let text = ControllerTextCodec.decode(bytes, charset: charset)
            _ = OnbonTextCodec.decode(bytes, charset: charset)
            _ = try? ControllerTextCodec.encode(text, charset: charset)
            // Whatever the data holds, what may go to a controller encodes.
            let shown = ControllerRepertoire.chinese(charset).showable(String(decoding: bytes, as: UTF8.self))
            precondition((try? ControllerTextCodec.encode(shown.text, charset: charset)) != nil, "\(charset) cannot encode \(shown.text.debugDescription)")
        }
    },
    // The Dream Cheeky has no byte-stream emulator: its HID reports are decoded directly.
    FuzzTarget(name: DreamCheeky.descriptor.fuzzTarget) { bytes in
        let reports = stride(from: 0, to: bytes.count, by: 8).map { Array(bytes[$0..<min($0 + 8, bytes.count)]) }
        _ = DreamCheeky.decode(reports)
    },
    // A NovaStar processor's datagrams, read as a reply to each command and as requests.
    FuzzTarget(name: "novastar-replies") { bytes in
        for command in NovaStarCommand.allCases {
            if case .refused(let fault) = NovaStarReply.read(bytes, answering: command) {
                precondition(fault.command == command.rawValue, "a fault names \(fault.command) for a reply to \(command)")
            }
        }
        _ = NovaStarRequest.decode(bytes)
    },
    FuzzTarget(name: "layout") { bytes in layoutFuzzing.run(bytes) },
    FuzzTarget(name: "config", run: fuzzConfiguration),
    FuzzTarget(name: "sqlite-rows") { bytes in sqliteRowFuzzing.run(bytes) },
    FuzzTarget(name: "postgres-cells", run: fuzzPostgresCells),
    FuzzTarget(name: "scrubber", run: fuzzScrubber),
]

// Set up on first use, so that a target pays only for its own.
let layoutFuzzing = LayoutFuzzing(fontsDirectory: ProcessInfo.processInfo.environment["WALLBOARD_FONTS"] ?? "Fonts")
let sqliteRowFuzzing = SQLiteRowFuzzing(
    directory: "\(FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())/wallboard-fuzz-\(getpid())"
)

let selectedFuzzTarget: FuzzTarget? = {
    let name = ProcessInfo.processInfo.environment["WALLBOARD_FUZZ_TARGET"] ?? ""
    return fuzzTargets.first { $0.name == name }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let target = selectedFuzzTarget else {
        FileHandle.standardError.write(Data("set WALLBOARD_FUZZ_TARGET to one of: \(fuzzTargets.map(\.name).joined(separator: " "))\n".utf8))
        exit(2)
    }
    target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
