import Glibc
import Testing
@testable import WallboardTransport
import WallboardTransportCore

@Suite("The shared I/O wait loop")
struct IOReactorTests {
    /// A non-blocking pipe, both ends owned.
    func pipe() throws -> (reader: Descriptor, writer: Descriptor) {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else { throw TransportError.system(errno, device: "pipe", operation: "pipe") }
        let reader = Descriptor(number: ends[0], device: "pipe reader")
        let writer = Descriptor(number: ends[1], device: "pipe writer")
        try Descriptor.makeNonBlocking(ends[0], device: reader.device)
        try Descriptor.makeNonBlocking(ends[1], device: writer.device)
        return (reader, writer)
    }

    @Test("waits time out in deadline order, and a ready descriptor wakes only its own waiter")
    func deadlinesAndReadiness() async throws {
        let pipes = try (0..<3).map { _ in try pipe() }
        async let late = pipes[0].reader.readAvailable(upTo: 1, deadline: Duration.seconds(30).fromNow)
        async let early = pipes[1].reader.readAvailable(upTo: 1, deadline: Duration.milliseconds(20).fromNow)
        async let soon = pipes[2].reader.readAvailable(upTo: 1, deadline: Duration.milliseconds(40).fromNow)
        #expect(try await early == [])
        #expect(try await soon == [])
        try await pipes[0].writer.writeAll([7], deadline: Duration.seconds(5).fromNow)
        #expect(try await late == [7])
    }

    @Test("a descriptor is woken at each wait, after a wait that timed out, and its number reused after closing is watched afresh")
    func wokenAgainAndAgain() async throws {
        let (reader, writer) = try pipe()
        for byte in UInt8(1)...3 {
            async let read = reader.readAvailable(upTo: 1, deadline: Duration.seconds(30).fromNow)
            try await Task.sleep(for: .milliseconds(5))
            try await writer.writeAll([byte], deadline: Duration.seconds(5).fromNow)
            #expect(try await read == [byte])
        }
        #expect(try await reader.readAvailable(upTo: 1, deadline: Duration.milliseconds(10).fromNow) == [])
        async let afterTimeout = reader.readAvailable(upTo: 1, deadline: Duration.seconds(30).fromNow)
        try await Task.sleep(for: .milliseconds(5))
        try await writer.writeAll([4], deadline: Duration.seconds(5).fromNow)
        #expect(try await afterTimeout == [4])
        reader.close()
        writer.close()

        // Linux hands out the lowest free numbers: most likely the two just closed.
        let (again, againWriter) = try pipe()
        defer { again.close(); againWriter.close() }
        async let fresh = again.readAvailable(upTo: 1, deadline: Duration.seconds(30).fromNow)
        try await Task.sleep(for: .milliseconds(5))
        try await againWriter.writeAll([5], deadline: Duration.seconds(5).fromNow)
        #expect(try await fresh == [5])
    }

    @Test("closing a descriptor fails its waiters instead of leaving them to a reused number")
    func abandonedOnClose() async throws {
        let (reader, writer) = try pipe()
        defer { writer.close() }
        let waiting = Task { try await reader.readAvailable(upTo: 1, deadline: Duration.seconds(600).fromNow) }
        // Let the wait register; if it has not yet, the read finds the descriptor closed instead.
        await Task.yield()
        reader.close()
        let error = await #expect(throws: TransportError.self) { try await waiting.value }
        #expect(error?.kind == .notOpen)
    }

    @Test("a cancelled wait ends at once with CancellationError")
    func cancellation() async throws {
        let (reader, writer) = try pipe()
        defer { writer.close() }
        let waiting = Task { try await reader.readAvailable(upTo: 1, deadline: Duration.seconds(600).fromNow) }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }

    @Test("a file epoll cannot watch counts as ready, so the read itself reports on it")
    func unwatchable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let number = open("\(directory.path)/plain", O_RDWR | O_CREAT, 0o600)
        #expect(number >= 0)
        let file = Descriptor(number: number, device: "plain file")
        let readiness = try await IOReactor.shared.wait(for: .readable, on: file.number,
                                                        until: Duration.seconds(600).fromNow)
        #expect(readiness == .ready)
        file.close()
    }

    @Test("the deadline heap gives the earliest live deadline and sweeps dead entries")
    func heap() {
        var heap = DeadlineHeap()
        let start = ContinuousClock.now
        for (offset, id) in [(5, 1), (1, 2), (3, 3), (4, 4), (2, 5)] as [(Int, UInt64)] {
            heap.insert(start.advanced(by: .seconds(offset)), id: id)
        }
        #expect(heap.earliest { $0 != 2 } == start.advanced(by: .seconds(2)))
        var expired: [UInt64] = []
        while let id = heap.popExpired(at: start.advanced(by: .seconds(4))) { expired.append(id) }
        #expect(expired == [5, 3, 4])
        heap.removeAll { $0 == 1 }
        #expect(heap.count == 0)
    }
}
