import ArgumentParser
import Foundation
import WallboardConfig
import WallboardDispatch
import WallboardInterface
import WallboardPostgres
import WallboardSQLite
import WallboardSimulator

/// `wallboard simulate`: fills a SQLite file or a PostgreSQL database with a simulated 120 centre's activity.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a realistic 120 dispatch centre's activity into a SQLite or PostgreSQL database.",
        discussion: """
            Creates the Wallboard interface tables if needed (on PostgreSQL also the NOTIFY triggers). By default the day is replayed from local \
            midnight as fast as possible, then the simulation follows the clock (times --speed). With --fast \
            it writes from --start to the end as fast as possible and exits. The same --seed and options give \
            the same rows.
            """
    )

    @Option(help: "The SQLite database file to write (created if missing). Required unless --postgres, --geojson or --print-schema.")
    var db: String?

    @Option(help: ArgumentHelp(
        "Write onto this PostgreSQL primary instead of a SQLite file.",
        discussion: "postgresql://USER@HOST[:PORT]/DATABASE[?passwordFile=PATH&sslmode=…]", valueName: "url"
    ))
    var postgres: String?

    @Option(help: "Seed for every random choice; the same seed gives the same day.")
    var seed: UInt64 = 1

    @Option(help: "Simulated seconds per real second once caught up with the clock.")
    var speed: Double = 1

    @Option(help: "Number of ambulance stations.")
    var stations = 12

    @Option(help: "Number of vehicles, spread over the stations.")
    var vehicles = 36

    @Option(help: "Number of call-taker seats (default: one per ten vehicles, at least three).")
    var seats: Int?

    @Option(name: .customLong("calls-per-day"), help: "Average calls per day (default: fourteen per vehicle).")
    var callsPerDay: Double?

    @Option(help: "Simulated start: now, midnight, ISO 8601, or local 'YYYY-MM-DD HH:MM'.")
    var start = MomentArgument(text: "midnight")

    @Option(help: "How long to simulate, e.g. 90m, 6h, 1d (default: until stopped).")
    var duration: DurationArgument?

    @Option(help: "Simulated moment to stop at (instead of --duration).")
    var until: MomentArgument?

    @Flag(help: "Ignore the clock: write everything up to the end as fast as possible, then exit.")
    var fast = false

    @Option(help: "Set the journal mode: wal or delete (default: leave it as it is).")
    var journal: String?

    @Flag(help: "Delete dispatch rows already in the database before starting.")
    var fresh = false

    @Flag(name: .customLong("print-schema"), help: "Print the interface schema (schema.sql) and exit.")
    var printSchema = false

    @Option(help: ArgumentHelp(
        "Write the simulated city's map (districts and main roads, as in its addresses) as GeoJSON to this file.",
        discussion: "Without --db or --postgres nothing is simulated. Layouts/city.geojson is this map.", valueName: "path"
    ))
    var geojson: String?

    @OptionGroup var zone: TimeZoneOptions

    func run() async throws {
        if printSchema {
            FileHandle.standardOutput.write(Data(InterfaceSchema.sql.utf8))
            return
        }
        if let geojson {
            do {
                try Data(SimulatedCityMap.geoJSON.utf8).write(to: URL(fileURLWithPath: geojson))
            } catch {
                throw ValidationError("cannot write the map to \(geojson): \(error.localizedDescription)")
            }
            if db == nil, postgres == nil { return }
        }
        let boundary = try zone.dayBoundary()
        let startDate = try start.resolve(in: boundary)
        var end: Date?
        if let duration { end = startDate.addingTimeInterval(duration.seconds) }
        if let until { end = try until.resolve(in: boundary) }
        var journalMode: SQLiteJournalMode?
        if let journal {
            guard let mode = SQLiteJournalMode(rawValue: journal.lowercased()) else {
                throw ValidationError("--journal must be wal or delete")
            }
            journalMode = mode
        }
        let settings = SimulationSettings(
            seed: seed, stationCount: stations, vehicleCount: vehicles, seatCount: seats, callsPerDay: callsPerDay,
            start: startDate, end: end, speed: speed, followsClock: !fast, dayBoundary: boundary,
            replacesExistingData: fresh
        )
        do {
            switch (db, postgres) {
            case (let db?, nil):
                try await DispatchSimulator(store: SQLiteSimulationStore(path: db, journalMode: journalMode), settings: settings).run()
            case (nil, let url?):
                try await PostgresSimulationStore.simulate(settings, onto: try PostgresSettings(url: url))
            case (_?, _?):
                throw ValidationError("give --db FILE or --postgres URL, not both")
            case (nil, nil):
                throw ValidationError("--db FILE or --postgres URL is required: where to write")
            }
        } catch let error as SimulationError {
            throw ValidationError(error.description)
        } catch let error as SourceProblem {
            throw ValidationError(error.message)
        }
    }
}
