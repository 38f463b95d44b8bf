import Testing
import WallboardTestKit
@testable import WallboardProtocols

@Suite struct NovaStarTests {
    private func number(_ shown: Int) throws -> NovaStarNumber { try #require(NovaStarNumber(shown: shown)) }

    private func text(_ request: NovaStarRequest) -> String { String(decoding: request.datagram, as: UTF8.self) }

    private func read(_ text: String, answering command: NovaStarCommand) -> NovaStarReplyReading {
        NovaStarReply.read(Array(text.utf8), answering: command)
    }

    @Test func requestsAreByteExactWithTheirOwnKeysFirstAndNumbersFromZero() throws {
        #expect(text(.heartbeat) == #"[{"cmd":"W0120","deviceId":0}]"#)
        #expect(text(.readiness) == #"[{"param0":0,"cmd":"R0118","deviceId":0}]"#)
        #expect(text(.loadPreset(screen: try number(1), preset: try number(5))) == #"[{"screenId":0,"presetId":4,"cmd":"W0605","deviceId":0}]"#)
        #expect(text(.brightness(screen: try number(2), percent: 60)) == #"[{"screenId":1,"brightness":60,"cmd":"W0410","deviceId":0}]"#)
        #expect(text(.blackScreen(screen: try number(1), black: true)) == #"[{"screenId":0,"type":0,"cmd":"W0409","deviceId":0}]"#)
        #expect(text(.blackScreen(screen: try number(1), black: false)) == #"[{"screenId":0,"type":1,"cmd":"W0409","deviceId":0}]"#)
        #expect(text(.slotSignal(slot: try number(2))) == #"[{"param0":0,"param1":1,"cmd":"R0102","deviceId":0}]"#)
        #expect(text(.deviceDetails) == #"[{"param0":0,"cmd":"R0100","deviceId":0}]"#)
    }

    @Test func brightnessStaysWithinWhatTheProcessorTakes() throws {
        #expect(text(.brightness(screen: try number(1), percent: 140)) == #"[{"screenId":0,"brightness":100,"cmd":"W0410","deviceId":0}]"#)
        #expect(text(.brightness(screen: try number(1), percent: -5)) == #"[{"screenId":0,"brightness":0,"cmd":"W0410","deviceId":0}]"#)
    }

    @Test func consoleNumbersStartAtOneAndTheWireAtZero() throws {
        #expect(NovaStarNumber(shown: 0) == nil)
        #expect(NovaStarNumber(wire: -1) == nil)
        #expect(NovaStarNumber(wire: Int.max) == nil)
        #expect(try number(9).wire == 8)
        #expect(NovaStarNumber(wire: 8) == (try number(9)))
    }

    @Test func everyRequestDecodesAsAProcessorReadsIt() throws {
        let requests: [NovaStarRequest] = [
            .heartbeat, .readiness, .loadPreset(screen: try number(3), preset: try number(128)), .brightness(screen: try number(1), percent: 0),
            .blackScreen(screen: try number(2), black: true), .blackScreen(screen: try number(2), black: false),
            .slotSignal(slot: try number(4)), .deviceDetails,
        ]
        for request in requests {
            let decoded = NovaStarRequest.decode(request.datagram)
            #expect(decoded.count == 1)
            #expect(try decoded.first?.get() == request)
        }
    }

    @Test func aProcessorNamesTheCommandItCannotRead() {
        let decoded = NovaStarRequest.decode(Array(#"[{"cmd":"W0605","screenId":0},{"cmd":"W9999"},{"screenId":0,"type":2,"cmd":"W0409"},{"x":1}]"#.utf8))
        let faults = decoded.map { result -> String in
            if case .failure(let fault) = result { return fault.description }
            return "decoded"
        }
        #expect(faults == [
            #"W0605: "presetId" missing or not a number from 0"#,
            "W9999: unknown command",
            #"W0409: "type" missing or neither 0 (black) nor 1 (picture)"#,
            #"?: a command object without "cmd""#,
        ])
        #expect(NovaStarRequest.decode(Array("{}".utf8)).count == 1)
        #expect(NovaStarRequest.decode([0xFF, 0x00]).count == 1)
    }

    @Test func repliesAreMatchedByCommandAndNeedAckOk() {
        #expect(read(#"[{"cmd":"W0120","ack":"Ok"}]"#, answering: .heartbeat) == .reply(.acknowledged(.heartbeat)))
        #expect(read(#" [ {"ack":"Ok","cmd":"W0605","deviceId":0} ] "#, answering: .loadPreset) == .reply(.acknowledged(.loadPreset)))
        #expect(read(#"[{"cmd":"W0605","ack":"Error"}]"#, answering: .loadPreset)
            == .refused(NovaStarFault(command: "W0605", reason: #"refused ("ack":"Error" instead of "ack":"Ok")"#)))
        #expect(read(#"[{"cmd":"W0410"}]"#, answering: .brightness)
            == .refused(NovaStarFault(command: "W0410", reason: #"refused (no "ack" instead of "ack":"Ok")"#)))
        #expect(read(#"[{"cmd":"W0120","ack":"Ok"}]"#, answering: .loadPreset) == .unrelated("a reply to W0120, not W0605"))
        #expect(read("garbage", answering: .heartbeat) == .unrelated("not JSON at byte 0: unexpected character"))
        #expect(read(#"{"cmd":"W0120","ack":"Ok"}"#, answering: .heartbeat) == .unrelated(#"not a reply: no JSON array whose first object has "cmd""#))
        #expect(read("[]", answering: .heartbeat) == .unrelated(#"not a reply: no JSON array whose first object has "cmd""#))
    }

    @Test func readinessAndSignalRepliesAreReadWithNumbersFromOne() throws {
        #expect(read(#"[{"cmd":"R0118","ack":"Ok","rate":100}]"#, answering: .readiness) == .reply(.readiness(rate: 100)))
        #expect(read(#"[{"cmd":"R0118","ack":"Ok"}]"#, answering: .readiness)
            == .refused(NovaStarFault(command: "R0118", reason: #"no "rate" in the reply"#)))
        let slot = NovaStarSlotSignals(slot: try number(2), interfaces: [
            NovaStarInterfaceSignal(interface: try number(1), signal: .connected),
            NovaStarInterfaceSignal(interface: try number(2), signal: .disconnected),
        ])
        #expect(read(#"[{"cmd":"R0102","ack":"Ok","slotId":1,"interfaces":[{"interfaceId":0,"iSignal":1},{"interfaceId":1,"iSignal":2}]}]"#,
                     answering: .slotSignal) == .reply(.slotSignals(slot)))
        #expect(read(#"[{"cmd":"R0102","ack":"Ok","slotId":1,"interfaces":[{"interfaceId":0,"iSignal":7}]}]"#, answering: .slotSignal)
            == .refused(NovaStarFault(command: "R0102", reason: #"interface 1 of slot 2: "iSignal" missing or not 0, 1 or 2"#)))
        // Only input cards (cardType 1) carry input signals.
        let details = #"[{"cmd":"R0100","ack":"Ok","slotList":[{"slotId":1,"cardType":1,"status":1,"interfaces":[{"interfaceId":0,"iSignal":1},{"interfaceId":1,"iSignal":2}]},{"slotId":5,"cardType":2,"status":1,"interfaces":[]}]}]"#
        #expect(read(details, answering: .deviceDetails) == .reply(.deviceSignals([slot])))
    }

    @Test func everyReplyReadsBackAsItWasSent() throws {
        let slot = NovaStarSlotSignals(slot: try number(1), interfaces: [NovaStarInterfaceSignal(interface: try number(3), signal: .noSource)])
        let replies: [NovaStarReply] = [
            .acknowledged(.heartbeat), .acknowledged(.loadPreset), .acknowledged(.brightness), .acknowledged(.blackScreen),
            .readiness(rate: 40), .slotSignals(slot), .deviceSignals([slot]),
        ]
        for reply in replies {
            #expect(NovaStarReply.read(reply.datagram, answering: reply.command) == .reply(reply))
        }
        #expect(read(String(decoding: NovaStarReply.refusal(of: "W0605"), as: UTF8.self), answering: .loadPreset)
            == .refused(NovaStarFault(command: "W0605", reason: #"refused ("ack":"Error" instead of "ack":"Ok")"#)))
    }

    @Test func jsonIsStrictAndKeepsKeyOrder() throws {
        let value = try JSONValue.parse(Array(#"{"b":[1,-2,3.5e1,true,false,null],"a":"\u4e2d\n\"\ud83d\ude91"}"#.utf8))
        #expect(value.serialized == #"{"b":[1,-2,35.0,true,false,null],"a":"中\n\"🚑"}"#)
        for bad in ["", "[", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"\\ud800\"", "\"\\x\"", "[1] 2", "\"\u{01}\"", "tru", "1e"] {
            #expect(throws: JSONSyntaxError.self, "\(bad.debugDescription)") { try JSONValue.parse(Array(bad.utf8)) }
        }
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError(offset: JSONValue.maximumDepth, reason: "nested deeper than \(JSONValue.maximumDepth)")) {
            try JSONValue.parse(Array(deep.utf8))
        }
    }

    /// Damaged replies (bytes flipped, cut, repeated) are read without a crash, and a reading
    /// names the command only when the damage left it intact.
    @Test func damagedRepliesNeverCrash() throws {
        let slot = NovaStarSlotSignals(slot: try number(1), interfaces: [NovaStarInterfaceSignal(interface: try number(1), signal: .connected)])
        let replies: [NovaStarReply] = [.acknowledged(.heartbeat), .readiness(rate: 100), .slotSignals(slot), .deviceSignals([slot])]
        var random = SeededGenerator(seed: 30)
        for _ in 0..<2_000 {
            let reply = try #require(replies.randomElement(using: &random))
            var bytes = reply.datagram
            switch Int.random(in: 0..<3, using: &random) {
            case 0: bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            default: bytes += bytes
            }
            for command in NovaStarCommand.allCases {
                if case .refused(let fault) = NovaStarReply.read(bytes, answering: command) {
                    #expect(fault.command == command.rawValue)
                }
            }
        }
    }
}
