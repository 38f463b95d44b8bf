import Foundation
import WallboardConfig
import WallboardDispatch
import WallboardFonts
import WallboardLayout
import WallboardSQLite
import WallboardSimulator
import WallboardSourceKit
import WallboardSources
import WallboardSupport

extension BenchCatalog {
    /// One case per shipped layout (`layout-<file name>`: drawing a frame at a new moment, the
    /// per-tick cost at ten frames a second, and at one a second), the cost of binding a new snapshot, and the wall after one vehicle changes.
    static var layouts: [BenchCase] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: "Layouts")) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        return files.map { file in
            BenchCase(name: "layout-\(file.replacingOccurrences(of: ".yaml", with: ""))") {
                let scene = try await BenchScene.shared()
                let renderer = try scene.renderer(for: "Layouts/\(file)")
                // The board's first frame: its renderer has laid out no text and drawn no map base
                // yet, and the frame's memory is new from the kernel. The fresh bindings measured
                // below share the renderer, and take the memory the one before let go of.
                let clock = ContinuousClock()
                let started = clock.now
                var bound = renderer.bind(scene.snapshot, staleSince: nil)
                _ = bound.render(at: scene.snapshot.takenAt)
                let firstFrame = clock.now - started
                // One minute of frames at ten a second, over and over: every run measures the same
                // moments, so the same alerts, pages and blink phases, whatever its iteration count.
                var tick = 0
                var moment = scene.snapshot.takenAt
                var result = measureThroughput {
                    tick = (tick + 1) % 600
                    moment = scene.snapshot.takenAt.addingTimeInterval(Double(tick) / 10)
                    _ = bound.render(at: moment)
                }
                // A frame kept little from the one before: frames a second apart, so every clock
                // and timer changes each time, and pages turn and alerts rotate more often.
                var second = 0
                let eachSecond = measureThroughput(seconds: 0.5) {
                    second = (second + 1) % 600
                    _ = bound.render(at: scene.snapshot.takenAt.addingTimeInterval(Double(second)))
                }
                let bind = measureThroughput(seconds: 0.5) {
                    var fresh = renderer.bind(scene.snapshot, staleSince: nil)
                    _ = fresh.render(at: moment)
                }
                result["frames_a_second_apart_cpu_ns"] = eachSecond["cpu_ns_per_op"]
                result["bind_and_render_ns"] = bind["ns_per_op"]
                result["first_bind_and_render_ns"] = (firstFrame.inSeconds * 1e9).rounded()
                return result
            }
        } + [
            // What a public board's free-text scrub costs for one snapshot of the city: every text
            // field of every active incident, as a board that shows them all would need.
            BenchCase(name: "layout-scrub-city-snapshot") {
                let snapshot = try await BenchScene.shared().snapshot
                let callers = Dictionary(grouping: snapshot.waitingCalls.filter { $0.incidentID != nil }) { $0.incidentID ?? "" }
                var result = measureThroughput {
                    for incident in snapshot.incidents {
                        let scrubber = FreeTextScrubber(
                            names: [incident.patientName], numbers: [incident.callbackPhone] + (callers[incident.id] ?? []).map(\.callerPhone),
                            redaction: .remove
                        )
                        for text in [incident.complaint, incident.incidentAddress, incident.pickupAddress, incident.landmark,
                                     incident.district, incident.category, incident.destinationHospital] {
                            _ = scrubber.scrub(text)
                        }
                    }
                }
                result["incidents"] = snapshot.incidents.count
                return result
            },
            // The wall's map alone, 1920×1080, with 200 vehicles that all move between two snapshots:
            // binding the moved positions and drawing the frame.
            BenchCase(name: "layout-map-200-moving-vehicles") {
                let scene = try await BenchScene.shared()
                let yaml = """
                    board: {kind: wall, width: 1920, height: 1080, format: rgb, privacy: internal}
                    states:
                      main:
                        - map: {geojson: city.geojson, font: cjk-16, vehicleSize: 5, links: "#FFD060"}
                          rect: [0, 0, 1920, 1080]
                    """
                let layout = try LayoutLoader(fontNames: scene.fonts.names + FontLibrary.namedChains.map(\.name))
                    .load(yaml, file: "Layouts/bench-map.yaml", name: "bench-map")
                let renderer = try scene.renderer(for: layout)
                let snapshots = [0.0, 1.0].map { step in movingVehicles(scene.snapshot, count: 200, step: step) }
                var bound = renderer.bind(snapshots[0], staleSince: nil)
                var flip = 0
                var result = measureThroughput {
                    flip ^= 1
                    bound.rebind(snapshots[flip], staleSince: nil)
                    _ = bound.render(at: scene.snapshot.takenAt)
                }
                result["vehicles"] = 200
                return result
            },
        ] + ["wall-3840x2160", "wall-5760x3240-3x3"].map { wall in
            // A bound wall given the city a minute on, and back: what a new snapshot costs a
            // running wall when a minute's dispatching has changed it (figures, vehicles, timers).
            BenchCase(name: "layout-\(wall)-next-minute") {
                let scene = try await BenchScene.shared()
                let renderer = try scene.renderer(for: "Layouts/\(wall).yaml")
                return measureRebinding(renderer, alternating: scene.snapshot, scene.minuteLater)
            }
        } + ["wall-1920x1080", "wall-3840x2160"].map { wall in
            BenchCase(name: "layout-\(wall)-one-vehicle-change") {
                let scene = try await BenchScene.shared()
                let renderer = try scene.renderer(for: "Layouts/\(wall).yaml")
                var changed = scene.snapshot
                if let index = changed.vehicles.firstIndex(where: { $0.status == .standby }) {
                    changed.vehicles[index].statusCode = VehicleStatus.unavailable.rawValue
                    changed.vehicles[index].status = .unavailable
                }
                // The vehicle counts change with it, as the source reports them; call and run
                // figures stay as they were.
                let recounted = DispatchFigures(
                    callsToday: [], runsToday: [], vehicles: changed.vehicles, stations: changed.stations, now: changed.takenAt, dayStart: changed.dayStart
                )
                changed.figures.vehiclesByStatus = recounted.vehiclesByStatus
                changed.figures.vehiclesOnTask = recounted.vehiclesOnTask
                changed.figures.vehiclesDispatchable = recounted.vehiclesDispatchable
                changed.figures.vehiclesOutOfService = recounted.vehiclesOutOfService
                changed.figures.vehiclesUnknownStatus = recounted.vehiclesUnknownStatus
                changed.figures.stations = recounted.stations
                return measureRebinding(renderer, alternating: scene.snapshot, changed)
            }
        }
    }
}

/// A board bound to `first`, then rebound to `second` and `first` by turns, drawing each at its moment.
func measureRebinding(_ renderer: BoardRenderer, alternating first: DispatchSnapshot, _ second: DispatchSnapshot) -> [String: any Sendable] {
    let snapshots = [first, second]
    var bound = renderer.bind(first, staleSince: nil)
    _ = bound.render(at: first.takenAt)
    var flip = 0
    return measureThroughput {
        flip ^= 1
        bound.rebind(snapshots[flip], staleSince: nil)
        _ = bound.render(at: snapshots[flip].takenAt)
    }
}

/// `snapshot` with `count` vehicles (copies of its own) spread over the city around its centre,
/// each moved on by `step` (a few hundred metres a step).
func movingVehicles(_ snapshot: DispatchSnapshot, count: Int, step: Double) -> DispatchSnapshot {
    var moved = snapshot
    guard !snapshot.vehicles.isEmpty else { return moved }
    moved.vehicles = (0..<count).map { index in
        var vehicle = snapshot.vehicles[index % snapshot.vehicles.count]
        vehicle.id = "M\(index)"
        let angle = Double(index) * 2.399963, distance = 0.01 + Double(index % 50) * 0.0025
        vehicle.latitude = 23.13 + sin(angle) * distance + step * 0.002
        vehicle.longitude = 113.26 + cos(angle) * distance + step * 0.002
        vehicle.positionAt = snapshot.takenAt.addingTimeInterval(step * 10)
        return vehicle
    }
    return moved
}

/// A simulated city at 14:30 on a busy day, read once for every layout case.
actor BenchScene {
    static let instance = BenchScene()
    private var built: Built?

    struct Built: Sendable {
        let snapshot: DispatchSnapshot
        /// The same city a minute later.
        let minuteLater: DispatchSnapshot
        let fonts: FontLibrary

        func renderer(for path: String) throws -> BoardRenderer {
            try renderer(for: LayoutLoader(fontNames: fonts.names + FontLibrary.namedChains.map(\.name)).load(contentsOf: URL(fileURLWithPath: path)))
        }

        func renderer(for layout: Layout) throws -> BoardRenderer {
            let station = snapshot.vehicles.first { $0.task?.departedAt == nil && $0.task?.dispatchedAt != nil }?.stationID
                ?? snapshot.stations.first?.id
            let identity = BoardIdentity(centreName: "急救指挥调度中心", stationID: station, privacy: layout.privacy, timeZone: DayBoundary.shanghai.timeZone)
            return BoardRenderer(layout: layout, identity: identity, fonts: try FontSet(layout: layout) { try fonts.chain($0) })
        }
    }

    static func shared() async throws -> Built { try await instance.build() }

    private func build() async throws -> Built {
        if let built { return built }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("dispatch.db").path
        let boundary = DayBoundary.shanghai
        let midnight = boundary.dayStart(containing: Date())
        let afternoon = midnight.addingTimeInterval(14.5 * 3600)
        let settings = SimulationSettings(
            seed: 7, stationCount: 40, vehicleCount: 120, start: midnight, end: afternoon.addingTimeInterval(60), followsClock: false, dayBoundary: boundary
        )
        try await DispatchSimulator(store: SQLiteSimulationStore(path: path), settings: settings).run()
        let source = try DispatchSources.makePastMoments(SourceSettings(address: SQLiteFile(path: path), timeZone: boundary.timeZone))
        let scene = Built(
            snapshot: try await source.snapshot(at: afternoon), minuteLater: try await source.snapshot(at: afternoon.addingTimeInterval(60)),
            fonts: try FontLibrary.locate()
        )
        built = scene
        return scene
    }
}
