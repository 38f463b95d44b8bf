import Testing
import WallboardTestKit
import WallboardRender
@testable import WallboardProtocols


/// Building blocks for hostile strings: control bytes, the framing bytes of every protocol,
/// inline-code look-alikes, GB text whose bytes contain A5/A6/5A/5B, and characters the
/// controllers cannot show (tagged so the test knows what must be refused).
private struct Fragment {
    let text: String
    let gb2312: Bool
    let gbk: Bool
    let ascii: Bool
}

private let fragments: [Fragment] = {
    var list: [Fragment] = []
    for value in 0..<0x80 {
        let text = String(Character(Unicode.Scalar(UInt8(value))))
        list.append(Fragment(text: text, gb2312: true, gbk: true, ascii: true))
    }
    for text in ["\\C1", "\\n", "\\FO000", "\\DH", "\u{1C}1", "\u{10}A", "\u{02}", "\u{03}", "\u{04}", "\u{01}Z00"] {
        list.append(Fragment(text: text, gb2312: true, gbk: true, ascii: true))
    }
    // 哎 B0A5, ア A5A2, Α A6A1, 唉 B0A6, 急救 and friends, both spellings of · and —.
    // 爱 B0AE and 蔼 B0AA carry C-Power's end and escape bytes.
    for text in ["哎", "ア", "Α", "唉", "急救", "粤A·12345", "\u{30FB}", "—", "\u{2015}", "车祸", "＼", "号", "爱", "蔼"] {
        list.append(Fragment(text: text, gb2312: true, gbk: true, ascii: false))
    }
    // GBK only: 乑 815A, 乕 815B, 乗 815C (a backslash trail byte), 昛 955A, 浐, 堃, 仴 81A5, 仾 81AA, 伄 81AE.
    for text in ["乑", "乕", "乗", "昛", "浐", "堃", "仴", "仾", "伄"] {
        list.append(Fragment(text: text, gb2312: false, gbk: true, ascii: false))
    }
    // é is in GB2312's pinyin row; the rest are in neither set.
    list.append(Fragment(text: "é", gb2312: true, gbk: true, ascii: false))
    for text in ["😀", "䶮", "\u{FFFD}", "\u{0301}"] {
        list.append(Fragment(text: text, gb2312: false, gbk: false, ascii: false))
    }
    return list
}()

private func randomText(_ generator: inout SeededGenerator) -> (text: String, pieces: [Fragment]) {
    let count = Int(generator.next() % 12)
    var pieces: [Fragment] = []
    pieces.reserveCapacity(count)
    for _ in 0..<count { pieces.append(fragments[Int(generator.next() % UInt64(fragments.count))]) }
    return (pieces.map(\.text).joined(), pieces)
}

/// The escaped body of an Onbon frame never holds A5 or 5A; the frame is one preamble, a body
/// and one end byte.
private func onbonFramingIsIntact(_ wire: [UInt8]) -> Bool {
    guard wire.count > 9, wire.prefix(8).allSatisfy({ $0 == 0xA5 }), wire.last == 0x5A else { return false }
    return !wire[8..<(wire.count - 1)].contains { $0 == 0xA5 || $0 == 0x5A }
}

@Suite struct InjectionPropertyTests {
    static let iterations = 100_000

    /// 100,000 strings through the encoder with GB2312, and a further 20,000 with GBK (the
    /// same encoder; GBK adds trail bytes 5A, 5B and 5C).
    @Test(arguments: [(ControllerCharset.gb2312, 100_000), (.gbk, 20_000)])
    func onbonFontCardTextNeverBreaksTheFrame(charset: ControllerCharset, iterations: Int) throws {
        var generator = SeededGenerator(seed: charset == .gb2312 ? 0x5EED_0001 : 0x5EED_0002)
        let link = OnbonFontCardLink(charset: charset, model: .bx6k)
        var scanner = OnbonFrameScanner()
        var refused = 0
        for index in 0..<iterations {
            let (text, pieces) = randomText(&generator)
            let colour = OnbonColour.allCases[index % OnbonColour.allCases.count]
            let area = OnbonTextArea(id: UInt8(index % 5), frame: Rect(x: 0, y: 0, width: 192, height: 32), text: OnbonText([.colour(colour), .text(text)]))
            let command = OnbonFontCardCommand.updateAreas(OnbonAreaUpdate(areas: [area]))
            let showable = pieces.allSatisfy { charset == .gb2312 ? $0.gb2312 : $0.gbk }
            let wire: [UInt8]
            do {
                wire = try OnbonFontCard.encode(command, link: link)
            } catch {
                refused += 1
                if showable || error.unencodable == nil {
                    Issue.record("seed case \(index): refused showable text \(text.debugDescription): \(error)")
                    return
                }
                continue
            }
            guard showable else {
                Issue.record("seed case \(index): sent text the font lacks: \(text.debugDescription)")
                return
            }
            guard onbonFramingIsIntact(wire) else {
                Issue.record("seed case \(index): framing broken by \(text.debugDescription): \(hexString(wire))")
                return
            }
            // Every 97th frame arrives after garbage and split in two, through the scanner.
            var frames: [OnbonScannedFrame] = []
            if index % 97 == 0 {
                frames += scanner.feed([0x5A, 0x00, 0xA6, 0x5B, UInt8(truncatingIfNeeded: index)])
                frames += scanner.feed(wire[..<(wire.count / 2)])
                frames += scanner.feed(wire[(wire.count / 2)...])
            } else if let packet = OnbonFraming.unescape(wire[8..<(wire.count - 1)]) {
                frames = [.packet(packet)]
            }
            guard frames.count == 1, case .packet(let packet) = frames[0],
                  case .updateAreas(let update) = try OnbonFontCard.decodeRequest(packet, charset: charset).command
            else {
                Issue.record("seed case \(index): frame for \(text.debugDescription) did not decode")
                return
            }
            let expected = OnbonText([.colour(colour), .text(text)]).normalised(charset: charset)
            guard update.areas.first?.text == expected else {
                Issue.record("seed case \(index): \(text.debugDescription) came back as \(String(describing: update.areas.first?.text))")
                return
            }
        }
        #expect(refused > 0 && refused < iterations)
    }

    @Test(arguments: ["TEXT", "STRING"])
    func alphaTextNeverBreaksThePacket(kind: String) throws {
        var generator = SeededGenerator(seed: kind == "TEXT" ? 0xA1FA_0001 : 0xA1FA_0002)
        var scanner = AlphaPacketScanner()
        var refused = 0
        for index in 0..<Self.iterations {
            let (text, pieces) = randomText(&generator)
            let command: AlphaCommand = kind == "TEXT"
                ? .writeText(label: .a, AlphaText(pieces: [.colour(.amber), .text(text)]))
                : .writeString(label: .a, String(text.prefix(100)))
            let showable = pieces.allSatisfy(\.ascii)
            let packet: AlphaTransmission
            do {
                packet = try Alpha.encode([command])
            } catch {
                refused += 1
                if showable || error.unencodable.isEmpty {
                    Issue.record("case \(index): refused \(text.debugDescription): \(error)")
                    return
                }
                continue
            }
            let body = packet.bytes[10..<(packet.bytes.count - 7)]
            guard showable, !body.contains(where: { $0 < 0x05 || $0 == 0x7F }) else {
                Issue.record("case \(index): control byte reached the wire from \(text.debugDescription)")
                return
            }
            let received = scanner.feed(index % 89 == 0 ? [0x04, 0x01, 0x30] + packet.bytes : packet.bytes)
            guard received.count == 1, let first = received[0].commands.first, received[0].commands.count == 1, first.checksum == .valid else {
                Issue.record("case \(index): packet for \(text.debugDescription) did not arrive whole")
                return
            }
            let decoded = try Alpha.decodeCommand(first).get()
            let expected: AlphaCommand
            switch command {
            case .writeText(let label, let content): expected = .writeText(label: label, content.normalised)
            case .writeString(let label, let content): expected = .writeString(label: label, Alpha.filtered(content))
            default: expected = command
            }
            guard decoded == expected else {
                Issue.record("case \(index): \(text.debugDescription) came back as \(decoded)")
                return
            }
        }
        #expect(refused > 0 && refused < Self.iterations)
    }

    /// C-Power's pure-text and rich-text packets in both framings: a serial frame holds one A5
    /// and one AE, at its ends; pure text's 00 terminator is its only 00 after the colour, and
    /// every character of rich text is three bytes led by its colour; whatever the text, one
    /// packet arrives and decodes to one window text with the text as the card may show it.
    @Test(arguments: [CPowerFraming.serial, .network(idCode: CPower.defaultIDCode)], [false, true])
    func cPowerTextNeverBreaksThePacket(framing: CPowerFraming, rich: Bool) throws {
        var generator = SeededGenerator(seed: (framing == .serial ? 0xC0_0001 : 0xC0_0002) + (rich ? 0x10 : 0))
        var scanner = CPowerFrameScanner()
        var refused = 0
        let iterations = 20_000
        for index in 0..<iterations {
            let (text, pieces) = randomText(&generator)
            let window = UInt8(index % 8)
            let command: CPowerCommand = rich
                ? .richText(CPowerRichText(window: window, runs: [.init(colour: .green, text: text)]))
                : .windowText(CPowerWindowText(window: window, colour: RGB(255, 0, 0), text: text))
            let wire: [UInt8]
            do {
                wire = try CPower.encode(command, framing: framing)
            } catch {
                refused += 1
                if pieces.allSatisfy(\.gbk) {
                    Issue.record("case \(index): refused showable text \(text.debugDescription): \(error)")
                    return
                }
                continue
            }
            guard pieces.allSatisfy(\.gbk) else {
                Issue.record("case \(index): sent text GBK lacks: \(text.debugDescription)")
                return
            }
            if framing == .serial {
                guard wire.first == 0xA5, wire.last == 0xAE, !wire.dropFirst().dropLast().contains(where: { $0 == 0xA5 || $0 == 0xAE }) else {
                    Issue.record("case \(index): framing broken by \(text.debugDescription): \(hexString(wire))")
                    return
                }
            }
            // Every 89th packet arrives after garbage and in two pieces.
            var frames: [CPowerFrame] = []
            if index % 89 == 0 {
                frames += scanner.feed([0xAE, 0x00, 0xAA, UInt8(truncatingIfNeeded: index) & 0x7F] + wire[..<(wire.count / 2)])
                frames += scanner.feed(Array(wire[(wire.count / 2)...]))
                frames.removeAll { if case .damaged = $0 { true } else { false } }
            } else {
                frames = scanner.feed(wire)
            }
            guard frames.count == 1, case .packet(let packet, _) = frames[0] else {
                Issue.record("case \(index): packet for \(text.debugDescription) did not decode: \(frames)")
                return
            }
            let decoded: (window: UInt8, text: String)
            switch try CPower.decodeRequest(packet).command {
            case .windowText(let pure) where !rich:
                guard packet.data[15...].firstIndex(of: 0) == packet.data.count - 1 else {
                    Issue.record("case \(index): a 00 inside the text of \(text.debugDescription)")
                    return
                }
                decoded = (pure.window, pure.text)
            case .richText(let richText) where rich:
                let characters = packet.data[11...]
                guard characters.count % 3 == 0, stride(from: characters.startIndex, to: characters.endIndex, by: 3).allSatisfy({ characters[$0] == 0x22 }) else {
                    Issue.record("case \(index): a character of \(text.debugDescription) is not three bytes led by its colour")
                    return
                }
                decoded = (richText.window, richText.text)
            case let other:
                Issue.record("case \(index): \(text.debugDescription) came back as \(other)")
                return
            }
            let shown = ControllerCharset.gbk.canonical(String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 == "\n" || $0.properties.generalCategory != .control })))
            guard decoded.text == shown, decoded.window == window else {
                Issue.record("case \(index): \(text.debugDescription) came back as \(decoded.text.debugDescription)")
                return
            }
        }
        #expect(refused > 0 && refused < iterations)
    }

    @Test func scannersSurviveRandomBytes() {
        var generator = SeededGenerator(seed: 0xB17E5)
        var onbon = OnbonFrameScanner(maximumBodyLength: 4096)
        var alpha = AlphaPacketScanner(maximumPacketLength: 4096)
        var tpm2 = TPM2Scanner()
        var replies = OnbonFontCardReplyParser()
        var cPower = CPowerFrameScanner()
        var cPowerReplies = CPowerReplyParser()
        for _ in 0..<2_000 {
            let chunk = (0..<64).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            for frame in onbon.feed(chunk) {
                if case .packet(let packet) = frame { _ = try? OnbonFontCard.decodeRequest(packet) }
            }
            for packet in alpha.feed(chunk) {
                for command in packet.commands { _ = Alpha.decodeCommand(command) }
            }
            _ = tpm2.feed(chunk)
            _ = replies.feed(chunk)
            for case .packet(let packet, _) in cPower.feed(chunk) { _ = try? CPower.decodeRequest(packet) }
            _ = cPowerReplies.feed(chunk)
        }
        let resume = (try? CPower.encode(.resumePrograms, framing: .serial)) ?? []
        guard case .packet(let resumed, _)? = cPower.feed([0xAE] + resume).last else {
            Issue.record("the C-Power packet after the noise was lost")
            return
        }
        #expect((try? CPower.decodeRequest(resumed).command) == .resumePrograms)
        // After the noise, a real frame still gets through.
        let ping = (try? OnbonFontCard.encode(.ping)) ?? []
        let frames = onbon.feed([0x5A] + ping)
        guard case .packet(let packet)? = frames.last else {
            Issue.record("the ping after the noise was lost")
            return
        }
        #expect((try? OnbonFontCard.decodeRequest(packet).command) == .ping)
    }
}

@Suite struct InvalidSequenceTests {
    /// Random bytes as GB2312/GBK text (broken lead bytes, lone trail bytes, stray codes):
    /// decoding never fails, and whatever it reads back encodes again without breaking a frame.
    @Test(arguments: [ControllerCharset.gb2312, .gbk])
    func randomBytesDecodeAndReencodeSafely(charset: ControllerCharset) throws {
        var generator = SeededGenerator(seed: charset == .gb2312 ? 0xBAD_0001 : 0xBAD_0002)
        for index in 0..<10_000 {
            let bytes = (0..<Int(generator.next() % 16)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let text = OnbonTextCodec.decode(bytes, charset: charset)
            // U+FFFD marks what could not be read; drop it and the rest must encode.
            let readable = OnbonText(text.pieces.map { piece in
                if case .text(let value) = piece { return .text(value.replacingOccurrences(of: "\u{FFFD}", with: "")) }
                return piece
            })
            let area = OnbonTextArea(id: 0, frame: Rect(x: 0, y: 0, width: 64, height: 16), text: readable)
            do {
                let wire = try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [area])), link: OnbonFontCardLink(charset: charset))
                guard onbonFramingIsIntact(wire) else {
                    Issue.record("case \(index): \(hexString(bytes)) re-encoded into a broken frame")
                    return
                }
            } catch {
                // Only characters outside the set may be refused (a GBK byte pair read as
                // GB2312 never is); control characters were dropped, not refused.
                guard error.unencodable != nil else {
                    Issue.record("case \(index): \(hexString(bytes)) could not be re-encoded: \(error)")
                    return
                }
            }
        }
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
