import Foundation
import GRDB
import WallboardFonts
import WallboardLayout
import WallboardService
import WallboardSimulator

extension BenchCatalog {
    /// Station door alerts at a centre's pace: idle boards whose clock and pages run in real time.
    static let alerts: [BenchCase] = [
        BenchCase(name: "alerts-door-boards-real-time") { try await measureAlertsInRealTime(seconds: 200) }
    ]
}

/// Dispatch → door board at a centre's pace, per kind of controller: 50 stations, each with a
/// BX-5K font card (1 s minimum interval) and a C-Power card on `door-192x32-bicolor`, played by
/// `wallboard-dev emulate-fleet`, over a database nothing else writes, so that every board's
/// clock, pages and timers run on the wall clock as at a centre.
///
/// The soak runs a simulated day at 20×, where an idle board changes twenty times as often and
/// a dispatch finds a font card's interval taken by a tick that much more often; its font-card
/// figure is an upper bound. Giving the soak's boards real time instead would leave their
/// timers counting wall seconds against simulated time stamps, so the centre's pace is measured
/// here, where both clocks are one.
///
/// For `seconds`, a vehicle is dispatched at random moments (seeded, 1 s apart on average) either
/// to an idle station (one that has shown its idle picture for 5 s at least: a board that has
/// just dropped an alert has just sent a frame) or, one time in five, to a station already
/// alerting for one vehicle; each station's vehicles stand down together 10 to 30 s after the
/// first dispatch, at least 20 s after the last. An alerting board ticks its turnout timer every
/// second and rotates its alerts, the newest first from its dispatch on (`DoorBoardState`): a
/// second dispatch, too, is due at its commit.
private func measureAlertsInRealTime(seconds: Double) async throws -> [String: any Sendable] {
    let database = try await BenchDatabase(stations: 50, vehicles: 150)
    defer { database.remove() }
    let idleStations = Set(try await database.idleStations().map(\.station))
    let standbyAtStart = try await database.standbyVehicles().filter { idleStations.contains($0.key) }
    let stations = try await database.stationIDs()
    let layout = try LayoutLoader(fontNames: FontLibrary.locate(explicit: nil).names + FontLibrary.namedChains.map(\.name))
        .load(contentsOf: URL(fileURLWithPath: SoakCommand.layouts + "/door-192x32-bicolor.yaml"))
    let models: [FleetModel] = [.bx5k, .cpower]
    let fleet = try await EmulatorFleet(count: stations.count * models.count, models: models, directory: database.directory)
    let service = try WallboardService(configuration: try database.configuration(boards: fleet.doorBoards(stations: stations, layoutsDirectory: "LAYOUTS")))
    let queue = try DatabaseQueue(path: database.path)
    let rotation = layout.rotation
    let dispatches = try await withBoards(service) {
        // Every board has drawn its first picture and its interval has passed.
        try await Task.sleep(for: .seconds(5))
        var random = SeededRandom(seed: 31)
        var standby = standbyAtStart
        var made: [AlertDispatch] = []
        var episodes: [String: (tasks: [(vehicle: String, callSign: String, incident: String)], standDownAt: ContinuousClock.Instant)] = [:]
        var idleSince: [String: ContinuousClock.Instant] = [:]
        let end = ContinuousClock.now + .seconds(seconds)
        var nextDispatch = ContinuousClock.now + .seconds(random.uniform(0.1...1.9))
        while nextDispatch < end {
            let firstStandDown = episodes.min { $0.value.standDownAt < $1.value.standDownAt }
            if let firstStandDown, firstStandDown.value.standDownAt < nextDispatch {
                try await Task.sleep(until: firstStandDown.value.standDownAt)
                for task in firstStandDown.value.tasks {
                    try await database.standDown(task.vehicle, incident: task.incident, queue: queue)
                    standby[firstStandDown.key, default: []].append((task.vehicle, task.callSign))
                }
                episodes[firstStandDown.key] = nil
                idleSince[firstStandDown.key] = .now
                continue
            }
            try await Task.sleep(until: nextDispatch)
            nextDispatch = nextDispatch + .seconds(random.uniform(0.1...1.9))
            let now = ContinuousClock.now
            let alerting = episodes.filter { $0.value.tasks.count == 1 && standby[$0.key]?.isEmpty == false }.keys.sorted()
            let idle = idleStations.filter { station in
                episodes[station] == nil && standby[station]?.isEmpty == false && idleSince[station].map { now - $0 >= .seconds(5) } != false
            }.sorted()
            let toAlerting = !alerting.isEmpty && (idle.isEmpty || random.chance(0.2))
            guard let station = toAlerting ? random.pick(alerting) : (idle.isEmpty ? nil : random.pick(idle)),
                  let vehicle = standby[station]?.popLast()
            else { continue }
            let incident = "PACE-\(made.count)"
            // Nothing can show the call sign before the write begins; the writer learns of its
            // commit only after it (`committed`), and on a loaded machine the service may have
            // read it and a board shown it before then.
            let writing = Date().timeIntervalSince1970
            let committed = try await database.dispatch(vehicle.vehicle, incident: incident, queue: queue)
            let task = (vehicle: vehicle.vehicle, callSign: vehicle.callSign, incident: incident)
            if toAlerting, var episode = episodes[station] {
                episode.tasks.append(task)
                episode.standDownAt = max(episode.standDownAt, ContinuousClock.now + .seconds(20))
                episodes[station] = episode
            } else {
                episodes[station] = ([task], ContinuousClock.now + .seconds(random.uniform(10...30)))
            }
            made.append(AlertDispatch(writing: writing, at: committed, station: station, callSign: vehicle.callSign, toAlertingBoard: toAlerting))
        }
        // The last dispatches reach their boards.
        try await Task.sleep(for: .seconds(rotation + 2))
        return made
    }
    let arrivals = try await fleet.stop()
    let boardsOfStation = fleet.boardsOfStation(stations)
    var delays: [String: [FleetModel: [Double]]] = [:]
    var behindAFrame = 0
    var shownBeforeCommitReturned = 0
    var notShown: [String] = []
    var firstShown: [FleetModel: [Int: Double]] = [:]
    var heldOnAlertingBoards: [String] = []
    for (number, dispatch) in dispatches.enumerated() {
        let group = dispatch.toAlertingBoard ? "to_a_board_already_alerting" : "to_an_idle_board"
        for model in models {
            let boards = (boardsOfStation[dispatch.station] ?? []).filter { fleet.model(of: $0) == model }
            // Searched from the write's start, not from `at`: a call sign shown before the writer
            // saw its commit is this dispatch's arrival, not one to skip for the next time the text
            // is sent (the alert's return after a second vehicle's turn, 8 s on).
            guard let shown = arrivals.firstShown(prefix: dispatch.callSign, on: boards, after: dispatch.writing) else {
                notShown.append("\(dispatch.callSign) at \(dispatch.station) on \(model.rawValue)")
                continue
            }
            // From the commit as the writer saw it; before it (negative) where a board was quicker.
            delays[group, default: [:]][model, default: []].append((shown - dispatch.at) * 1000)
            delays["all_dispatches", default: [:]][model, default: []].append((shown - dispatch.at) * 1000)
            // What held a dispatch to an alerting card that takes an update a second at most.
            if dispatch.toAlertingBoard, model.minimumUpdateInterval != nil, shown - dispatch.at > 0.1 {
                let previousUpdate = boards.compactMap { board in arrivals.byBoard[board]?.last { $0.time < dispatch.at }?.time }.max()
                let previousDispatch = dispatches[..<number].last { $0.station == dispatch.station }?.at
                heldOnAlertingBoards.append(String(
                    format: "%@ +%.0f ms: the card's update before %.0f ms before its commit, the station's dispatch before %.1f s before",
                    dispatch.callSign, (shown - dispatch.at) * 1000, previousUpdate.map { (dispatch.at - $0) * 1000 } ?? -1,
                    previousDispatch.map { dispatch.at - $0 } ?? -1
                ))
            }
            if shown < dispatch.at { shownBeforeCommitReturned += 1 }
            firstShown[model, default: [:]][number] = shown
            if !dispatch.toAlertingBoard, let interval = model.minimumUpdateInterval?.inSeconds,
               boards.contains(where: { board in arrivals.byBoard[board]?.contains { $0.time < dispatch.at && $0.time > dispatch.at - interval } == true }) {
                behindAFrame += 1
            }
        }
    }
    // A dispatch whose call sign first showed after that of a later dispatch to the same station:
    // the later one went out first (a font card's interval held the earlier frame until the later
    // dispatch replaced it), and the earlier alert waited for the later one's first turn.
    var overtaken: [String: [FleetModel: [String]]] = [:]
    for (number, dispatch) in dispatches.enumerated() {
        for model in models {
            guard let shown = firstShown[model]?[number] else { continue }
            let shownOfModel = firstShown[model] ?? [:]
            let laterFirst = dispatches.indices.contains { (later: Int) -> Bool in
                guard later > number, dispatches[later].station == dispatch.station, let laterShown = shownOfModel[later] else { return false }
                return laterShown < shown
            }
            if laterFirst {
                let group = dispatch.toAlertingBoard ? "to_a_board_already_alerting" : "to_an_idle_board"
                overtaken[group, default: [:]][model, default: []].append("\(dispatch.callSign) +\(String(format: "%.2f", shown - dispatch.at)) s")
            }
        }
    }
    guard notShown.isEmpty else { throw FleetError("dispatches never shown: \(notShown.prefix(10).joined(separator: ", "))") }
    var result: [String: any Sendable] = [
        "boards": fleet.devices.count, "seconds_dispatching": seconds,
        "dispatches_to_idle_boards": dispatches.count(where: { !$0.toAlertingBoard }), "dispatches_to_alerting_boards": dispatches.count(where: \.toAlertingBoard),
        "idle_dispatches_behind_a_font_card_frame": behindAFrame,
        "shown_before_the_writer_saw_its_commit": shownBeforeCommitReturned,
        "held_over_100_ms_on_alerting_font_cards": heldOnAlertingBoards,
        "what": "commit (as the writer saw it return) to the call sign decoded by the station's emulator",
    ]
    for (group, byModel) in delays {
        result[group] = Dictionary(uniqueKeysWithValues: byModel.map { ($0.key.described, percentiles($0.value)) })
    }
    for (group, byModel) in overtaken {
        result["overtaken_by_a_later_dispatch_" + group] = Dictionary(uniqueKeysWithValues: byModel.map { ($0.key.described, $0.value.joined(separator: ", ")) })
    }
    return result
}

/// One dispatch the writer made: when it was committed, and where.
private struct AlertDispatch {
    /// When the writer began the dispatch's transaction, and when it saw it committed.
    let writing: Double
    let at: Double
    let station: String
    let callSign: String
    let toAlertingBoard: Bool
}

extension BenchDatabase {
    /// Each station's vehicles on standby, with their call signs.
    func standbyVehicles() async throws -> [String: [(vehicle: String, callSign: String)]] {
        let rows = try await DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT station_id, id, call_sign FROM vehicles WHERE status = 7 ORDER BY station_id, id").map { row -> (station: String, vehicle: String, callSign: String) in
                (row[0], row[1], row[2])
            }
        }
        return Dictionary(grouping: rows, by: \.station).mapValues { $0.map { ($0.vehicle, $0.callSign) } }
    }
}
