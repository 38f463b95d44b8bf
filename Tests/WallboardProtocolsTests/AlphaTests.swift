import Testing
import WallboardRender
@testable import WallboardProtocols

@Suite struct AlphaTests {
    @Test func textVectorIsByteExact() throws {
        let text = AlphaText(position: .middleLine, mode: .hold, pieces: [.text("EMS 120")])
        let packet = try Alpha.encode([.writeText(label: .a, text)])
        #expect(hexString(packet.bytes) == "00 00 00 00 00 01 5A 30 30 02 41 41 1B 20 62 45 4D 53 20 31 32 30 03 30 32 42 43 04")
        #expect(packet.pauses.isEmpty)
    }

    @Test func setTimeVectorIsByteExact() throws {
        let packet = try Alpha.encode([.setTime(hour: 14, minute: 30)])
        #expect(hexString(packet.bytes) == "00 00 00 00 00 01 5A 30 30 02 45 20 31 34 33 30 03 30 31 33 32 04")
    }

    @Test func memoryStringAndDotsLayout() throws {
        let memory = try Alpha.encode([.configureMemory([
            AlphaMemoryEntry(label: .a, kind: .text(bytes: 256), locked: false),
            AlphaMemoryEntry(label: try #require(AlphaLabel("1")), kind: .string(bytes: 32)),
            AlphaMemoryEntry(label: try #require(AlphaLabel("P")), kind: .dots(width: 16, height: 7, colours: 3)),
        ])], checksums: false)
        #expect(String(decoding: memory.bytes[10..<(memory.bytes.count - 1)], as: UTF8.self) == "E$AAU0100FF001BL00200000PDL07102000")
        var dots = Bitmap(width: 3, height: 2, format: .bicolor)
        dots[0, 0] = 1
        dots[2, 1] = 3
        let picture = try Alpha.encode([.writeSmallDots(label: try #require(AlphaLabel("P")), dots)], checksums: false)
        #expect(Array(picture.bytes[10...]) == Array("IP0203".utf8) + [0x31, 0x30, 0x30, 0x0D, 0x30, 0x30, 0x33, 0x0D, 0x04])
        #expect(picture.pauses == [16])
    }

    @Test func nestedPacketsRoundTripWithPauses() throws {
        let string = try #require(AlphaLabel("1"))
        let dotsLabel = try #require(AlphaLabel("P"))
        var dots = Bitmap(width: 5, height: 3, format: .bicolor)
        dots[1, 1] = 2
        dots[4, 2] = 3
        let commands: [AlphaCommand] = [
            .configureMemory([AlphaMemoryEntry(label: .a, kind: .text(bytes: 128)), AlphaMemoryEntry(label: string, kind: .string(bytes: 64))]),
            .writeText(label: .a, AlphaText(position: .topLine, mode: .special(0x30), pieces: [.colour(.green), .text("Unit 3 "), .callString(string), .callDots(dotsLabel)])),
            .writeString(label: string, "DISPATCHED"),
            .writeSmallDots(label: dotsLabel, dots),
            .writeText(label: .priority, AlphaText(mode: .flash, pieces: [.colour(.red), .text("ALERT")])),
            .setTime(hour: 0, minute: 5),
        ]
        let packet = try Alpha.encode(commands, address: AlphaAddress(typeCode: 0x5A, address: 0x1F))
        #expect(packet.pauses.count == commands.count - 1 + 1)
        var scanner = AlphaPacketScanner()
        let received = scanner.feed(packet.bytes)
        #expect(received.count == 1)
        #expect(received.first?.address == 0x1F)
        let decoded = try (received.first?.commands ?? []).map { command in
            #expect(command.checksum == .valid)
            return try Alpha.decodeCommand(command).get()
        }
        #expect(decoded == commands)
    }

    @Test func controlBytesAreFilteredAndNonASCIIReported() throws {
        let packet = try Alpha.encode([.writeString(label: .a, "A\u{02}B\u{04}C\u{7F}\u{1C}1")], checksums: false)
        #expect(Array(packet.bytes[10...]) == Array("GAABC1".utf8) + [0x04])
        do {
            _ = try Alpha.encode([.writeString(label: .a, "车祸 crash é")])
            Issue.record("expected non-ASCII to be refused")
        } catch {
            #expect(error.unencodable == ["车", "祸", "é"])
        }
    }

    @Test func wrongChecksumIsReported() throws {
        var bytes = try Alpha.encode([.writeString(label: .a, "OK")]).bytes
        bytes[12] = UInt8(ascii: "X")
        var scanner = AlphaPacketScanner()
        #expect(scanner.feed(bytes).first?.commands.first?.checksum == .wrong)
    }

    @Test func replies() {
        var parser = AlphaReplyParser()
        #expect(parser.feed(Alpha.reply(status: 0x40) + [0x15]) == [.ack])
        #expect(parser.feed([0x50]) == [.nack(code: 0x50, explanation: "checksum error")])
    }
}

@Suite struct PixelStreamTests {
    @Test func tpm2VectorAndAck() throws {
        var bitmap = Bitmap(width: 2, height: 1, format: .rgb)
        bitmap[0, 0] = RGB.red.packed
        bitmap[1, 0] = RGB.green.packed
        let wire = try TPM2.encode(bitmap)
        #expect(hexString(wire) == "C9 DA 00 06 FF 00 00 00 FF 00 36")
        var scanner = TPM2Scanner()
        // Noise, a frame with a wrong end byte, then the frame split in two.
        let packets = scanner.feed([0x00, 0xC9, 0xDA, 0x00, 0x03, 1, 2, 3, 0x99] + wire.prefix(5)) + scanner.feed(wire.dropFirst(5))
        #expect(packets == [TPM2Packet(type: 0xDA, payload: Array(wire[4..<10]))])
        #expect(TPM2.bitmap(payload: packets[0].payload, width: 2, height: 1) == bitmap)
        var parser = TPM2ReplyParser()
        #expect(parser.feed([0x00, 0xAC]) == [.ack])
        #expect(throws: TPM2Error.self) { try TPM2.encode(Bitmap(width: 200, height: 200, format: .rgb)) }
    }

    @Test func dreamCheekyMatchesAnIndependentImplementation() throws {
        // A diamond, as in go-dcled's tests (which send 0 for the missing eighth row).
        let rows = [
            "........#............", ".......#.#...........", "......#...#..........", ".....#.....#.........",
            "......#...#..........", ".......#.#...........", "........#............",
        ]
        let bitmap = try #require(AsciiPicture.parse(rows.joined(separator: "\n"), format: .mono))
        let reports = DreamCheeky.reports(for: bitmap, brightness: .low)
        #expect(reports.map { hexString($0) } == [
            "02 00 FF FE FF FF FD 7F", "02 02 FF FB BF FF F7 DF", "02 04 FF FB BF FF FD 7F", "02 06 FF FE FF FF FF FF",
        ])
        let decoded = try #require(DreamCheeky.decode(reports))
        #expect(decoded.bitmap == bitmap)
        #expect(decoded.brightness == .low)
    }
}
