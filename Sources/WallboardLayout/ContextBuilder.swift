import Foundation
import WallboardDispatch

/// Who the board is and how it sees the snapshot.
public struct BoardIdentity: Sendable, Hashable {
    public var centreName: String
    /// The station a door board belongs to; nil for walls and strips.
    public var stationID: String?
    public var privacy: PrivacyClass
    public var timeZone: TimeZone

    public init(centreName: String, stationID: String? = nil, privacy: PrivacyClass, timeZone: TimeZone) {
        self.centreName = centreName
        self.stationID = stationID
        self.privacy = privacy
        self.timeZone = timeZone
    }
}

/// Fields that hold personal data: never bound on public boards, masked on internal ones.
public let personalFields: Set<String> = ["patientName", "callbackPhone", "callerPhone"]

/// Builds the template context for one board from a snapshot.
public struct ContextBuilder: Sendable {
    public let identity: BoardIdentity
    /// The top-level fields to build; nil builds them all. A door board that shows its station
    /// need not build every vehicle of the city.
    public let fields: Set<String>?
    private let formatter: TimeFormatter

    public init(identity: BoardIdentity, fields: Set<String>? = nil) {
        self.identity = identity
        self.fields = fields
        formatter = TimeFormatter(timeZone: identity.timeZone)
    }

    private func wants(_ field: String) -> Bool { fields?.contains(field) ?? true }

    /// The context for `snapshot`; `alert` is the door-board alert on show, if any.
    public func context(for snapshot: DispatchSnapshot, alert: (index: Int, count: Int, alert: DoorAlert)? = nil) -> ContextValue {
        adding(alert, to: base(for: snapshot, reusing: nil), of: snapshot)
    }

    /// A snapshot and the context built for it (without an alert): what the next snapshot's
    /// context starts from.
    struct Basis: Sendable {
        let snapshot: DispatchSnapshot
        let context: ContextValue
    }

    /// The context for `snapshot` without the door-board alert. Rows equal to the same row of
    /// `previous` (and whose context depends on nothing else that changed) keep their values:
    /// building a row is the costly part, and shared values compare equal at once.
    func base(for snapshot: DispatchSnapshot, reusing previous: Basis?) -> ContextValue {
        let index = SnapshotIndex(snapshot)
        let old = previous?.snapshot
        var previousFields: [String: ContextValue] = [:]
        if case .object(let fields)? = previous?.context { previousFields = fields }
        /// The rows' values, each taken from the previous context when its row is unchanged.
        func rows<Row: Equatable>(_ field: String, _ rows: [Row], _ oldRows: [Row]?, reusable: Bool, build: (Row) -> ContextValue) -> ContextValue {
            guard reusable, let oldRows, case .list(let oldValues)? = previousFields[field], oldValues.count == oldRows.count else {
                return .list(rows.map(build))
            }
            var rebuilt = false
            let values = rows.indices.map { position in
                if position < oldRows.count, oldRows[position] == rows[position] { return oldValues[position] }
                rebuilt = true
                return build(rows[position])
            }
            // The same list when nothing changed, so that it compares equal at once.
            return rebuilt || rows.count != oldRows.count ? .list(values) : .list(oldValues)
        }
        // A vehicle shows its station's name; an incident its vehicles' call signs.
        let stationsUnchanged = old.map { $0.stations == snapshot.stations } ?? false
        let callSignsUnchanged = old.map { old in
            old.vehicles.count == snapshot.vehicles.count && old.vehicles.indices.allSatisfy { position in
                old.vehicles[position].id == snapshot.vehicles[position].id && old.vehicles[position].callSign == snapshot.vehicles[position].callSign
            }
        } ?? false
        var root: [String: ContextValue] = ["centre": .object(["name": .text(identity.centreName)])]
        if wants("figures") {
            if let old, old.figures == snapshot.figures, let kept = previousFields["figures"] {
                root["figures"] = kept
            } else {
                root["figures"] = figures(snapshot.figures)
            }
        }
        if wants("day"), let day = snapshot.day {
            if let old, old.day == day, let kept = previousFields["day"] {
                root["day"] = kept
            } else {
                root["day"] = self.day(day)
            }
        }
        if wants("vehicles") {
            let vehicles = rows("vehicles", snapshot.vehicles, old?.vehicles, reusable: stationsUnchanged) { vehicle($0, in: index) }
            // Kept for the stations' lists of their vehicles, which show the same values.
            if case .list(let values) = vehicles {
                for (vehicle, value) in zip(snapshot.vehicles, values) { index.vehicleContexts[vehicle.id] = (vehicle, value) }
            }
            root["vehicles"] = vehicles
        }
        if wants("stations") {
            // A station shows its vehicles: it is kept when neither it nor any of them changed.
            let stationRows = StationRow.rows(of: snapshot, in: index)
            let oldRows = old.map { StationRow.rows(of: $0, in: SnapshotIndex($0)) }
            root["stations"] = rows("stations", stationRows, oldRows, reusable: true) { station($0.station, in: index) }
        }
        if wants("incidents") {
            root["incidents"] = rows("incidents", snapshot.incidents, old?.incidents, reusable: callSignsUnchanged) { incident($0, in: index) }
        }
        if wants("calls") { root["calls"] = rows("calls", snapshot.waitingCalls, old?.waitingCalls, reusable: true, build: call) }
        if wants("seats") {
            let handled = Dictionary((snapshot.day?.seats ?? []).map { ($0.seatID, $0.callsHandled) }) { first, _ in first }
            let reusable = old.map { $0.day?.seats == snapshot.day?.seats } ?? false
            root["seats"] = rows("seats", snapshot.seats, old?.seats, reusable: reusable) { seat($0, callsHandled: handled[$0.id]) }
        }
        if wants("alerts") { root["alerts"] = .list(tickerAlerts(snapshot)) }
        if wants("station"), let stationID = identity.stationID, let station = snapshot.station(id: stationID) {
            root["station"] = self.station(station, in: index)
        }
        return .object(root)
    }

    /// `base` with the door-board alert on show, if any.
    func adding(_ alert: (index: Int, count: Int, alert: DoorAlert)?, to base: ContextValue, of snapshot: DispatchSnapshot) -> ContextValue {
        guard let alert, case .object(var root) = base else { return base }
        let index = SnapshotIndex(snapshot)
        var fields: [String: ContextValue] = [
            "index": count(alert.index + 1),
            "count": count(alert.count),
            // Several alerts take turns: only then is "2/3" worth showing.
            "rotating": .flag(alert.count >= 2),
            "vehicle": vehicle(alert.alert.vehicle, in: index),
            "dispatchedAt": time(alert.alert.dispatchedAt),
            "departed": .flag(alert.alert.departedAt != nil),
        ]
        if let incident = alert.alert.incident {
            fields["incident"] = self.incident(incident, in: index)
            fields["critical"] = .flag(incident.priority == .critical)
        } else {
            fields["critical"] = .flag(false)
        }
        root["alert"] = .object(fields)
        return .object(root)
    }

    func count(_ value: Int) -> ContextValue { .number(Double(value), display: String(value)) }

    static let timeOfDay = TimePattern("HH:mm:ss")

    func time(_ date: Date) -> ContextValue { .time(date, display: formatter.string(date, pattern: ContextBuilder.timeOfDay)) }

    func percent(_ rate: Double?) -> ContextValue {
        guard let rate else { return .number(.nan, display: "—") }
        let tenths = (rate * 1000).rounded() / 10
        return .number(rate, display: tenths == tenths.rounded() ? "\(Int(tenths))%" : "\(tenths)%")
    }

    func duration(_ seconds: Double?) -> ContextValue {
        guard let seconds else { return .number(.nan, display: "—") }
        return .number(seconds, display: TimeFormatter.elapsed(seconds))
    }

    private func figures(_ figures: DispatchFigures) -> ContextValue {
        .object([
            "callsToday": count(figures.callsToday),
            "validCalls": count(figures.validCalls),
            "validCallRate": percent(figures.validCallRate),
            "answeredWithin10sRate": percent(figures.answeredWithin10sRate),
            "dispatchesToday": count(figures.dispatchesToday),
            "emptyRunsToday": count(figures.emptyRunsToday),
            "departedWithin3MinRate": percent(figures.departedWithin3MinRate),
            "averageResponse": duration(figures.averageResponseSeconds),
            "callsWaiting": count(figures.callsWaiting),
            "longestWait": duration(figures.longestWaitSeconds),
            "vehiclesOnTask": count(figures.vehiclesOnTask),
            "vehiclesDispatchable": count(figures.vehiclesDispatchable),
            "vehiclesOutOfService": count(figures.vehiclesOutOfService),
            "byStatus": .list(figures.vehiclesByStatus.map { status in
                .object(["code": count(status.code), "name": .text(status.chineseName), "count": count(status.count)])
            }),
        ])
    }

    /// A coordinate in degrees, shown as Swift prints it: formatting hundreds of positions with
    /// `String(format:)` cost a moving map a tenth of its frame.
    func degrees(_ value: Double) -> ContextValue {
        .number(value, display: value.isFinite ? String(value) : "—")
    }

    /// `latitude` and `longitude` when both are known.
    func position(_ latitude: Double?, _ longitude: Double?, into fields: inout [String: ContextValue]) {
        guard let latitude, let longitude else { return }
        fields["latitude"] = degrees(latitude)
        fields["longitude"] = degrees(longitude)
    }

    private func day(_ day: DayFigures) -> ContextValue {
        func optionalCount(_ value: Int?) -> ContextValue { value.map(count) ?? .number(.nan, display: "") }
        func named(_ counts: [NamedCount]) -> ContextValue {
            .list(counts.map { .object(["name": .text($0.name), "count": count($0.count)]) })
        }
        return .object([
            "hours": .list(day.hours.map { hour in
                .object([
                    "hour": count(hour.hour),
                    "calls": optionalCount(hour.calls),
                    "dispatches": optionalCount(hour.dispatches),
                    "callsYesterday": count(hour.callsYesterday),
                    "dispatchesYesterday": count(hour.dispatchesYesterday),
                ])
            }),
            "hoursIntoDay": .number(day.hoursIntoDay, display: String(format: "%.2f", day.hoursIntoDay)),
            "stations": .list(day.stations.map { station in
                .object([
                    "id": .text(station.stationID),
                    "name": .text(station.stationName),
                    "dispatches": count(station.dispatches),
                    "averageDeparture": duration(station.averageDepartureSeconds),
                    "departure90": duration(station.departure90thPercentileSeconds),
                    "departedWithin3MinRate": percent(station.departedWithin3MinRate),
                ])
            }),
            "categories": named(day.categories),
            "emptyRuns": named(day.emptyRuns),
        ])
    }

    private func station(_ station: Station, in index: SnapshotIndex) -> ContextValue {
        let vehicles = index.vehicles(atStation: station.id)
        let standby = vehicles.filter { $0.status == .standby }
        var fields: [String: ContextValue] = [
            "id": .text(station.id),
            "name": .text(station.name),
            "district": .text(station.district),
            "vehicles": .list(vehicles.map { vehicle($0, in: index) }),
            "standby": .list(standby.map { vehicle($0, in: index) }),
            "standbyCount": count(standby.count),
            "onTaskCount": count(vehicles.filter { $0.status?.isOnTask ?? false }.count),
            "outOfServiceCount": count(vehicles.filter { $0.status?.isOutOfService ?? false }.count),
        ]
        position(station.latitude, station.longitude, into: &fields)
        return .object(fields)
    }

    private func vehicle(_ vehicle: Vehicle, in index: SnapshotIndex) -> ContextValue {
        if let built = index.vehicleContexts[vehicle.id], built.vehicle == vehicle { return built.context }
        // Room for every field at once: a moving fleet builds hundreds of these per snapshot.
        var fields = [String: ContextValue](minimumCapacity: 13)
        fields["id"] = .text(vehicle.id)
        fields["callSign"] = .text(vehicle.callSign)
        fields["plate"] = .text(vehicle.plate)
        fields["station"] = .text(index.stations[vehicle.stationID]?.name ?? "")
        fields["statusCode"] = vehicle.statusCode.map(count) ?? .number(.nan, display: "?")
        fields["statusName"] = .text(vehicle.status?.chineseName ?? "未知")
        fields["onTask"] = .flag(vehicle.status?.isOnTask ?? false)
        fields["dispatchable"] = .flag(vehicle.status?.isDispatchable ?? false)
        if let since = vehicle.statusSince { fields["statusSince"] = time(since) }
        if let incidentID = vehicle.incidentID { fields["incidentID"] = .text(incidentID) }
        position(vehicle.latitude, vehicle.longitude, into: &fields)
        if let heading = vehicle.heading, (-360...360).contains(heading) { fields["heading"] = .number(heading, display: String(Int(heading.rounded()))) }
        let context = ContextValue.object(fields)
        index.vehicleContexts[vehicle.id] = (vehicle, context)
        return context
    }

    private func incident(_ incident: Incident, in index: SnapshotIndex) -> ContextValue {
        let scrubber = freeTextScrubber(for: incident, in: index)
        var fields: [String: ContextValue] = [
            "id": .text(incident.id),
            "priority": .text(incident.priority?.chineseName ?? ""),
            "priorityCode": incident.priority.map { count($0.rawValue) } ?? .number(.nan, display: ""),
            "critical": .flag(incident.priority == .critical),
            "category": .text(scrubber.scrub(incident.category)),
            "complaint": .text(scrubber.scrub(incident.complaint)),
            "incidentAddress": .text(scrubber.scrub(incident.incidentAddress)),
            "pickupAddress": .text(scrubber.scrub(incident.pickupAddress)),
            "landmark": .text(scrubber.scrub(incident.landmark)),
            "district": .text(scrubber.scrub(incident.district)),
            "casualties": count(incident.casualties),
            "hospital": .text(scrubber.scrub(incident.destinationHospital)),
            "vehicles": .text(incident.vehicleIDs.compactMap { index.vehicles[$0]?.callSign }.joined(separator: " ")),
        ]
        if let receivedAt = incident.receivedAt { fields["receivedAt"] = time(receivedAt) }
        if let dispatchedAt = incident.dispatchedAt { fields["dispatchedAt"] = time(dispatchedAt) }
        position(incident.latitude, incident.longitude, into: &fields)
        if identity.privacy == .internal {
            fields["patientName"] = .text(Mask.name(incident.patientName))
            fields["callbackPhone"] = .text(Mask.phone(incident.callbackPhone))
        }
        return .object(fields)
    }

    /// Dispatchers type names and numbers into free text: it is cleaned before it is bound,
    /// removed on public boards and masked on internal ones, as the personal fields are.
    func freeTextScrubber(for incident: Incident, in index: SnapshotIndex) -> FreeTextScrubber {
        FreeTextScrubber(
            names: [incident.patientName], numbers: [incident.callbackPhone] + index.callerNumbers(of: incident.id),
            redaction: identity.privacy == .public ? .remove : .mask
        )
    }

    private func call(_ call: Call) -> ContextValue {
        var fields: [String: ContextValue] = ["id": .text(call.id)]
        if let receivedAt = call.receivedAt { fields["receivedAt"] = time(receivedAt) }
        if identity.privacy == .internal {
            fields["callerPhone"] = .text(Mask.phone(call.callerPhone))
        }
        return .object(fields)
    }

    private func seat(_ seat: Seat, callsHandled: Int?) -> ContextValue {
        var fields: [String: ContextValue] = [
            "name": .text(seat.name),
            "stateCode": .text(seat.state?.rawValue ?? ""),
            "callsToday": callsHandled.map(count) ?? .number(.nan, display: "—"),
            "dispatcher": .text(seat.dispatcherName),
            "state": .text(seat.state?.chineseName ?? "未知"),
        ]
        if let since = seat.stateSince { fields["stateSince"] = time(since) }
        return .object(fields)
    }
}

/// A station with its vehicles: what its context shows.
struct StationRow: Equatable {
    var station: Station
    var vehicles: [Vehicle]

    static func rows(of snapshot: DispatchSnapshot, in index: SnapshotIndex) -> [StationRow] {
        snapshot.stations.map { StationRow(station: $0, vehicles: index.vehicles(atStation: $0.id)) }
    }
}

/// A snapshot's rows by id, made on first use: a context that keeps most rows from the
/// previous one looks up few.
final class SnapshotIndex {
    private let snapshot: DispatchSnapshot

    init(_ snapshot: DispatchSnapshot) { self.snapshot = snapshot }

    lazy var stations: [String: Station] = Dictionary(snapshot.stations.map { ($0.id, $0) }) { first, _ in first }
    lazy var vehicles: [String: Vehicle] = Dictionary(snapshot.vehicles.map { ($0.id, $0) }) { first, _ in first }
    /// Vehicles' contexts as built: a vehicle shows in the vehicle list and again in its
    /// station's lists, and with 200 moving vehicles building each once halves the binding.
    var vehicleContexts: [String: (vehicle: Vehicle, context: ContextValue)] = [:]
    private var vehiclesByStation: [String: [Vehicle]]?
    private lazy var callersByIncident: [String: [String]] = Dictionary(
        grouping: snapshot.waitingCalls.filter { $0.incidentID != nil }, by: { $0.incidentID ?? "" }
    ).mapValues { $0.map(\.callerPhone) }

    /// The numbers of the calls about an incident that are still waiting.
    func callerNumbers(of incidentID: String) -> [String] { callersByIncident[incidentID] ?? [] }
    private var stationLookups = 0

    /// A station's vehicles. A door board asks for one station: a scan. A wall asks for all of
    /// them: grouped once, from the second station on.
    func vehicles(atStation id: String) -> [Vehicle] {
        if let vehiclesByStation { return vehiclesByStation[id] ?? [] }
        stationLookups += 1
        guard stationLookups > 1 else { return snapshot.vehicles.filter { $0.stationID == id } }
        let grouped = Dictionary(grouping: snapshot.vehicles, by: \.stationID)
        vehiclesByStation = grouped
        return grouped[id] ?? []
    }
}
