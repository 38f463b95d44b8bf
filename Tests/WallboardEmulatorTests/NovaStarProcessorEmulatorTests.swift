import Testing
import WallboardProtocols
@testable import WallboardEmulator

@Suite struct NovaStarProcessorEmulatorTests {
    private func number(_ shown: Int) throws -> NovaStarNumber { try #require(NovaStarNumber(shown: shown)) }

    private func ask(_ processor: NovaStarProcessorEmulator, _ request: NovaStarRequest) async -> NovaStarReplyReading? {
        let answers = await processor.receive(datagram: request.datagram)
        return answers.first.map { NovaStarReply.read($0, answering: request.command) }
    }

    @Test func carriesOutPresetsBrightnessAndBlackScreen() async throws {
        let processor = NovaStarProcessorEmulator(screens: 2, presets: 10)
        #expect(await ask(processor, .heartbeat) == .reply(.acknowledged(.heartbeat)))
        #expect(await ask(processor, .readiness) == .reply(.readiness(rate: 100)))
        #expect(await ask(processor, .loadPreset(screen: try number(2), preset: try number(9))) == .reply(.acknowledged(.loadPreset)))
        #expect(await ask(processor, .brightness(screen: try number(2), percent: 30)) == .reply(.acknowledged(.brightness)))
        #expect(await ask(processor, .blackScreen(screen: try number(2), black: true)) == .reply(.acknowledged(.blackScreen)))
        let screen = try #require(await processor.screens[try number(2)])
        #expect(screen.preset == (try number(9)))
        #expect(screen.brightness == 30)
        #expect(screen.black)
        #expect(await processor.screens[try number(1)]?.preset == nil)
        #expect(await processor.count { if case .loadPreset = $0 { true } else { false } } == 1)
    }

    @Test func refusesAnUnknownScreenPresetSlotOrCommand() async throws {
        let processor = NovaStarProcessorEmulator(screens: 1, presets: 4, slots: 1)
        #expect(await ask(processor, .loadPreset(screen: try number(1), preset: try number(5)))
            == .refused(NovaStarFault(command: "W0605", reason: #"refused ("ack":"Error" instead of "ack":"Ok")"#)))
        #expect(await ask(processor, .brightness(screen: try number(3), percent: 50))
            == .refused(NovaStarFault(command: "W0410", reason: #"refused ("ack":"Error" instead of "ack":"Ok")"#)))
        #expect(await ask(processor, .slotSignal(slot: try number(2)))
            == .refused(NovaStarFault(command: "R0102", reason: #"refused ("ack":"Error" instead of "ack":"Ok")"#)))
        let unknown = await processor.receive(datagram: Array(#"[{"cmd":"W0700","blackout":1,"deviceId":0}]"#.utf8))
        #expect(unknown.map { String(decoding: $0, as: UTF8.self) } == [#"[{"cmd":"W0700","ack":"Error"}]"#])
        #expect(await processor.journal.map(\.description) == [
            "refused W0605: no preset 5 on screen 1", "refused W0410: no screen 3", "refused R0102: no input card in slot 2",
            "refused W0700: unknown command",
        ])
        #expect(await processor.screens[try number(1)]?.preset == nil)
    }

    @Test func answersEachCommandOfABatch() async throws {
        let processor = NovaStarProcessorEmulator()
        let batch = #"[{"screenId":0,"presetId":1,"cmd":"W0605","deviceId":0},{"screenId":0,"type":0,"cmd":"W0409","deviceId":0}]"#
        let answers = await processor.receive(datagram: Array(batch.utf8))
        #expect(answers.map { String(decoding: $0, as: UTF8.self) } == [#"[{"cmd":"W0605","ack":"Ok"}]"#, #"[{"cmd":"W0409","ack":"Ok"}]"#])
        #expect(await processor.screens[try number(1)]?.black == true)
    }

    @Test func reportsInputSignalsAsATestSetsThem() async throws {
        let processor = NovaStarProcessorEmulator(slots: 2, interfaces: 2)
        await processor.setSignal(.disconnected, slot: try number(2), interface: try number(1))
        let slot = NovaStarSlotSignals(slot: try number(2), interfaces: [
            NovaStarInterfaceSignal(interface: try number(1), signal: .disconnected),
            NovaStarInterfaceSignal(interface: try number(2), signal: .connected),
        ])
        #expect(await ask(processor, .slotSignal(slot: try number(2))) == .reply(.slotSignals(slot)))
        guard case .reply(.deviceSignals(let slots)) = await ask(processor, .deviceDetails) else {
            Issue.record("no device details")
            return
        }
        #expect(slots.map(\.slot) == [try number(1), try number(2)])
        #expect(slots.last == slot)
    }

    @Test func staysSilentWhenToldOrWhenItHasNoSignalQueries() async throws {
        let processor = NovaStarProcessorEmulator()
        await processor.setAnswering(false)
        #expect(await processor.receive(datagram: NovaStarRequest.heartbeat.datagram).isEmpty)
        #expect(await processor.journal == [.ignored(.heartbeat)])
        await processor.setAnswering(true)
        #expect(await ask(processor, .heartbeat) == .reply(.acknowledged(.heartbeat)))

        let older = NovaStarProcessorEmulator(answersSignalQueries: false)
        #expect(await older.receive(datagram: NovaStarRequest.slotSignal(slot: try number(1)).datagram).isEmpty)
        #expect(await older.receive(datagram: NovaStarRequest.deviceDetails.datagram).isEmpty)
    }

    @Test func saysWhileStartingThatItIsNotReady() async {
        let processor = NovaStarProcessorEmulator()
        await processor.setReadinessRate(40)
        #expect(await ask(processor, .readiness) == .reply(.readiness(rate: 40)))
    }
}
