import Testing
import WallboardEmulator
import WallboardProtocols
import WallboardTestKit
import WallboardTransport
import WallboardTransportCore
import WallboardProcessors

/// The link against the emulated processor over real UDP on loopback, with the standard timing
/// scaled down so that three missed heartbeats take a second, not ten.
@Suite struct NovaStarLinkTests {
    static let fast = NovaStarLink.Timing(heartbeat: .milliseconds(200), reply: .milliseconds(100),
                                          readinessRetry: .milliseconds(300), signalPoll: .milliseconds(200))

    private static func number(_ shown: Int) throws -> NovaStarNumber { try #require(NovaStarNumber(shown: shown)) }

    /// Serves `device` on a loopback port and runs a link to it for the length of `body`.
    private func withLink(
        to device: any ServedDatagramDevice, watching input: NovaStarInput? = nil,
        _ body: (NovaStarLink) async throws -> Void
    ) async throws {
        let server = try UDPDeviceServer(device: device)
        let link = try NovaStarLink(processor: try UDPPeer(host: "127.0.0.1", port: server.port), screen: try Self.number(1),
                                    watching: input, timing: Self.fast)
        let serving = Task { try await server.run() }
        let running = Task { await link.run() }
        defer {
            running.cancel()
            serving.cancel()
            server.close()
        }
        try await body(link)
    }

    private static func isReady(_ link: NovaStarLink) async -> Bool? {
        let status = await link.status
        return status.online && status.ready ? true : nil
    }

    @Test func standardTimingMeetsTheCentresBounds() {
        #expect(NovaStarLink.Timing.standard.offlineAfter <= .seconds(10))
        #expect(NovaStarLink.Timing.standard.signalPoll + NovaStarLink.Timing.standard.reply <= .seconds(5))
        #expect(NovaStarLink.Timing.standard.heartbeat == .seconds(3))
    }

    @Test func goesOfflineWhenTheProcessorStopsAnsweringAndComesBackReady() async throws {
        let processor = NovaStarProcessorEmulator()
        try await withLink(to: processor) { link in
            try await eventually("online and ready") { await Self.isReady(link) }
            #expect(await processor.count { $0 == .readiness } == 1)

            await processor.setAnswering(false)
            let stopped = ContinuousClock.now
            try await eventually("offline", within: .seconds(3)) { await link.status.online ? nil : true }
            let took = ContinuousClock.now - stopped
            #expect(took <= Self.fast.offlineAfter + Self.fast.heartbeat, "offline after \(took)")
            #expect(took >= Self.fast.heartbeat * 2, "offline after \(took): before three misses")
            #expect(await link.status.ready == false)

            await processor.setAnswering(true)
            try await eventually("online and ready again") { await Self.isReady(link) }
            #expect(await processor.count { $0 == .readiness } == 2, "readiness asked again after the reconnection")
        }
    }

    @Test func asksReadinessAgainUntilTheProcessorHasStarted() async throws {
        let processor = NovaStarProcessorEmulator()
        await processor.setReadinessRate(60)
        try await withLink(to: processor) { link in
            try await eventually("readiness asked twice") { await processor.count { $0 == .readiness } >= 2 ? true : nil }
            #expect(await link.status.online)
            #expect(await link.status.ready == false)
            await processor.setReadinessRate(100)
            try await eventually("ready") { await link.status.ready ? true : nil }
        }
    }

    @Test func commandsReachTheProcessorExactlyOnce() async throws {
        let processor = NovaStarProcessorEmulator(presets: 10)
        try await withLink(to: processor) { link in
            try await eventually("online") { await link.status.online ? true : nil }
            try await link.loadPreset(try Self.number(9))
            try await link.setBrightness(35)
            try await link.setBlackScreen(true)
            let screen = try #require(await processor.screens[try Self.number(1)])
            #expect(screen.preset == (try Self.number(9)))
            #expect(screen.brightness == 35)
            #expect(screen.black)
            #expect(await processor.count { if case .loadPreset = $0 { true } else { false } } == 1)
            try await link.setBlackScreen(false)
            #expect(await processor.screens[try Self.number(1)]?.black == false)
        }
    }

    @Test func aRefusedPresetIsAFaultNamingTheCommand() async throws {
        let processor = NovaStarProcessorEmulator(presets: 4)
        try await withLink(to: processor) { link in
            try await eventually("online") { await link.status.online ? true : nil }
            let error = await #expect(throws: NovaStarLink.CommandError.self) { try await link.loadPreset(try Self.number(5)) }
            #expect(error?.description == #"the processor refused W0605: refused ("ack":"Error" instead of "ack":"Ok")"#)
            #expect(await link.status.lastFault?.command == "W0605")
            #expect(await link.status.online)
        }
    }

    @Test func aCommandToASilentProcessorSaysNoReply() async throws {
        let processor = NovaStarProcessorEmulator()
        await processor.setAnswering(false)
        try await withLink(to: processor) { link in
            let error = await #expect(throws: NovaStarLink.CommandError.self) { try await link.setBrightness(10) }
            #expect(error == .noReply(.brightness, processor: link.processor.description))
        }
    }

    @Test func aLostInputSignalIsReportedAndClearedWhenRestored() async throws {
        let processor = NovaStarProcessorEmulator(slots: 2, interfaces: 4)
        let input = NovaStarInput(slot: try Self.number(2), interface: try Self.number(3))
        try await withLink(to: processor, watching: input) { link in
            try await eventually("signal present") { await link.status.signal == .present ? true : nil }
            await processor.setSignal(.disconnected, slot: input.slot, interface: input.interface)
            try await eventually("signal lost", within: .seconds(1)) { await link.status.signal == .lost(.disconnected) ? true : nil }
            await processor.setSignal(.connected, slot: input.slot, interface: input.interface)
            try await eventually("signal back", within: .seconds(1)) { await link.status.signal == .present ? true : nil }
        }
    }

    @Test func aProcessorWithoutSignalQueriesIsReportedAsNotSupporting() async throws {
        let processor = NovaStarProcessorEmulator(answersSignalQueries: false)
        let input = NovaStarInput(slot: try Self.number(1), interface: try Self.number(1))
        try await withLink(to: processor, watching: input) { link in
            try await eventually("not supported") { await link.status.signal == .notSupported ? true : nil }
            #expect(await link.status.online)
            #expect(NovaStarLink.SignalState.notSupported.description == "not supported by this processor")
        }
    }

    /// Answers every command with garbage, then a reply to another command, then a refusal.
    actor BadlyAnsweringProcessor: ServedDatagramDevice {
        func receive(datagram: [UInt8]) async -> [[UInt8]] {
            let name = NovaStarRequest.decode(datagram).first.flatMap { try? $0.get().command.rawValue } ?? "?"
            return [[0xFF, 0x7B, 0x00], Array(#"[{"cmd":"W9999","ack":"Ok"}]"#.utf8), NovaStarReply.refusal(of: name)]
        }
    }

    @Test func badRepliesAreIgnoredOrNamedFaultsNeverACrash() async throws {
        try await withLink(to: BadlyAnsweringProcessor()) { link in
            try await eventually("a named fault") { await link.status.lastFault?.command == "W0120" ? true : nil }
            #expect(await link.status.online, "it answers, however badly")
            #expect(await link.status.ignoredDatagrams >= 2)
            #expect(await link.status.lastFault?.description == #"W0120: refused ("ack":"Error" instead of "ack":"Ok")"#)
        }
    }
}
