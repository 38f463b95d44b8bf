import Foundation
import GRDB
import Logging
import Testing
import WallboardConfig
import WallboardEmulator
import WallboardProcessors
import WallboardProtocols
import WallboardSupport
import WallboardTestKit
import WallboardTransport
import WallboardTransportCore
@testable import WallboardService

/// A NovaStar processor driven by the service: the emulator on a loopback UDP port, the dispatch
/// state in a fresh SQLite file, commits made as a dispatch system makes them.
@Suite(.serialized) struct ProcessorServiceTests {
    static let fast = NovaStarLink.Timing(heartbeat: .milliseconds(200), reply: .milliseconds(100),
                                          readinessRetry: .milliseconds(300), signalPoll: .milliseconds(200))

    static func number(_ shown: Int) throws -> NovaStarNumber { try #require(NovaStarNumber(shown: shown)) }

    /// A processor that says more than asked: garbage and a reply to another command before each answer.
    struct ChattyProcessor: ServedDatagramDevice {
        let processor: NovaStarProcessorEmulator

        func receive(datagram: [UInt8]) async -> [[UInt8]] {
            let other = NovaStarReply.acknowledged(.brightness).datagram
            return [Array("\u{0}{not json".utf8), other, Array(#"[{"cmd":"W0605","ack":"Ok""#.utf8)] + (await processor.receive(datagram: datagram))
        }
    }

    /// The dispatch database with no active incident, and a way to commit and close one.
    struct Incidents {
        let database: DemoDatabase

        init(directory: TemporaryDirectory) async throws {
            database = try await DemoDatabase(directory: directory)
            let queue = try DatabaseQueue(path: database.path)
            try await queue.write { db in
                try db.execute(sql: "UPDATE incidents SET closed_at = ? WHERE closed_at IS NULL", arguments: [Date().timeIntervalSince1970])
            }
        }

        func open(_ id: String, category: String = "成批伤员", casualties: Int = 5, priority: Int = 2) async throws {
            let queue = try DatabaseQueue(path: database.path)
            let now = Date().timeIntervalSince1970
            try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO incidents (id, received_at, answered_at, priority, category, complaint, incident_address, pickup_address, casualties)
                    VALUES (?, ?, ?, ?, ?, '多人受伤', '测试路1号', '测试路1号东门', ?)
                    """, arguments: [id, now - 60, now - 55, priority, category, casualties])
            }
        }

        func setCasualties(_ id: String, _ casualties: Int) async throws {
            let queue = try DatabaseQueue(path: database.path)
            try await queue.write { db in
                try db.execute(sql: "UPDATE incidents SET casualties = ? WHERE id = ?", arguments: [casualties, id])
            }
        }

        /// Closes the incident; `vehicleStillOnIt`: a vehicle still works it (returning from the
        /// scene), so the snapshot still holds the closed incident, which must hold no preset.
        func close(_ id: String, vehicleStillOnIt: Bool = false) async throws {
            let queue = try DatabaseQueue(path: database.path)
            try await queue.write { db in
                if vehicleStillOnIt {
                    try db.execute(sql: "UPDATE vehicles SET incident_id = ? WHERE id = (SELECT id FROM vehicles ORDER BY id LIMIT 1)", arguments: [id])
                }
                try db.execute(sql: "UPDATE incidents SET closed_at = ? WHERE id = ?", arguments: [Date().timeIntervalSince1970, id])
            }
        }
    }

    /// A service with one browser board and the processor `wall-splicer` at `port`; `extra` goes
    /// under the processor's entry (rules, brightness).
    static func service(
        database: String, directory: TemporaryDirectory, port: UInt16, extra: String = "", timing: NovaStarLink.Timing = fast,
        wallClock: (@Sendable () -> Date)? = nil
    ) throws -> WallboardService {
        let config = try configuration(database: database, directory: directory, boards: """
              - id: wall
                layout: \(TemporaryDirectory.layoutsDirectory.path)/wall-384x192-rgb.yaml
                transport: browser
            processors:
              - id: wall-splicer
                kind: novastar-h
                address: 127.0.0.1:\(port)
                screen: 1
                presets: {normal: 5, massCasualty: 9, spare: 3, busy: 4}
                signal: {slot: 1, interface: 1}
            \(extra)
            """)
        if let wallClock {
            return try WallboardService(configuration: config, source: nil, logger: Logger(label: "test"), wallClock: wallClock,
                                        processorTiming: timing) { _, _ in nil }
        }
        return try WallboardService(configuration: config, processorTiming: timing)
    }

    /// Runs `body` with the service running and driving the processor `wall-splicer`, served on a
    /// loopback port (through `front` when a test puts something in front of it), and the incidents
    /// to commit in a fresh database.
    static func withProcessorService(
        extra: String = "", timing: NovaStarLink.Timing = fast, wallClock: (@Sendable () -> Date)? = nil,
        front: @Sendable (NovaStarProcessorEmulator) -> any ServedDatagramDevice = { $0 },
        _ body: @Sendable (NovaStarProcessorEmulator, Incidents, WallboardService, ProcessorMonitor) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let incidents = try await Incidents(directory: directory)
        let processor = NovaStarProcessorEmulator()
        try await serving(front(processor)) { port in
            let service = try Self.service(
                database: incidents.database.path, directory: directory, port: port, extra: extra, timing: timing, wallClock: wallClock
            )
            try await withRunningBoards(service) {
                try await body(processor, incidents, service, try #require(service.processorMonitor(id: "wall-splicer")))
            }
        }
    }

    /// Serves `device` on a loopback port for the length of `body`.
    static func serving<T: Sendable>(_ device: any ServedDatagramDevice, _ body: @Sendable (UInt16) async throws -> T) async throws -> T {
        let server = try UDPDeviceServer(device: device)
        let task = Task { try await server.run() }
        defer {
            task.cancel()
            server.close()
        }
        return try await body(server.port)
    }

    static func shownPreset(_ processor: NovaStarProcessorEmulator) async throws -> Int? {
        await processor.screens[try number(1)]?.preset?.shown
    }

    static func presetLoads(_ processor: NovaStarProcessorEmulator) async -> Int {
        await processor.count { if case .loadPreset = $0 { true } else { false } }
    }

    /// The brightness levels the processor was sent, in order.
    static func brightness(_ processor: NovaStarProcessorEmulator) async -> [Int] {
        await processor.journal.compactMap { if case .carried(.brightness(_, let percent)) = $0 { percent } else { nil } }
    }

    /// Each black screen command the processor was sent: true for black.
    static func black(_ processor: NovaStarProcessorEmulator) async -> [Bool] {
        await processor.journal.compactMap { if case .carried(.blackScreen(_, let black)) = $0 { black } else { nil } }
    }

    @Test func aMassCasualtyIncidentLoadsTheEmergencyPresetOnceAndNormalWhenItCloses() async throws {
        try await Self.withProcessorService { processor, incidents, service, monitor in
            try await eventually("the wall on the normal preset") { try await Self.shownPreset(processor) == 5 }
            #expect(await Self.presetLoads(processor) == 1)

            try await incidents.open("MASS-1")
            let committed = ContinuousClock.now
            try await eventually("the wall on the mass-casualty preset", within: .seconds(5)) { try await Self.shownPreset(processor) == 9 }
            let took = ContinuousClock.now - committed
            #expect(took <= .seconds(1), "massCasualty loaded \(took) after the commit")

            // More casualties, a second mass-casualty incident: the condition still holds, nothing is sent.
            try await incidents.setCasualties("MASS-1", 8)
            try await incidents.open("MASS-2", category: "车祸", casualties: 4)
            try await eventually("both commits read") {
                let snapshot = service.feed.current.state.snapshot
                return snapshot?.incident(id: "MASS-1")?.casualties == 8 && snapshot?.incident(id: "MASS-2") != nil
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(await Self.presetLoads(processor) == 2)

            try await incidents.close("MASS-1", vehicleStillOnIt: true)
            try await incidents.close("MASS-2")
            try await eventually("back on the normal preset") { try await Self.shownPreset(processor) == 5 }
            try await Task.sleep(for: .milliseconds(500))
            let journal = await processor.journal
            #expect(await Self.presetLoads(processor) == 3, "normal once, massCasualty once, normal once: \(journal)")
            let report = monitor.report
            #expect(report.preset == "normal" && report.presetLoads == 3 && report.status == .ok)
        }
    }

    @Test func rulesInTheConfigurationChooseThePresetFirstMatchFirst() async throws {
        try await Self.withProcessorService(extra: """
                    rules:
                      - {preset: massCasualty, when: massCasualty}
                      - {preset: busy, when: criticalIncident}
                """) { processor, incidents, service, monitor in
            try await eventually("the wall on the normal preset") { try await Self.shownPreset(processor) == 5 }
            try await incidents.open("CRIT-1", category: "疾病", casualties: 1, priority: 1)
            try await eventually("a critical incident: busy") { try await Self.shownPreset(processor) == 4 }
            try await incidents.open("MASS-1", casualties: 6, priority: 1)
            try await eventually("mass casualties come first") { try await Self.shownPreset(processor) == 9 }
            try await incidents.close("MASS-1")
            try await eventually("the critical incident still open: busy") { try await Self.shownPreset(processor) == 4 }
        }
    }

    @Test func offlineWithinTenSecondsOnTheRealTimingAndReportedInHealth() async throws {
        try await Self.withProcessorService(timing: .standard) { processor, incidents, service, monitor in
            try await eventually("online, on the normal preset") { monitor.report.online && monitor.report.preset == "normal" }
            #expect(service.health(now: Date()).status == .ok)

            await processor.setAnswering(false)
            let stopped = ContinuousClock.now
            try await eventually("offline", within: .seconds(12)) { monitor.report.status == .failing }
            let took = ContinuousClock.now - stopped
            #expect(took <= .seconds(10), "offline after \(took)")
            let health = service.health(now: Date())
            #expect(health.status == .failing && health.processorsFailing == ["wall-splicer"])
            let reported = try #require(health.processors.first)
            #expect(!reported.online && reported.preset == nil)
            #expect(reported.lastFault?.hasPrefix("W0120") == true, "\(reported.lastFault ?? "no fault")")
        }
    }

    @Test func whenTheProcessorComesBackTheWantedPresetIsLoadedAgain() async throws {
        try await Self.withProcessorService { processor, incidents, service, monitor in
            try await eventually("the wall on the normal preset") { try await Self.shownPreset(processor) == 5 }
            await processor.setAnswering(false)
            try await eventually("offline", within: .seconds(3)) { !monitor.report.online }
            // While it is away, the incident opens: it is loaded when the processor answers again.
            try await incidents.open("MASS-1")
            try await Task.sleep(for: .milliseconds(300))
            #expect(await Self.presetLoads(processor) == 1)
            await processor.setAnswering(true)
            try await eventually("back and on the mass-casualty preset", within: .seconds(3)) { try await Self.shownPreset(processor) == 9 }
            try await eventually("the load acknowledged") { monitor.report.preset == "massCasualty" }
            #expect(monitor.report.status == .ok)
            let events = monitor.events(now: Date())
            #expect(events.map(\.status).prefix(3) == [.ok, .failing, .ok], "\(events)")
        }
    }

    @Test func aLostSignalOnTheWallPCsInputIsAFaultUntilItReturns() async throws {
        try await Self.withProcessorService { processor, incidents, service, monitor in
            try await eventually("signal present") { monitor.report.signal == "present" }
            await processor.setSignal(.noSource, slot: try Self.number(1), interface: try Self.number(1))
            let lost = ContinuousClock.now
            try await eventually("a fault", within: .seconds(5)) { monitor.report.status == .failing }
            #expect(ContinuousClock.now - lost <= .seconds(5))
            let report = monitor.report
            #expect(report.signal == "lost (no source)" && report.online)
            #expect(report.lastFault?.hasPrefix("R0102") == true && report.lastFault?.contains("slot 1 interface 1") == true, "\(report.lastFault ?? "")")
            #expect(service.health(now: Date()).processorsFailing == ["wall-splicer"])
            #expect(service.metrics.registry.emitToString().contains(#"wallboard_processor_signal_lost{processor="wall-splicer"} 1"#))

            await processor.setSignal(.connected, slot: try Self.number(1), interface: try Self.number(1))
            try await eventually("cleared", within: .seconds(5)) { monitor.report.status == .ok }
            #expect(monitor.report.signal == "present" && service.health(now: Date()).status == .ok)
        }
    }

    @Test func theNightScheduleDimsAndBlacksOutAtItsMinutes() async throws {
        let zone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let calendar = Calendar.gregorian(in: zone)
        let evening = try #require(calendar.date(from: DateComponents(year: 2026, month: 12, day: 5, hour: 21, minute: 59, second: 50)))
        let clock = Locked(evening)
        try await Self.withProcessorService(extra: """
                    brightness: [{from: "07:00", level: 1}, {from: "22:00", level: 0.3}, {from: "01:00", level: off}]
                """, wallClock: { clock.withLock { $0 } }) { processor, incidents, service, monitor in
            try await eventually("the day's level and the picture on") {
                let (brightness, black) = (await Self.brightness(processor), await Self.black(processor))
                return brightness == [100] && black == [false]
            }
            clock.withLock { $0 = evening.addingTimeInterval(9) }
            try await Task.sleep(for: .milliseconds(300))
            #expect(await Self.brightness(processor) == [100], "nothing before 22:00")
            clock.withLock { $0 = evening.addingTimeInterval(10) }
            try await eventually("dimmed at 22:00", within: .seconds(1)) { await Self.brightness(processor) == [100, 30] }
            clock.withLock { $0 = evening.addingTimeInterval(3 * 3600 + 9) }
            try await Task.sleep(for: .milliseconds(300))
            #expect(await Self.black(processor) == [false], "still showing before 01:00")
            clock.withLock { $0 = evening.addingTimeInterval(3 * 3600 + 10) }
            try await eventually("black at 01:00", within: .seconds(1)) { await Self.black(processor) == [false, true] }
            // A mass-casualty incident at night: the emergency preset, and the picture back for it.
            try await incidents.open("MASS-1")
            try await eventually("the picture for the emergency") {
                let (preset, black) = (try await Self.shownPreset(processor), await Self.black(processor))
                return preset == 9 && black == [false, true, false]
            }
            try await incidents.close("MASS-1")
            try await eventually("black again when it closes") { await Self.black(processor) == [false, true, false, true] }
            #expect(try await Self.shownPreset(processor) == 5)
            #expect(await Self.brightness(processor) == [100, 30], "no brightness while black or for the emergency")
            clock.withLock { $0 = evening.addingTimeInterval(9 * 3600 + 10) }
            try await eventually("picture and full brightness at 07:00", within: .seconds(1)) {
                let (brightness, black) = (await Self.brightness(processor), await Self.black(processor))
                return black == [false, true, false, true, false] && brightness == [100, 30, 100]
            }
            let report = monitor.report
            #expect(report.brightness == 100 && report.blackScreen == false)
        }
    }

    @Test func anOperatorsPresetHoldsUntilReleased() async throws {
        try await Self.withProcessorService { processor, incidents, service, monitor in
            try await eventually("the wall on the normal preset") { try await Self.shownPreset(processor) == 5 }
            monitor.holdPreset("spare")
            try await eventually("the operator's preset") { try await Self.shownPreset(processor) == 3 }
            try await incidents.open("MASS-1")
            try await eventually("the rules want massCasualty") { monitor.report.automaticPreset == "massCasualty" }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await Self.shownPreset(processor) == 3, "the hold outlasts the rules")
            #expect(await Self.presetLoads(processor) == 2)
            monitor.releaseToAutomatic()
            try await eventually("back to automatic: massCasualty") { try await Self.shownPreset(processor) == 9 }
            #expect(monitor.report.heldPreset == nil)
        }
    }

    @Test func garbageAndRepliesToOtherCommandsAreIgnored() async throws {
        try await Self.withProcessorService(front: { ChattyProcessor(processor: $0) }) { processor, incidents, service, monitor in
            try await eventually("the wall on the normal preset") { try await Self.shownPreset(processor) == 5 }
            try await incidents.open("MASS-1")
            try await eventually("the mass-casualty preset") { try await Self.shownPreset(processor) == 9 }
            // The processor shows the preset before its acknowledgement reaches the runtime.
            try await eventually("the load acknowledged") { monitor.report.preset == "massCasualty" }
            let report = monitor.report
            #expect(report.status == .ok && report.online && report.ignoredDatagrams > 0)
        }
    }
}
