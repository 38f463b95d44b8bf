import Synchronization
import Testing
import WallboardTestKit
@testable import WallboardTransport
import WallboardTransportCore

@Suite("Delivery over the recording transport")
struct BoardLinkRecordingTests {
    let frame: [UInt8] = [0xC9, 0xDA, 0x00, 0x03, 0xFF, 0x00, 0x00, 0x36]

    @Test("an acknowledged frame is delivered once and counted")
    func acknowledged() async throws {
        let transport = RecordingTransport { _ in [0xAC] }
        let link = BoardLink(name: "door-1", transport: transport, replies: AckByteInterpreter(), policy: fastPolicy)
        #expect(await link.send(frame) == .delivered(attempts: 1))
        #expect(await link.send(frame) == .delivered(attempts: 1))
        let status = await link.status
        #expect(status.health == .ok)
        #expect(status.bytesSent == 2 * frame.count)
        #expect(status.framesDelivered == 2)
        #expect(status.retries == 0)
        #expect(await transport.writes == [frame, frame])
        #expect(await transport.openCount == 1)
    }

    @Test("each frame's answer is read as a reply, after one plain read that drops stale input")
    func replyReadAfterDrain() async throws {
        let transport = RecordingTransport { _ in [0xAC] }
        let link = BoardLink(name: "door-1", transport: transport, replies: AckByteInterpreter(), policy: fastPolicy)
        #expect(await link.send(frame) == .delivered(attempts: 1))
        #expect(await link.send(frame) == .delivered(attempts: 1))
        #expect(await transport.reads == [.plain, .reply, .plain, .reply])
    }

    @Test("a board that never answers is retried, then reported as no reply")
    func noReply() async throws {
        let transport = RecordingTransport()
        let link = BoardLink(name: "door-2", transport: transport, replies: AckByteInterpreter(), policy: fastPolicy)
        #expect(await link.send(frame) == .failed(.noReply, attempts: 2))
        let status = await link.status
        #expect(status.health == .noReply)
        #expect(status.framesFailed == 1)
        #expect(status.retries == 1)
        #expect(status.bytesSent == 2 * frame.count)
        #expect(status.lastError?.contains("recording: no reply") == true)
        #expect(await transport.writes.count == 2)
    }

    @Test("a NACK worth retrying is retried; one that is not stops at once")
    func rejected() async throws {
        let answers = Answers([[0x15, 0x05], [0xAC]])
        let retried = RecordingTransport { _ in answers.next() }
        let link = BoardLink(name: "door-3", transport: retried, replies: AckByteInterpreter(), policy: fastPolicy)
        #expect(await link.send(frame) == .delivered(attempts: 2))
        #expect(await link.status.retries == 1)

        let refusing = RecordingTransport { _ in [0x15, 0x0C] }
        let stubborn = BoardLink(name: "door-4", transport: refusing, replies: AckByteInterpreter(), policy: fastPolicy)
        let refusal = BoardError(code: 12, meaning: "refused", isRetryable: false)
        #expect(await stubborn.send(frame) == .failed(.rejected(refusal), attempts: 1))
        #expect(await stubborn.status.health == .rejected(refusal))
        #expect(await stubborn.status.lastError?.contains("error 12: refused") == true)
        #expect(await refusing.writes.count == 1)
    }

    @Test("garbage is reported as a bad reply with the bytes, and stale input is dropped before the next frame")
    func garbage() async throws {
        let answers = Answers([[0x47, 0x41, 0x52], [0xAC]])
        let transport = RecordingTransport { _ in answers.next() }
        let policy = DeliveryPolicy(replyTimeout: .seconds(10), maxAttempts: 1)
        let link = BoardLink(name: "door-5", transport: transport, replies: AckByteInterpreter(), policy: policy)
        #expect(await link.send(frame) == .failed(.badReply, attempts: 1))
        #expect(await link.status.lastError?.contains("47 41 52") == true)

        // Noise that arrives between frames must not count as the next frame's answer.
        await transport.receive([0x15])
        #expect(await link.send(frame) == .delivered(attempts: 1))
    }

    @Test("an unplugged board reads as disconnected, and is used again once plugged back")
    func unplugged() async throws {
        let transport = RecordingTransport { _ in [0xAC] }
        let link = BoardLink(name: "door-6", transport: transport, replies: AckByteInterpreter(), policy: fastPolicy)
        #expect(await link.send(frame) == .delivered(attempts: 1))
        await transport.unplug()
        #expect(await link.send(frame) == .failed(.disconnected, attempts: 2))
        #expect(await link.status.lastError?.contains("unplugged") == true)
        await transport.plug()
        #expect(await link.send(frame) == .delivered(attempts: 1))
        #expect(await transport.openCount == 2)
        let status = await link.status
        #expect(status.health == .ok)
        #expect(status.consecutiveFailures == 0)
        #expect(status.framesFailed == 1)
    }

    @Test("boards without replies are done when the frame is written")
    func noReplyExpected() async throws {
        let transport = RecordingTransport()
        let link = BoardLink(name: "alpha-1", transport: transport, replies: nil, policy: fastPolicy)
        #expect(await link.send(frame) == .delivered(attempts: 1))
        let withReplies = BoardLink(name: "bx-broadcast", transport: RecordingTransport(),
                                    replies: AckByteInterpreter(), policy: fastPolicy)
        #expect(await withReplies.send(frame, expectReply: false) == .delivered(attempts: 1))
    }

    @Test("concurrent sends to one board go one after the other, never interleaved")
    func sendsTakeTurns() async throws {
        let transport = RecordingTransport()
        let link = BoardLink(name: "door-7", transport: transport, replies: AckByteInterpreter(), policy: fastPolicy)
        async let first = link.send([1])
        async let second = link.send([2])
        #expect(await [first, second] == [.failed(.noReply, attempts: 2), .failed(.noReply, attempts: 2)])
        let writes = await transport.writes
        #expect(writes == [[1], [1], [2], [2]] || writes == [[2], [2], [1], [1]])
    }

    @Test("a reply already waiting is read even when the reply timeout has run out (a task that ran late)")
    func lateTaskStillReadsReply() async throws {
        let transport = RecordingTransport { _ in [0xAC] }
        let link = BoardLink(name: "door-8", transport: transport, replies: AckByteInterpreter(),
                             policy: DeliveryPolicy(replyTimeout: .zero, maxAttempts: 1))
        #expect(await link.send([1]) == .delivered(attempts: 1))
    }

    @Test("backoff doubles up to its cap")
    func backoff() {
        let policy = DeliveryPolicy(maxAttempts: 6, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(350))
        #expect((2...6).map { policy.backoff(beforeAttempt: $0) }
            == [.milliseconds(100), .milliseconds(200), .milliseconds(350), .milliseconds(350), .milliseconds(350)])
    }
}

/// Answers in order, then silence.
final class Answers: Sendable {
    private let remaining: Mutex<[[UInt8]]>

    init(_ answers: [[UInt8]]) { remaining = Mutex(answers) }

    func next() -> [UInt8] {
        remaining.withLock { $0.isEmpty ? [] : $0.removeFirst() }
    }
}
