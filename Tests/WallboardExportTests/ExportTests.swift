import Foundation
import Testing
@testable import WallboardExport
import WallboardRender
import WallboardTestKit

@Suite struct PNGTests {
    @Test func roundTripsEveryFormat() throws {
        for format in PixelFormat.allCases {
            var canvas = Canvas(width: 7, height: 3, format: format)
            canvas.fill(Rect(x: 1, y: 0, width: 3, height: 2), .red)
            canvas.setPixel(x: 6, y: 2, .green)
            let image = try PNG.decode(PNG.encode(canvas.bitmap))
            #expect(image.width == 7 && image.height == 3)
            for y in 0..<3 {
                for x in 0..<7 {
                    #expect(image.colour(x: x, y: y) == canvas.bitmap.colour(x: x, y: y), "\(format) at \(x),\(y)")
                }
            }
        }
    }

    @Test func magnifiesAndDrawsRoundDots() throws {
        var canvas = Canvas(width: 2, height: 1, format: .bicolor)
        canvas.setPixel(x: 0, y: 0, .amber)
        let plain = try PNG.decode(PNG.encode(canvas.bitmap, scale: 4))
        #expect(plain.width == 8 && plain.height == 4)
        #expect(plain.colour(x: 0, y: 0) == RGB.amber)
        #expect(plain.colour(x: 4, y: 0) == RGB.black)
        let dots = try PNG.decode(PNG.encode(canvas.bitmap, scale: 8, ledDots: true))
        #expect(dots.colour(x: 4, y: 4) == RGB.amber)
        #expect(dots.colour(x: 0, y: 0) == RGBImage.boardColour)
        #expect(dots.colour(x: 12, y: 4) == RGBImage.unlitDot)
    }

    @Test func decodesFilteredRGBAFromAnotherEncoder() throws {
        // A 3×2 RGBA image whose rows use the Sub and Up filters, as other encoders write them.
        var raw: [UInt8] = [1, 10, 20, 30, 255, 5, 5, 5, 0, 1, 1, 1, 0]
        raw += [2, 1, 2, 3, 0, 0, 0, 0, 0, 9, 9, 9, 0]
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header.appendBigEndian(3)
        header.appendBigEndian(2)
        header += [8, 6, 0, 0, 0]
        file.appendChunk("IHDR", header)
        file.appendChunk("IDAT", Zlib.compress(raw))
        file.appendChunk("IEND", [])
        let image = try PNG.decode(file)
        #expect(image.colour(x: 0, y: 0) == RGB(10, 20, 30))
        #expect(image.colour(x: 1, y: 0) == RGB(15, 25, 35))
        #expect(image.colour(x: 2, y: 0) == RGB(16, 26, 36))
        #expect(image.colour(x: 0, y: 1) == RGB(11, 22, 33))
        #expect(image.colour(x: 2, y: 1) == RGB(25, 35, 45))
    }

    @Test func rejectsBrokenFiles() {
        #expect(throws: PNG.DecodeError.self) { try PNG.decode(Array("GIF89a".utf8)) }
        var truncated = PNG.encode(Bitmap(width: 4, height: 4, format: .mono))
        truncated.removeLast(20)
        #expect(throws: (any Error).self) { try PNG.decode(truncated) }
    }

    @Test func pythonPillowReadsOurPNG() throws {
        var canvas = Canvas(width: 5, height: 2, format: .rgb)
        canvas.setPixel(x: 4, y: 1, .rgb(RGB(1, 2, 3)))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(PNG.encode(canvas.bitmap)).write(to: file)
        let output = try runPillow("from PIL import Image; im = Image.open(sys.argv[1]); print(im.size, im.mode, im.getpixel((4, 1)))", on: file)
        #expect(output == "(5, 2) RGB (1, 2, 3)")
    }
}

@Suite struct GIFTests {
    @Test func lzwRoundTripsIncludingTableResets() {
        var generator = SystemRandomNumberGenerator()
        let noisy = (0..<20_000).map { _ in UInt8.random(in: 0..<16, using: &generator) }
        let flat = [UInt8](repeating: 3, count: 5_000)
        for (indices, size) in [(noisy, 4), (flat, 2), ([UInt8]([0]), 2), ([UInt8](), 2)] {
            #expect(LZW.decode(LZW.encode(indices, minimumCodeSize: size), minimumCodeSize: size) == indices)
        }
    }

    @Test func animatedGIFHasHeaderFramesAndLoop() throws {
        var first = Canvas(width: 4, height: 2, format: .bicolor)
        first.setPixel(x: 0, y: 0, .red)
        var second = first
        second.setPixel(x: 3, y: 1, .green)
        let bytes = GIF.encode([.init(first.bitmap, centiseconds: 50), .init(second.bitmap, centiseconds: 100)], scale: 2)
        #expect(Array(bytes.prefix(6)) == Array("GIF89a".utf8))
        #expect(bytes[6] == 8 && bytes[8] == 4)
        #expect(bytes.last == 0x3B)
        #expect(bytes.count(where: { $0 == 0x2C }) >= 2)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("NETSCAPE2.0"))
    }

    @Test func pillowDecodesEveryGIFFrame() throws {
        var frames: [GIF.Frame] = []
        for step in 0..<3 {
            var canvas = Canvas(width: 6, height: 3, format: .bicolor)
            canvas.setPixel(x: step * 2, y: 1, step == 1 ? .green : .red)
            frames.append(.init(canvas.bitmap, centiseconds: 20))
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-\(UUID().uuidString).gif")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(GIF.encode(frames)).write(to: file)
        let script = """
            from PIL import Image, ImageSequence
            im = Image.open(sys.argv[1])
            print(";".join(str(f.convert("RGB").getpixel((i * 2, 1))) for i, f in enumerate(ImageSequence.Iterator(im))))
            """
        #expect(try runPillow(script, on: file) == "(255, 0, 0);(0, 255, 0);(255, 0, 0)")
    }
}

/// Runs a Python script with Debian's Pillow (python3-pil, installed by the Makefile) against a
/// file: an independent decoder for what we write. Returns its trimmed standard output.
func runPillow(_ script: String, on file: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", "import sys\n" + script, file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite struct ExportFileTests {
    /// The disk fills up while an export is written (the kernel's /dev/full answers every write
    /// with ENOSPC): the error names the file and the cause, and the earlier export stays whole.
    @Test func fullDiskLeavesTheEarlierExportWhole() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("door.png").path
        let earlier = PNG.encode(Bitmap(width: 8, height: 8, format: .mono))
        try ExportFile.write(earlier, to: path)
        try FileManager.default.createSymbolicLink(atPath: path + ".partial", withDestinationPath: "/dev/full")

        #expect {
            try ExportFile.write(PNG.encode(Bitmap(width: 64, height: 64, format: .rgb)), to: path)
        } throws: { error in
            let message = String(describing: error)
            return message.contains(path) && message.contains("No space left on device") && message.contains("nothing was replaced")
        }
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == earlier)
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        try ExportFile.write(earlier, to: path)
    }
}
