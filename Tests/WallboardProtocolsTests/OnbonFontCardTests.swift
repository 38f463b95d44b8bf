import Testing
import WallboardRender
@testable import WallboardProtocols

/// `"A5 5A"` as bytes; records an issue for anything that is not hex pairs.
func hex(_ text: String) -> [UInt8] {
    var result: [UInt8] = []
    var high: UInt8?
    for character in text.utf8 where character != UInt8(ascii: " ") {
        guard let nibble = hexNibble(character) else {
            Issue.record("bad hex in test: \(text)")
            return []
        }
        if let pending = high {
            result.append(pending << 4 | nibble)
            high = nil
        } else {
            high = nibble
        }
    }
    if high != nil { Issue.record("odd number of hex digits in test: \(text)") }
    return result
}

private let preamble = "A5 A5 A5 A5 A5 A5 A5 A5 "

@Suite struct OnbonFramingTests {
    @Test func escapesFrameBytesLikeTheOfficialLibrary() {
        #expect(OnbonFraming.frame([0xA5, 0x5A]) == hex(preamble + "A6 02 5B 02 5A"))
        #expect(OnbonFraming.frame([0xA5, 0xA6, 0x00, 0x5B, 0x00, 0x5A]) == hex(preamble + "A6 02 A6 01 00 5B 01 00 5B 02 5A"))
        #expect(OnbonFraming.unescape(hex("A6 02 A6 01 00 5B 01 00 5B 02")) == [0xA5, 0xA6, 0x00, 0x5B, 0x00, 0x5A])
        #expect(OnbonFraming.unescape(hex("A6 03")) == nil)
        #expect(OnbonFraming.unescape(hex("00 5B")) == nil)
    }

    @Test func crcMatchesTheOfficialTimeExample() {
        // The official example carries 08 00 in the reserved field and CRC B0 3F.
        let packet = hex("01 00 00 80 00 00 00 00 00 00 FE 02 0D 00 A2 03 01 08 00 13 20 01 25 11 17 26 05")
        #expect(CRC16ARC.checksum(packet) == 0x3FB0)
        #expect(CRC16ARC.checksum(Array("123456789".utf8)) == 0xBB3D)
    }

    @Test func scannerResynchronisesOnAnyRunOfA5() {
        var scanner = OnbonFrameScanner()
        let ping = hex(preamble + "01 00 00 80 00 00 00 00 00 00 FE 02 05 00 A2 00 01 00 00 68 F8 5A")
        // Garbage, a frame cut off by a new preamble, then a whole frame split into chunks.
        var stream: [UInt8] = [0x00, 0x13, 0x5A, 0xA5, 0x01, 0x02] + ping
        stream.insert(contentsOf: [0x77, 0x88], at: stream.count)
        var frames: [OnbonScannedFrame] = []
        for chunk in stride(from: 0, to: stream.count, by: 3) {
            frames += scanner.feed(stream[chunk..<min(chunk + 3, stream.count)])
        }
        #expect(frames == [.packet(Array(hex("01 00 00 80 00 00 00 00 00 00 FE 02 05 00 A2 00 01 00 00 68 F8")))])
        #expect(!scanner.isInsideFrame)
    }
}

@Suite struct OnbonFontCardVectorTests {
    @Test func pingIsByteExact() throws {
        let wire = try OnbonFontCard.encode(.ping)
        #expect(hexString(wire) == hexString(hex(preamble + "01 00 00 80 00 00 00 00 00 00 FE 02 05 00 A2 00 01 00 00 68 F8 5A")))
    }

    @Test func repliesAreByteExact() {
        var request = OnbonFontCardLink()
        request.destination = 0xFFFE
        let header = OnbonFontCardHeader(destination: 0xFFFE, source: 0x8000, displayMode: 0, deviceType: 0xFE, protocolVersion: 2, dataLength: 5)
        #expect(hexString(OnbonFontCard.reply(to: header, error: .none))
            == "A5 " + hexString(hex(preamble + "00 80 FE FF 00 00 00 00 00 00 FE 02 05 00 A0 00 00 00 00 14 AC 5A")))
        #expect(hexString(OnbonFontCard.reply(to: header, error: .checksum))
            == "A5 " + hexString(hex(preamble + "00 80 FE FF 00 00 00 00 00 00 FE 02 05 00 A0 01 05 00 00 05 51 5A")))
    }

    @Test func setTimeSendsZeroReservedBytes() throws {
        let time = OnbonDateTime(year: 2013, month: 1, day: 25, hour: 11, minute: 17, second: 26, weekday: 5)
        let wire = try OnbonFontCard.encode(.setTime(time))
        var packet = hex("01 00 00 80 00 00 00 00 00 00 FE 02 0D 00 A2 03 01 00 00 13 20 01 25 11 17 26 05")
        let crc = CRC16ARC.checksum(packet)
        packet += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        #expect(wire == OnbonFraming.frame(packet))
        // The official frame (08 00 reserved) decodes to the same time.
        var scanner = OnbonFrameScanner()
        let official = hex(preamble + "01 00 00 80 00 00 00 00 00 00 FE 02 0D 00 A2 03 01 08 00 13 20 01 25 11 17 26 05 B0 3F 5A")
        guard case .packet(let decoded)? = scanner.feed(official).first else {
            Issue.record("official time frame not found")
            return
        }
        #expect(try OnbonFontCard.decodeRequest(decoded).command == .setTime(time))
    }

    @Test func dynamicAreaMatchesTheOfficialExample() throws {
        // 命令示例 8 of the BX-5K/6K protocol: 128×32, "欢迎光临", static, speed 2, stay 10.
        var link = OnbonFontCardLink(destination: 0xFFFE)
        link.model = .bx6k
        let area = OnbonTextArea(
            id: 0, frame: Rect(x: 0, y: 0, width: 128, height: 32), timeoutSeconds: 10, singleLine: false,
            wrapsAutomatically: false, effect: .staticText, speed: 2, stayHalfSeconds: 10, text: "欢迎光临")
        let wire = try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [area])), link: link)
        let official = preamble + "FE FF 00 80 00 00 00 00 00 00 FE 02 2C 00 A3 06 01 00 00 00 01 23 00 00 00 80 00 00 80 80 20 00 "
            + "00 00 00 0A 00 00 00 00 02 01 01 00 02 0A 08 00 00 00 BB B6 D3 AD B9 E2 C1 D9 3C 49 5A"
        #expect(hexString(wire) == hexString(hex(official)))
    }

    @Test func brightnessClearAndDelete() throws {
        let brightness = try OnbonFontCard.encode(.brightness(9))
        #expect(Array(brightness[22..<29]) == hex("A3 02 01 00 00 01 09"))
        let clear = try OnbonFontCard.encode(.clearScreen)
        #expect(Array(clear[22..<27]) == hex("A3 10 01 00 00"))
        let delete = try OnbonFontCard.encode(.deleteAreas(.areas([1, 3])))
        #expect(Array(delete[22..<31]) == hex("A3 06 01 00 00 02 01 03 00"))
        #expect(throws: OnbonEncodingError.self) { try OnbonFontCard.encode(.brightness(16)) }
    }
}

@Suite struct OnbonFontCardRoundTripTests {
    private func roundTrip(_ command: OnbonFontCardCommand, link: OnbonFontCardLink = OnbonFontCardLink()) throws -> OnbonFontCardCommand? {
        var scanner = OnbonFrameScanner()
        let frames = scanner.feed(try OnbonFontCard.encode(command, link: link))
        guard frames.count == 1, case .packet(let packet) = frames[0] else { return nil }
        return try OnbonFontCard.decodeRequest(packet, charset: link.charset).command
    }

    @Test func everyCommandDecodesToWhatWasEncoded() throws {
        let area = OnbonTextArea(
            id: 2, frame: Rect(x: 8, y: 16, width: 184, height: 16), lineSpacing: 1, runMode: .deleteAfterTimeout, timeoutSeconds: 30,
            alignment: OnbonAlignment(horizontal: .centre, vertical: .bottom), singleLine: true, wrapsAutomatically: true,
            effect: .moveLeft, speed: 5, stayHalfSeconds: 4,
            text: OnbonText([.font("O000"), .colour(.red), .text("急救3号 粤A·12345"), .newline, .colour(.green), .text("待命"), .clock(.hour)]))
        let commands: [OnbonFontCardCommand] = [
            .ping, .clearScreen, .brightness(15), .brightnessSchedule(Array(repeating: 7, count: 48)),
            .setTime(OnbonDateTime(year: 2026, month: 11, day: 21, hour: 23, minute: 59, second: 58, weekday: 6)),
            .updateAreas(OnbonAreaUpdate(clearAreasFirst: true, delete: .areas([4]), areas: [area])),
            .updateAreas(OnbonAreaUpdate(delete: .all, areas: [area, area])),
            .deleteAreas(.all),
        ]
        for command in commands {
            #expect(try roundTrip(command) == command)
        }
    }

    @Test func gbkLinkCarriesGBKOnlyCharacters() throws {
        let link = OnbonFontCardLink(charset: .gbk)
        let area = OnbonTextArea(id: 0, frame: Rect(x: 0, y: 0, width: 64, height: 16), text: "浐灞 堃")
        #expect(try roundTrip(.updateAreas(OnbonAreaUpdate(areas: [area])), link: link) == .updateAreas(OnbonAreaUpdate(areas: [area])))
    }

    @Test func charactersTheFontLacksAreListedBeforeSending() {
        let area = OnbonTextArea(id: 1, frame: Rect(x: 0, y: 0, width: 64, height: 16), text: "浐灞路 堃 浐 😀")
        do {
            _ = try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [area])))
            Issue.record("expected the GB2312 encoder to refuse GBK-only characters")
        } catch {
            #expect(error.unencodable?.characters == ["浐", "堃", "😀"])
            #expect(error.description.contains("area 1"))
        }
    }

    @Test func middleDotAndDashInBothSpellings() throws {
        for text in ["粤A·12345 —", "粤A\u{30FB}12345 \u{2015}"] {
            let bytes = try ControllerTextCodec.encode(text, charset: .gb2312)
            #expect(bytes.contains(0xA1) && bytes.contains(0xA4) && bytes.contains(0xAA))
            #expect(ControllerTextCodec.decode(bytes, charset: .gb2312) == "粤A·12345 —")
        }
        #expect(try ControllerTextCodec.encode("粤A·1", charset: .gbk) == [0xD4, 0xC1, 0x41, 0xA1, 0xA4, 0x31])
    }

    @Test func textCannotOpenAnInlineCode() throws {
        let bytes = try OnbonTextCodec.encode("地址\\C2\\n绿", charset: .gb2312, context: "test")
        #expect(!bytes.contains(UInt8(ascii: "\\")))
        #expect(OnbonTextCodec.decode(bytes, charset: .gb2312) == OnbonText([.text("地址＼C2＼n绿")]))
    }
}

@Suite struct OnbonFontCardReplyTests {
    @Test func parsesAckAndNackAcrossChunks() {
        let header = OnbonFontCardHeader(destination: 0x0001, source: 0x8000, displayMode: 0, deviceType: 0xFE, protocolVersion: 2, dataLength: 5)
        let stream = [0x11] + OnbonFontCard.reply(to: header, error: .none) + OnbonFontCard.reply(to: header, error: .fontMissing)
        var parser = OnbonFontCardReplyParser()
        var replies: [BoardReply] = []
        for byte in stream { replies += parser.feed([byte]) }
        #expect(replies == [.ack, .nack(code: 12, explanation: OnbonErrorCode.fontMissing.explanation)])
        var damaged = OnbonFontCard.reply(to: header, error: .none)
        damaged[damaged.count - 3] ^= 0x01
        if case .garbled? = parser.feed(damaged).first {} else { Issue.record("a damaged reply must be reported as garbled") }
    }
}
