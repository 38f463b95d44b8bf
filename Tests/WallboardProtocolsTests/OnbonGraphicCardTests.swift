import Testing
import WallboardTestKit
import WallboardRender
@testable import WallboardProtocols

@Suite struct OnbonGraphicCardTests {
    private func picture(_ rows: [String], format: PixelFormat = .bicolor) throws -> Bitmap {
        try #require(AsciiPicture.parse(rows.joined(separator: "\n"), format: format))
    }

    @Test func pingMatchesTheManual() throws {
        let link = OnbonGraphicLink(model: .bx6e, destination: 0xFFFE, deviceType: 0xFFFE)
        let wire = try OnbonGraphicCard.encode(.ping, link: link)
        #expect(hexString(wire) == "A5 A5 A5 A5 A5 A5 A5 A5 FE FF 00 80 F0 00 FE FF 00 00 00 00 05 00 00 00 01 A2 00 00 00 C6 86 5A")
    }

    @Test func fifthGenerationBytesAlternateRedAndGreenWithOnesPadding() throws {
        // An area from screen column 5 to 13, one row: red at x 0 (column 5), green at x 3
        // (column 8), amber at x 8 (column 13).
        let bitmap = try picture(["r..g....a"])
        let bytes = OnbonBitmapFormat.fifthGeneration(.bicolor).encode(bitmap, originX: 5)
        // Byte 0 covers columns 0–7: red lit at column 5 (bit 2) → 1111 1011; green none.
        // Byte 1 covers columns 8–15: green lit at 8 (bit 7) and 13 (bit 2); red at 13.
        #expect(bytes == [0xFB, 0xFF, 0xFB, 0x7B])
        #expect(OnbonBitmapFormat.fifthGeneration(.bicolor).decode(bytes, frame: Rect(x: 5, y: 0, width: 9, height: 1)) == bitmap)
    }

    @Test func sixthGenerationPlanesAreWordsBit31Leftmost() throws {
        let bitmap = try picture(["r.g", "..a"])
        let bytes = OnbonBitmapFormat.sixthGeneration(.bicolor).encode(bitmap, originX: 0)
        // Red plane: row 0 bit 31 clear → 0x7FFFFFFF; row 1 column 2 (bit 29) → 0xDFFFFFFF.
        // Green plane: row 0 column 2 → 0xDFFFFFFF; row 1 column 2 → 0xDFFFFFFF. Little-endian.
        #expect(hexString(bytes) == "FF FF FF 7F FF FF FF DF FF FF FF DF FF FF FF DF")
        #expect(OnbonBitmapFormat.sixthGeneration(.bicolor).decode(bytes, frame: Rect(x: 0, y: 0, width: 3, height: 2)) == bitmap)
    }

    @Test func rgb888IsRowMajor() throws {
        let bitmap = try picture(["rg", "bw"], format: .rgb)
        #expect(hexString(OnbonBitmapFormat.rgb888.encode(bitmap, originX: 7)) == "FF 00 00 00 FF 00 00 00 FF FF FF FF")
    }

    @Test func bicolor192x32IsOverAKilobyte() throws {
        let frame = Bitmap(width: 192, height: 32, format: .bicolor)
        for model in [OnbonGraphicModel.bx5e, .bx6e] {
            let area = OnbonGraphicArea(id: 0, frame: Rect(x: 0, y: 0, width: 192, height: 32), pages: [OnbonGraphicPage(bitmap: frame)])
            let wire = try OnbonGraphicCard.encode(.updateAreas([area]), link: OnbonGraphicLink(model: model))
            #expect(wire.count > 1536)
        }
    }

    @Test func everyModelRoundTrips() throws {
        var bicolor = Bitmap(width: 37, height: 5, format: .bicolor)
        var rgb = Bitmap(width: 37, height: 5, format: .rgb)
        for y in 0..<5 {
            for x in 0..<37 {
                bicolor[x, y] = UInt32((x * 7 + y * 3) % 4)
                rgb[x, y] = UInt32((x * 40503 + y * 9973) & 0xFFFFFF)
            }
        }
        for model in OnbonGraphicModel.allCases {
            for colours in [OnbonGraphicColours.mono, .bicolor] where model != .bx6q || colours == .bicolor {
                let link = OnbonGraphicLink(model: model, colours: colours)
                let source = model == .bx6q ? rgb : bicolor.converted(to: link.pixelFormat)
                let first = OnbonGraphicArea(
                    id: 3, frame: Rect(x: 13, y: 2, width: 37, height: 5), runMode: .hideAfterTimeout, timeoutSeconds: 60, showsAlone: true,
                    pages: [OnbonGraphicPage(bitmap: source, effect: 3, speed: 2, stayHundredths: 500), OnbonGraphicPage(bitmap: source)])
                var areas = [first]
                if model != .bx5e {
                    var second = first
                    second.id = 4
                    second.frame.y = 20
                    areas.append(second)
                }
                var scanner = OnbonFrameScanner()
                let frames = scanner.feed(try OnbonGraphicCard.encode(.updateAreas(areas), link: link))
                guard frames.count == 1, case .packet(let packet) = frames[0] else {
                    Issue.record("\(model): no frame")
                    continue
                }
                let request = try OnbonGraphicCard.decodeRequest(packet, model: model, colours: colours)
                #expect(request.command == .updateAreas(areas), "\(model) \(colours)")
            }
        }
        var scanner = OnbonFrameScanner()
        guard case .packet(let packet)? = scanner.feed(try OnbonGraphicCard.encode(.deleteAreas(.areas([1, 2])), link: OnbonGraphicLink(model: .bx6e))).first else {
            Issue.record("no delete frame")
            return
        }
        #expect(try OnbonGraphicCard.decodeRequest(packet, model: .bx6e, colours: .bicolor).command == .deleteAreas(.areas([1, 2])))
        #expect(Array(packet[16..<22]) == [0x01, 0xA7, 0x01, 0, 0, 2])
    }

    @Test func repliesParse() throws {
        var scanner = OnbonFrameScanner()
        guard case .packet(let packet)? = scanner.feed(try OnbonGraphicCard.encode(.ping, link: OnbonGraphicLink(model: .bx6e))).first else {
            Issue.record("no ping frame")
            return
        }
        let header = try OnbonGraphicCard.decodeRequest(packet, model: .bx6e, colours: .bicolor).header
        var parser = OnbonGraphicCardReplyParser()
        let replies = parser.feed(OnbonGraphicCard.reply(to: header, error: .none) + OnbonGraphicCard.reply(to: header, error: .checksum))
        #expect(replies == [.ack, .nack(code: 5, explanation: OnbonErrorCode.checksum.explanation)])
    }
}

@Suite struct OnbonBitmapPropertyTests {
    /// Random pictures at random screen offsets: padding to byte and word boundaries must never
    /// light or lose a pixel.
    @Test func randomPicturesRoundTripAtEveryOffset() {
        var generator = SeededGenerator(seed: 0xB17_0001)
        let formats: [OnbonBitmapFormat] = [.fifthGeneration(.mono), .fifthGeneration(.bicolor), .sixthGeneration(.mono), .sixthGeneration(.bicolor), .rgb888]
        for index in 0..<3_000 {
            let format = formats[index % formats.count]
            let width = Int(generator.next() % 70) + 1, height = Int(generator.next() % 5) + 1
            let frame = Rect(x: Int(generator.next() % 100), y: Int(generator.next() % 10), width: width, height: height)
            var bitmap = Bitmap(width: width, height: height, format: format.pixelFormat)
            for y in 0..<height {
                for x in 0..<width {
                    let random = UInt32(truncatingIfNeeded: generator.next())
                    bitmap[x, y] = switch format.pixelFormat {
                    case .mono: random & 1
                    case .bicolor: random & 3
                    case .rgb: random & 0xFF_FFFF
                    }
                }
            }
            let bytes = format.encode(bitmap, originX: frame.x)
            guard bytes.count == format.byteCount(frame: frame), format.decode(bytes, frame: frame) == bitmap else {
                Issue.record("case \(index): \(format) \(frame) did not round-trip")
                return
            }
        }
    }
}
