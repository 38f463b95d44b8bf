import Testing
import WallboardDrivers
import WallboardProtocols
import WallboardTestKit
import WallboardTransport

/// Which refusals are sent again is each protocol's own rule, not Onbon's `code == 5` for all.
@Suite struct ReplyRuleTests {
    static let policy = DeliveryPolicy(replyTimeout: .milliseconds(200), maxAttempts: 3, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(1))

    static func writes(_ name: String, answering answer: [UInt8]) async throws -> Int {
        let interpreter = try #require(BoardProtocols.model(named: name)?.replyInterpreter)
        let transport = RecordingTransport { _ in answer }
        let link = BoardLink(name: name, transport: transport, replies: interpreter, policy: policy)
        _ = await link.send([0x01])
        return await transport.writes.count
    }

    @Test func anAlphaSignsLineErrorsAreRetriedAndAnIllegalCommandIsNot() async throws {
        // NAK status 0x50: checksum error; 0x45: timeout and parity; 0x60: illegal command or label.
        #expect(try await Self.writes("alpha", answering: [0x15, 0x50]) == 3)
        #expect(try await Self.writes("alpha", answering: [0x15, 0x45]) == 3)
        #expect(try await Self.writes("alpha", answering: [0x15, 0x60]) == 1)
    }

    @Test func anOnbonCardRetriesABadChecksumAndABusyControllerOnly() async throws {
        let header = OnbonFontCardHeader(destination: 0x0001, source: 0x8000, displayMode: 0, deviceType: 0xFE, protocolVersion: 2, dataLength: 5)
        #expect(try await Self.writes("bx5k", answering: OnbonFontCard.reply(to: header, error: .checksum)) == 3)
        #expect(try await Self.writes("bx5k", answering: OnbonFontCard.reply(to: header, error: .busy)) == 3)
        #expect(try await Self.writes("bx5k", answering: OnbonFontCard.reply(to: header, error: .fontMissing)) == 1)
    }

    @Test func aCPowerCardRetriesABadChecksumOnly() async throws {
        #expect(try await Self.writes("cpower", answering: CPower.reply(command: 0x7B, cardID: 1, confirm: 1, returnCode: CPower.ReturnCode.checksum, framing: .serial)) == 3)
        #expect(try await Self.writes("cpower", answering: CPower.reply(command: 0x7B, cardID: 1, confirm: 1, returnCode: CPower.ReturnCode.windowOutOfRange, framing: .serial)) == 1)
        #expect(try await Self.writes("cpower", answering: CPower.reply(command: 0x7B, cardID: 1, confirm: 1, returnCode: 0, framing: .network(idCode: CPower.defaultIDCode))) == 1)
    }
}
