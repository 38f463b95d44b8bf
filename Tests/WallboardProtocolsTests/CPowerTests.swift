import Testing
import WallboardRender
@testable import WallboardProtocols

/// Frames byte for byte as the C-Power documents print them (each checksum checked by the
/// encoder computing it), both framings, replies and their retry rule.
@Suite struct CPowerTests {
    /// ExternalCallsCommunicationProtocol 2.2.2, "Example 2": pure text "abc", CR, "cba" in
    /// window 0, centred, stay 3 s, 16-dot font, red. (Its "Example 1" fails its own checksum.)
    @Test func pureTextMatchesTheDocumentsExample() throws {
        let text = CPowerWindowText(window: 0, effect: .draw, horizontal: .centre, vertical: .top, speed: 0, staySeconds: 3, fontSize: 2, colour: RGB(255, 0, 0), text: "abc\ncba")
        let wire = try CPower.encode(.windowText(text), framing: .serial)
        #expect(hexString(wire) == "A5 68 32 01 7B 01 13 00 00 00 12 00 00 01 00 00 03 02 FF 00 00 61 62 63 0D 63 62 61 00 9A 04 AE")
    }

    /// Sub-command 02 as the external-calls document lays it out (window, effect, alignment,
    /// speed, stay high byte first, then three bytes a character: colour in the high nibble, font
    /// size code in the low one, then the code, 00 before a single-byte one, the line break the
    /// character 0D), no terminator. No source prints a whole 02 packet; this one is built from
    /// the document's layout, checksum and all: "A" red, "b" yellow, a line break, "C" green,
    /// 16-dot font, stay 5 s.
    @Test func richTextIsLaidOutAsDocumented() throws {
        let text = CPowerRichText(window: 0, speed: 1, staySeconds: 5, runs: [
            .init(colour: .red, text: "A"), .init(colour: .yellow, text: "b"), .init(colour: .red, text: "\n"), .init(colour: .green, text: "C"),
        ])
        let wire = try CPower.encode(.richText(text), framing: .network(idCode: CPower.defaultIDCode))
        #expect(hexString(wire) == "FF FF FF FF 1E 00 00 00 68 32 01 7B 01 13 00 00 00 02 00 00 00 01 00 05 12 00 41 32 00 62 12 00 0D 22 00 43 9D 02")
        var scanner = CPowerFrameScanner()
        let frames = scanner.feed(wire)
        guard frames.count == 1, case .packet(let packet, _) = frames[0] else {
            Issue.record("\(frames)")
            return
        }
        #expect(try CPower.decodeRequest(packet).command == .richText(text))
        // GBK characters take both code bytes; the stay's high byte goes first.
        let chinese = CPowerRichText(window: 3, horizontal: .centre, staySeconds: 0x0102, runs: [.init(colour: .green, fontSize: 3, text: "待命a")])
        #expect(hexString(try CPower.packet(.richText(chinese)).data.dropFirst(5)) == "03 00 01 01 01 02 23 B4 FD 23 C3 FC 23 00 61")
    }

    /// What a decoder takes besides: the three 00 a C++ client ends its text with; and what it
    /// refuses without an answer: a colour of 0 or over 7, and text that is not whole characters.
    @Test func richTextsEndAndItsRefusals() throws {
        func packet(_ characters: [UInt8]) -> CPowerPacket {
            CPower.externalCall(CPower.richTextCode, [0, 0, 0, 1, 0, 5] + characters, cardID: 1, confirm: 1)
        }
        let ended = try CPower.decodeRequest(packet([0x12, 0x00, 0x41, 0x00, 0x00, 0x00])).command
        #expect(ended == .richText(CPowerRichText(window: 0, speed: 1, staySeconds: 5, runs: [.init(colour: .red, text: "A")])))
        for characters: [UInt8] in [[0x02, 0x00, 0x41], [0x82, 0x00, 0x41], [0x12, 0x00, 0x41, 0x12]] {
            #expect(throws: CPowerDecodeError.self, "\(hexString(characters))") { try CPower.decodeRequest(packet(characters)) }
        }
        #expect(CPowerColour(exactly: RGB(255, 255, 0)) == .yellow && CPowerColour(exactly: RGB(255, 191, 0)) == nil && CPowerColour(exactly: RGB(0, 0, 0)) == nil)
        #expect(CPowerColour.white.rgb == RGB(255, 255, 255))
    }

    /// BasicProtocol 1.2.9.2: "Immediately turn off / open the screen" (seven fill bytes, as both
    /// examples carry).
    @Test func screenPowerMatchesTheDocumentsExamples() throws {
        #expect(hexString(try CPower.encode(.screenPower(on: false), framing: .serial)) == "A5 68 32 01 76 01 00 00 00 00 00 00 00 00 00 12 01 AE")
        #expect(hexString(try CPower.encode(.screenPower(on: true), framing: .serial)) == "A5 68 32 01 76 01 00 01 00 00 00 00 00 00 00 13 01 AE")
    }

    /// CommunicationProtocolForSetup 2.4.1: the card's answer to a network setting, `A5 E8 32 01
    /// 3C 01 01 59 01 AE` (confirm echoed, data 01 success), read as an ACK.
    @Test func theDocumentsSerialReplyIsAnAck() {
        var parser = CPowerReplyParser()
        #expect(parser.feed([0xA5, 0xE8, 0x32, 0x01, 0x3C]) == [])
        #expect(parser.feed([0x01, 0x01, 0x59, 0x01, 0xAE]) == [.ack])
    }

    /// The window split as the documents lay it out: count, then X, Y, W, H big-endian.
    @Test func windowsAndTheOtherCommandsAreLaidOutAsDocumented() throws {
        let split = try CPower.packet(.splitWindows([Rect(x: 0, y: 0, width: 192, height: 16), Rect(x: 0, y: 16, width: 192, height: 16)]))
        #expect(hexString(split.bytes.dropLast(2)) == "68 32 01 7B 01 12 00 00 00 01 02 00 00 00 00 00 C0 00 10 00 00 00 10 00 C0 00 10")
        #expect(hexString(try CPower.packet(.resumePrograms).bytes.dropLast(2)) == "68 32 01 7B 01 01 00 00 00 06")
        let time = CPowerTime(year: 2026, month: 12, day: 5, hour: 16, minute: 30, second: 9, weekday: 6)
        #expect(hexString(try CPower.packet(.setTime(time)).data) == "00 09 1E 10 06 05 0C 1A")
        let brightness = try CPower.packet(.brightness(Array(repeating: 20, count: 24)), cardID: CPower.broadcastCardID)
        #expect(brightness.command == 0x46 && brightness.cardID == 0xFF && brightness.data == [0] + Array(repeating: 20, count: 24))
        #expect(throws: CPowerError.self) { try CPower.packet(.splitWindows(Array(repeating: Rect(x: 0, y: 0, width: 8, height: 8), count: 9))) }
        #expect(throws: CPowerError.self) { try CPower.packet(.brightness([1, 2])) }
    }

    /// The checksum keeps 16 bits: the setup document's "0xFFFA + 0x09 = 0x0003".
    @Test func checksumWrapsAt16Bits() {
        let bytes = Array(repeating: UInt8(0xFF), count: 256) + [0xFA, 0x09]
        #expect(256 * 0xFF + 0xFA == 0xFFFA)
        #expect(CPower.checksum(bytes) == 0x0003)
    }

    /// The network form: ID code big-endian, the length of packet type through checksum low byte
    /// first, two reserved zeros, then the same packet unescaped.
    @Test func networkFramingCarriesTheSamePacket() throws {
        let packet = try CPower.packet(.screenPower(on: false))
        let wire = CPowerFraming.network(idCode: 0x1234_5678).frame(packet.bytes)
        #expect(hexString(wire.prefix(8)) == "12 34 56 78 10 00 00 00")
        #expect(Array(wire.dropFirst(8)) == packet.bytes)
        var scanner = CPowerFrameScanner()
        #expect(scanner.feed(Array(wire.prefix(11))) == [])
        #expect(scanner.feed(Array(wire.dropFirst(11))) == [.packet(packet, .network(idCode: 0x1234_5678))])
    }

    /// Every command the driver sends decodes to itself in both framings, fed a byte at a time.
    @Test(arguments: [CPowerFraming.serial, .network(idCode: CPower.defaultIDCode)])
    func everyCommandRoundTrips(framing: CPowerFraming) throws {
        let commands: [CPowerCommand] = [
            .splitWindows([Rect(x: 0, y: 0, width: 150, height: 16), Rect(x: 150, y: 0, width: 42, height: 16), Rect(x: 0, y: 16, width: 192, height: 16)]),
            .windowText(CPowerWindowText(window: 2, effect: .flicker, horizontal: .right, vertical: .bottom, speed: 5, staySeconds: 0x0102, fontSize: 3, fontStyle: 1, colour: RGB(0xAA, 0xA5, 0xAE), text: "急救3号 粤A·12345\n爱蔼")),
            .richText(CPowerRichText(window: 7, effect: .flicker, horizontal: .centre, speed: 3, staySeconds: 0x0AA5, runs: [
                .init(colour: .yellow, fontSize: 1, text: "东风路12号\n"), .init(colour: .white, fontSize: 4, text: "[急] 摔伤"),
            ])),
            .resumePrograms,
            .brightness((0..<24).map { UInt8($0) }),
            .setTime(CPowerTime(year: 2026, month: 2, day: 28, hour: 23, minute: 59, second: 58, weekday: 0)),
            .screenPower(on: true),
        ]
        var scanner = CPowerFrameScanner()
        for command in commands {
            let wire = try CPower.encode(command, cardID: 7, framing: framing)
            var frames: [CPowerFrame] = []
            for byte in wire { frames += scanner.feed([byte]) }
            guard frames.count == 1, case .packet(let packet, let arrived) = frames[0] else {
                Issue.record("\(command) did not arrive as one packet: \(frames)")
                continue
            }
            #expect(arrived == framing)
            #expect(try CPower.decodeRequest(packet) == CPowerRequest(cardID: 7, wantsReply: true, command: command))
        }
        #expect(!scanner.isInsideFrame)
    }

    /// A flipped byte is a checksum error the card can still address; broken escaping and a
    /// frame cut by the next A5 are damaged frames; the next good frame is read.
    @Test func damagedFramesAreNamedAndTheNextIsRead() throws {
        var wire = try CPower.encode(.resumePrograms, framing: .serial)
        wire[9] ^= 0x01
        var scanner = CPowerFrameScanner()
        guard case .damaged(let damage)? = scanner.feed(wire).first else {
            Issue.record("a bad checksum was not reported")
            return
        }
        #expect(damage.isChecksumError && damage.cardID == 1 && damage.command == 0x7B)
        #expect(damage.reason.contains("checksum"))
        let broken = scanner.feed([0xA5, 0x68, 0xAA, 0x07, 0xAE])
        #expect(broken.count == 1 && broken.first.map { if case .damaged(let d) = $0 { !d.isChecksumError } else { false } } == true)
        let good = try CPower.encode(.screenPower(on: true), framing: .serial)
        let frames = scanner.feed([0xA5, 0x68, 0x32] + good)
        #expect(frames.count == 2)
        #expect(frames.last == .packet(try CPower.packet(.screenPower(on: true)), .serial))
    }

    /// What the emulator answers, read back: an external call's return code (01 checksum error
    /// retried, others not), a basic command's success byte, in both framings.
    @Test(arguments: [CPowerFraming.serial, .network(idCode: CPower.defaultIDCode)])
    func repliesAndWhichRefusalsAreRetried(framing: CPowerFraming) {
        var parser = CPowerReplyParser()
        let ok = CPower.reply(command: 0x7B, cardID: 1, confirm: 1, returnCode: 0, framing: framing)
        let checksum = CPower.reply(command: 0x7B, cardID: 1, confirm: 1, returnCode: CPower.ReturnCode.checksum, framing: framing)
        let window = CPower.reply(command: 0x7B, cardID: 1, confirm: 1, returnCode: CPower.ReturnCode.windowOutOfRange, framing: framing)
        let time = CPower.reply(command: 0x47, cardID: 1, confirm: 1, returnCode: 0, framing: framing)
        let power = CPower.reply(command: 0x76, cardID: 1, confirm: 1, returnCode: 0, screenOn: false, framing: framing)
        let failed = CPower.reply(command: 0x46, cardID: 1, confirm: 1, returnCode: CPower.ReturnCode.checksum, framing: framing)
        let replies = parser.feed(ok + checksum + window + time + power + failed)
        #expect(replies.count == 6)
        #expect(replies.prefix(2) == [.ack, .nack(code: 1, explanation: "checksum error")])
        #expect(replies[2] == .nack(code: 0x12, explanation: "window out of range"))
        #expect(replies[3] == .ack && replies[4] == .ack)
        if case .nack = replies[5] {} else { Issue.record("a failed brightness was read as \(replies[5])") }
        #expect(CPowerReplyParser.isRetryable(1))
        #expect(!CPowerReplyParser.isRetryable(0x12) && !CPowerReplyParser.isRetryable(0) && !CPowerReplyParser.isRetryable(2))
    }

    @Test func textIsGBKWithoutControlCharactersAndTooLongIsRefused() throws {
        #expect(try CPower.textBytes("急\u{0}A\r\n\u{1B}B\u{7F}") == [0xBC, 0xB1, 0x41, 0x0D, 0x42])
        #expect(throws: CPowerError.self) { try CPower.textBytes("😀") }
        let long = String(repeating: "急", count: CPower.maximumWindowTextBytes / 2 + 1)
        #expect(throws: CPowerError.self) { try CPower.packet(.windowText(CPowerWindowText(window: 0, text: long))) }
        #expect(CPower.fontSizeCode(forHeight: 16) == 2 && CPower.fontSizeCode(forHeight: 31) == 3 && CPower.fontSizeCode(forHeight: 4) == 0)
    }
}
