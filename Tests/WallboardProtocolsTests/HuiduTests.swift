import Testing
import WallboardRender
import WallboardTestKit
@testable import WallboardProtocols

/// Huidu SDK 2.0 packets byte for byte as the facts sheet documents them, fragments both ways,
/// the XML envelope and requests, replies and their retry rule.
@Suite struct HuiduTests {
    @Test func sessionPacketsMatchTheDocumentedBytes() {
        #expect(hexString(Huidu.versionAsk()) == "08 00 01 20 05 00 00 01")
        #expect(hexString(Huidu.heartbeatAsk) == "04 00 5F 00")
        #expect(hexString(Huidu.heartbeatAnswer) == "04 00 60 00")
        #expect(hexString(Huidu.versionAnswer()) == "0A 00 02 20 05 00 00 01 00 00")
        #expect(hexString(Huidu.errorAnswer(.kDeviceOccupa)) == "06 00 00 20 04 00")
    }

    /// `[len = 12 + N][2003][total][offset][xml]`, 8000 XML bytes at most in each.
    @Test func fragmentsCarryTotalAndOffsetAndAtMost8000Bytes() throws {
        let small = Huidu.fragments(Array("<a/>".utf8))
        #expect(hexString(small) == "10 00 03 20 04 00 00 00 00 00 00 00 3C 61 2F 3E")
        let xml = (0..<20_000).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        let wire = Huidu.fragments(xml)
        var scanner = HuiduPacketScanner()
        let packets = scanner.feed(wire).compactMap { item -> HuiduPacket? in if case .packet(let packet) = item { packet } else { nil } }
        #expect(packets.map(\.payload.count) == [8008, 8008, 4008])
        #expect(hexString(wire[0..<12]) == "4C 1F 03 20 20 4E 00 00 00 00 00 00")
        #expect(hexString(packets[1].payload[0..<8]) == "20 4E 00 00 40 1F 00 00")
        var reassembler = HuiduReassembler()
        #expect(try reassembler.add(packets[0].payload) == nil)
        #expect(try reassembler.add(packets[1].payload) == nil)
        #expect(try reassembler.add(packets[2].payload) == xml)
        #expect(!reassembler.isPartial)
    }

    @Test func reassemblyRefusesInconsistentTotalsOffsetsAndOversizedDocuments() throws {
        func fragment(total: UInt32, offset: UInt32, _ chunk: [UInt8]) -> [UInt8] {
            var writer = ByteWriter()
            writer.u32(total)
            writer.u32(offset)
            writer.append(chunk)
            return writer.bytes
        }
        var reassembler = HuiduReassembler(limit: 100)
        #expect(try reassembler.add(fragment(total: 10, offset: 0, [1, 2, 3, 4])) == nil)
        #expect(throws: HuiduFragmentError.self) { try reassembler.add(fragment(total: 11, offset: 4, [5])) }
        #expect(!reassembler.isPartial)
        #expect(try reassembler.add(fragment(total: 10, offset: 0, [1, 2, 3, 4])) == nil)
        #expect(throws: HuiduFragmentError.self) { try reassembler.add(fragment(total: 10, offset: 6, [7])) }
        #expect(throws: HuiduFragmentError.self) { try reassembler.add(fragment(total: 3, offset: 0, [1, 2, 3, 4])) }
        #expect(throws: HuiduFragmentError.self) { try reassembler.add([1, 2, 3]) }
        do throws(HuiduFragmentError) {
            _ = try reassembler.add(fragment(total: 101, offset: 0, [1]))
            Issue.record("a document over the limit was taken")
        } catch {
            #expect(error.isTooLong)
        }
        #expect(try reassembler.add(fragment(total: 2, offset: 0, [1, 2])) == [1, 2])
    }

    @Test func theEnvelopeAndBodiesAreWrittenAsTheSDKsWriteThem() throws {
        let version = String(decoding: try Huidu.xml(.getIFVersion(version: Huidu.sdkVersion), guid: Huidu.placeholderGUID), as: UTF8.self)
        #expect(version == ###"<?xml version="1.0" encoding="utf-8"?><sdk guid="##GUID"><in method="GetIFVersion"><version value="1000000"/></in></sdk>"###)
        #expect(String(decoding: try Huidu.xml(.openScreen, guid: "G"), as: UTF8.self) == #"<?xml version="1.0" encoding="utf-8"?><sdk guid="G"><in method="OpenScreen"/></sdk>"#)
        #expect(try Huidu.body(.closeScreen) == "")
        #expect(try Huidu.body(.setLuminance(percent: 80)) == #"<mode value="default"/><default value="80"/><ploy></ploy><sensor min="1" max="100" time="10"/>"#)
        let time = HuiduTime(timeZone: "(UTC+08:00)Beijing,Chongqing,HongKong,Urumchi", year: 2017, month: 9, day: 6, hour: 8, minute: 11, second: 6)
        #expect(try Huidu.body(.setTime(time)) == #"<timezone value="(UTC+08:00)Beijing,Chongqing,HongKong,Urumchi"/><summer enable="false"/><sync value="none"/><time value="2017-09-06 08:11:06"/>"#)
        let area = HuiduTextArea(
            guid: "a1", rect: Rect(x: 0, y: 16, width: 64, height: 16), textGUID: "t1", text: "车 <1>", colour: RGB(255, 0, 0), fontSize: 16,
            horizontal: .center, vertical: .middle, scrolls: false)
        #expect(try Huidu.body(.addProgram(HuiduProgram(guid: "p", areas: [area]))) == #"<screen><program type="normal" id="0" guid="p" name="wallboard"><playControl count="1" disabled="false"/>"#
            + #"<area guid="a1" name="" alpha="255"><rectangle x="0" y="16" width="64" height="16"/><resources><text guid="t1" name="" singleLine="false">"#
            + ##"<style align="center" valign="middle"/><string>车 &lt;1&gt;</string><font name="SimSun" size="16" color="#ff0000" bold="false" italic="false" underline="false"/>"##
            + #"<effect in="0" inSpeed="4" out="0" outSpeed="4" duration="50"/></text></resources></area></program></screen>"#)
        let update = HuiduProgramUpdate(programGUID: "p", changes: [.init(areaGUID: "a1", textGUID: "t1", text: "00:01")])
        #expect(try Huidu.body(.updateProgram(update)) == #"<screen><program guid="p"><area guid="a1"><resources><text guid="t1"><string>00:01</string></text></resources></area></program></screen>"#)
        #expect(throws: HuiduError.self) { try Huidu.body(.setLuminance(percent: 0)) }
        #expect(throws: HuiduError.self) { try Huidu.xml(.updateProgram(HuiduProgramUpdate(programGUID: "p", changes: [.init(areaGUID: "a", textGUID: "t", text: String(repeating: "x", count: 70_000))])), guid: "G") }
    }

    /// Every request the driver sends comes back out of the emulator's decoder as it went in,
    /// through fragments cut anywhere.
    @Test func requestsDecodeAsTheyWereEncoded() throws {
        let areas = [
            HuiduTextArea(guid: "a1", rect: Rect(x: 0, y: 0, width: 192, height: 16), textGUID: "t1", text: "急救3号\n出车", colour: RGB(0, 255, 0), fontSize: 16, horizontal: .left, vertical: .top, scrolls: false),
            HuiduTextArea(guid: "a2", rect: Rect(x: 0, y: 16, width: 192, height: 16), textGUID: "t2", text: String(repeating: "候车地址 ", count: 900), colour: RGB(255, 255, 0), fontSize: 12, horizontal: .right, vertical: .bottom, scrolls: true),
        ]
        let requests: [HuiduRequest] = [
            .getIFVersion(version: Huidu.sdkVersion), .addProgram(HuiduProgram(guid: "p", areas: areas)),
            .updateProgram(HuiduProgramUpdate(programGUID: "p", changes: [.init(areaGUID: "a1", textGUID: "t1", text: "a&b"), .init(areaGUID: "a2", textGUID: "t2", text: "", colour: RGB(1, 2, 254))])),
            .setLuminance(percent: 55), .setTime(HuiduTime(timeZone: "(UTC+08:00)Beijing", year: 2026, month: 12, day: 5, hour: 18, minute: 0, second: 59)),
            .openScreen, .closeScreen,
        ]
        var decoder = HuiduRequestDecoder()
        for request in requests {
            let wire = try Huidu.encode(request, guid: "SESSION")
            var inbound: [HuiduInbound] = []
            for start in stride(from: 0, to: wire.count, by: 997) { inbound += decoder.feed(Array(wire[start..<min(wire.count, start + 997)])) }
            #expect(inbound == [.request(guid: "SESSION", request)])
        }
        #expect(decoder.feed(Huidu.versionAsk() + Huidu.heartbeatAsk) == [.versionAsk(Huidu.transportVersion), .heartbeat])
    }

    @Test func theDecoderRefusesWhatACardRefuses() throws {
        var decoder = HuiduRequestDecoder(limit: 200)
        let long = try Huidu.encode(.updateProgram(HuiduProgramUpdate(programGUID: "p", changes: [.init(areaGUID: "a", textGUID: "t", text: String(repeating: "x", count: 300))])), guid: "G")
        guard case .refused(.kXmlCmdTooLong, nil, _, _)? = decoder.feed(long).first else {
            Issue.record("an XML over the limit was not refused kXmlCmdTooLong")
            return
        }
        let broken = Huidu.fragments(Array("<sdk guid=\"G\"><in method=\"OpenScreen\">".utf8))
        guard case .refused(.kParseXmlFailed, nil, _, _)? = decoder.feed(broken).first else {
            Issue.record("unclosed XML was not refused kParseXmlFailed")
            return
        }
        let entity = Huidu.fragments(Array("<!DOCTYPE sdk [<!ENTITY x \"y\">]><sdk guid=\"&x;\"><in method=\"OpenScreen\"/></sdk>".utf8))
        guard case .refused(.kParseXmlFailed, nil, _, _)? = decoder.feed(entity).first else {
            Issue.record("a document type declaration was read")
            return
        }
        // The toolchain's parser would crash on a processing instruction without data.
        for instruction in ["<?xml?><sdk guid=\"G\"><in method=\"OpenScreen\"/></sdk>", "<sdk guid=\"G\"><?x?><in method=\"OpenScreen\"/></sdk>", "<?xml version=\"1.0\""] {
            guard case .refused(.kParseXmlFailed, nil, _, _)? = decoder.feed(Huidu.fragments(Array(instruction.utf8))).first else {
                Issue.record("\(instruction) was read")
                return
            }
        }
        let unknown = Huidu.fragments(Array("<sdk guid=\"G\"><in method=\"FormatDisk\"/></sdk>".utf8))
        #expect(decoder.feed(unknown) == [.refused(.kUnsupportMethod, method: "FormatDisk", guid: "G", reason: "FormatDisk: the method FormatDisk is not one this card takes")])
    }

    @Test func repliesAreReadWithTheirResultAndOnlyABusyCardIsRetried() {
        var parser = HuiduReplyParser()
        #expect(parser.feed(Huidu.versionAnswer()) == [.ack])
        #expect(parser.feed(Huidu.heartbeatAnswer) == [])
        let reply = Huidu.versionReply(sessionGUID: "S-1")
        #expect(parser.feed(Array(reply.prefix(20))) == [])
        #expect(parser.feed(Array(reply.dropFirst(20))) == [.ack])
        #expect(parser.feed(Huidu.errorAnswer(.kDeviceOccupa)) == [.nack(code: 4, explanation: "kDeviceOccupa: another client holds the card")])
        #expect(parser.feed(Huidu.reply(method: "UpdateProgram", result: .kInvalidGUID, guid: "S-1")) == [.nack(code: 43, explanation: "UpdateProgram: kInvalidGUID: no program, area or item has that GUID")])
        #expect(parser.feed(Huidu.reply(method: "AddProgram", result: .kParseXmlFailed, guid: "S-1")) == [.nack(code: 22, explanation: "AddProgram: kParseXmlFailed: the card could not read the request's XML")])
        #expect(HuiduReplyParser.isRetryable(Int(HuiduErrorCode.kDeviceOccupa.rawValue)))
        #expect(!HuiduReplyParser.isRetryable(Int(HuiduErrorCode.kParseXmlFailed.rawValue)))
        #expect(!HuiduReplyParser.isRetryable(Int(HuiduErrorCode.kInvalidGUID.rawValue)))
        var reader = HuiduReplyReader()
        let bom = Huidu.fragments([0xEF, 0xBB, 0xBF] + Array(#"<sdk guid="S-2"><out method="GetIFVersion" result="kSuccess"><version value="1000000"/></out></sdk>"#.utf8), command: .sdkAnswer)
        guard case .answer(let guid, "GetIFVersion", "kSuccess", let out)? = reader.feed(bom).first else {
            Issue.record("a reply with a byte-order mark was not read")
            return
        }
        #expect(guid == "S-2" && out.child("version")?["value"] == "1000000")
        #expect(HuiduErrorCode(name: "kDeviceOccupa") == .kDeviceOccupa && HuiduErrorCode(name: "kDownloadingFile") == nil)
    }

    /// Whatever the database holds, a text item's string stays one text node: the request
    /// parses, keeps its shape and gives back the text minus the characters XML cannot carry.
    @Test func hostileTextNeverChangesTheXMLStructure() throws {
        let pieces = ["<", ">", "&", "]]>", "\"", "'", "\u{0}", "\u{1B}", "\r", "\n", "\t", "\u{7F}", "\u{85}", "\u{FFFE}", "\u{FFFF}", "&amp;", "<string>",
                      "</string></text>", "<!--", "<?xml", "<![CDATA[", "&#0;", "急救", "😀", "\u{FFFD}", "a", " "]
        var generator = SeededGenerator(seed: 0x4D1D)
        let expectedShape = try shape(of: Huidu.xml(.addProgram(program(text: "x", area: "a")), guid: "G"))
        for index in 0..<3_000 {
            var text = (0..<Int(generator.next() % 16)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            if index % 500 == 0 { text += String(repeating: "<&>", count: 1_000) }
            if index % 7 == 0 {
                // Bytes from the database that are not UTF-8, as Swift decodes them.
                text += String(decoding: (0..<8).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, as: UTF8.self)
            }
            let document = try Huidu.xml(.addProgram(program(text: text, area: text)), guid: text)
            let root = try HuiduXML.parse(document)
            guard try shape(of: document) == expectedShape else {
                Issue.record("case \(index): \(text.debugDescription) changed the XML's structure")
                return
            }
            let kept = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 == "\n" || ($0.properties.generalCategory != .control && $0 != "\u{FFFE}" && $0 != "\u{FFFF}") }))
            let string = root.child("in")?.child("screen")?.child("program")?.child("area")?.child("resources")?.child("text")?.child("string")?.text
            guard string == kept, root["guid"] == kept.replacingNewlines else {
                Issue.record("case \(index): \(text.debugDescription) came back as \(string.debugDescription)")
                return
            }
        }
    }

    private func program(text: String, area: String) -> HuiduProgram {
        HuiduProgram(guid: "p", areas: [HuiduTextArea(
            guid: area, rect: Rect(x: 0, y: 0, width: 64, height: 16), textGUID: "t", text: text, colour: RGB(255, 0, 0), fontSize: 16,
            horizontal: .left, vertical: .middle, scrolls: false)])
    }

    /// The element names, nested, without attribute values or text.
    private func shape(of document: [UInt8]) throws -> String {
        func walk(_ element: HuiduXMLElement) -> String {
            "<\(element.name) \(element.attributes.keys.sorted().joined(separator: ","))>" + element.children.map(walk).joined() + "</>"
        }
        return walk(try HuiduXML.parse(document))
    }

    @Test func scannersAndParsersSurviveRandomBytes() {
        var generator = SeededGenerator(seed: 0x4D1D_0002)
        var decoder = HuiduRequestDecoder()
        var parser = HuiduReplyParser()
        for _ in 0..<2_000 {
            let chunk = (0..<64).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = decoder.feed(chunk)
            _ = parser.feed(chunk)
        }
    }
}

private extension String {
    var replacingNewlines: String { String(String.UnicodeScalarView(unicodeScalars.filter { $0 != "\n" })) }
}
