import WallboardDispatch

/// The optional parts of the interface that a site's tables or views have, found when the schema is checked.
package struct InterfaceFeatures: Sendable, Equatable {
    /// `vehicles` has the position columns (see `InterfaceSchema.hasVehiclePositions`).
    package var vehiclePositions: Bool
    /// `seat_log` is there: a past moment's seats come from it rather than from the calls they answered.
    package var seatLog: Bool

    package init(vehiclePositions: Bool = false, seatLog: Bool = false) {
        self.vehiclePositions = vehiclePositions
        self.seatLog = seatLog
    }
}

/// The interface's tables, as shipped in `schema.sql` beside this file (a test keeps the two equal).
public enum InterfaceSchema {
    /// The interface version this reader understands (`wallboard_interface.version`).
    public static let version = 1

    /// `schema.sql`: creates whatever is missing; safe to run on a database that has it.
    public static let sql = """
-- Wallboard dispatch interface, version 1. Every column is described in SCHEMA.md.
-- Time stamps are Unix time in seconds (INTEGER or REAL), UTC. Keys are TEXT.

CREATE TABLE IF NOT EXISTS wallboard_interface (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT
);
INSERT OR IGNORE INTO wallboard_interface (key, value) VALUES ('version', '1');

CREATE TABLE IF NOT EXISTS stations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    district TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    latitude REAL,
    longitude REAL
);

CREATE TABLE IF NOT EXISTS vehicles (
    id TEXT PRIMARY KEY NOT NULL,
    call_sign TEXT NOT NULL,
    plate TEXT NOT NULL DEFAULT '',
    station_id TEXT NOT NULL,
    status INTEGER NOT NULL DEFAULT 7,
    status_since REAL,
    incident_id TEXT,
    task_id TEXT,
    latitude REAL,
    longitude REAL,
    heading REAL,
    position_at REAL
);

CREATE TABLE IF NOT EXISTS incidents (
    id TEXT PRIMARY KEY NOT NULL,
    call_id TEXT,
    received_at REAL,
    answered_at REAL,
    dispatched_at REAL,
    closed_at REAL,
    priority INTEGER,
    category TEXT NOT NULL DEFAULT '',
    complaint TEXT NOT NULL DEFAULT '',
    incident_address TEXT NOT NULL DEFAULT '',
    pickup_address TEXT NOT NULL DEFAULT '',
    landmark TEXT NOT NULL DEFAULT '',
    district TEXT NOT NULL DEFAULT '',
    casualties INTEGER NOT NULL DEFAULT 1,
    destination_hospital TEXT NOT NULL DEFAULT '',
    patient_name TEXT NOT NULL DEFAULT '',
    patient_sex TEXT NOT NULL DEFAULT '',
    patient_age INTEGER,
    callback_phone TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL
);
CREATE INDEX IF NOT EXISTS incidents_active ON incidents (received_at) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS incidents_received ON incidents (received_at);

CREATE TABLE IF NOT EXISTS vehicle_tasks (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL,
    vehicle_id TEXT NOT NULL,
    dispatched_at REAL,
    departed_at REAL,
    at_scene_at REAL,
    patient_on_board_at REAL,
    at_hospital_at REAL,
    completed_at REAL,
    empty_run_reason TEXT
);
CREATE INDEX IF NOT EXISTS vehicle_tasks_active ON vehicle_tasks (dispatched_at) WHERE completed_at IS NULL;
CREATE INDEX IF NOT EXISTS vehicle_tasks_dispatched ON vehicle_tasks (dispatched_at);

CREATE TABLE IF NOT EXISTS calls (
    id TEXT PRIMARY KEY NOT NULL,
    received_at REAL NOT NULL,
    answered_at REAL,
    ended_at REAL,
    seat_id TEXT,
    outcome TEXT,
    incident_id TEXT,
    caller_phone TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS calls_received ON calls (received_at, answered_at, ended_at, outcome);
CREATE INDEX IF NOT EXISTS calls_waiting ON calls (received_at) WHERE answered_at IS NULL AND ended_at IS NULL;

CREATE TABLE IF NOT EXISTS seats (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    dispatcher_name TEXT NOT NULL DEFAULT '',
    state TEXT,
    state_since REAL,
    call_id TEXT
);

CREATE TABLE IF NOT EXISTS vehicle_status_log (
    id INTEGER PRIMARY KEY,
    vehicle_id TEXT NOT NULL,
    status INTEGER NOT NULL,
    at REAL NOT NULL,
    incident_id TEXT,
    task_id TEXT
);
CREATE INDEX IF NOT EXISTS vehicle_status_log_at ON vehicle_status_log (at);

CREATE TABLE IF NOT EXISTS seat_log (
    id INTEGER PRIMARY KEY,
    seat_id TEXT NOT NULL,
    at REAL NOT NULL,
    state TEXT,
    dispatcher_name TEXT NOT NULL DEFAULT '',
    call_id TEXT
);
CREATE INDEX IF NOT EXISTS seat_log_at ON seat_log (at);
"""

    /// The columns the reader needs, per table or view, in the order it selects them.
    package static let requiredColumns: [(table: String, columns: [String])] = [
        ("wallboard_interface", ["key", "value"]),
        ("stations", ["id", "name", "district", "sort_order", "latitude", "longitude"]),
        ("vehicles", ["id", "call_sign", "plate", "station_id", "status", "status_since", "incident_id", "task_id"]),
        ("incidents", [
            "id", "call_id", "received_at", "answered_at", "dispatched_at", "closed_at", "priority", "category",
            "complaint", "incident_address", "pickup_address", "landmark", "district", "casualties",
            "destination_hospital", "patient_name", "patient_sex", "patient_age", "callback_phone", "latitude", "longitude",
        ]),
        ("vehicle_tasks", [
            "id", "incident_id", "vehicle_id", "dispatched_at", "departed_at", "at_scene_at", "patient_on_board_at",
            "at_hospital_at", "completed_at", "empty_run_reason",
        ]),
        ("calls", ["id", "received_at", "answered_at", "ended_at", "seat_id", "outcome", "incident_id", "caller_phone"]),
        ("seats", ["id", "name", "dispatcher_name", "state", "state_since", "call_id"]),
        ("vehicle_status_log", ["vehicle_id", "status", "at", "incident_id", "task_id"]),
    ]

    /// The optional columns of `vehicles`: a site that reports positions has all four.
    package static let vehiclePositionColumns = ["latitude", "longitude", "heading", "position_at"]

    /// Whether `vehicles`, having `columns`, reports positions; some of the four without the rest is a mismatch.
    package static func hasVehiclePositions(_ columns: Set<String>, problemPrefix: String = "") throws(SourceProblem) -> Bool {
        let missing = vehiclePositionColumns.filter { !columns.contains($0) }
        guard !missing.isEmpty else { return true }
        guard missing.count < vehiclePositionColumns.count else { return false }
        let present = vehiclePositionColumns.filter(columns.contains)
        throw SourceProblem(kind: .interfaceMismatch, message: """
            \(problemPrefix)'vehicles' has \(present.joined(separator: ", ")) but lacks \(missing.joined(separator: ", ")); \
            a position needs all four (see SCHEMA.md)
            """)
    }

    /// The columns of the optional `seat_log`, in the order the reader selects them.
    package static let seatLogColumns = ["seat_id", "at", "state", "dispatcher_name", "call_id"]

    /// Whether the site keeps the seats' history: `seat_log` has `columns` (none when it is absent).
    /// A `seat_log` without all of its columns is a mismatch.
    package static func hasSeatLog(_ columns: Set<String>, problemPrefix: String = "") throws(SourceProblem) -> Bool {
        guard !columns.isEmpty else { return false }
        let missing = seatLogColumns.filter { !columns.contains($0) }
        guard !missing.isEmpty else { return true }
        throw SourceProblem(kind: .interfaceMismatch, message: """
            \(problemPrefix)'seat_log' lacks column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")); \
            the seats' history needs all of \(seatLogColumns.joined(separator: ", ")), or no seat_log at all (see SCHEMA.md)
            """)
    }

    /// The columns that hold numbers (time stamps in Unix seconds, codes, counts, coordinates), as
    /// `table.column`; every other column holds text or a key.
    package static let numberColumns: Set<String> = [
        "stations.sort_order", "stations.latitude", "stations.longitude",
        "vehicles.status", "vehicles.status_since",
        "vehicles.latitude", "vehicles.longitude", "vehicles.heading", "vehicles.position_at",
        "incidents.received_at", "incidents.answered_at", "incidents.dispatched_at", "incidents.closed_at", "incidents.priority",
        "incidents.casualties", "incidents.patient_age", "incidents.latitude", "incidents.longitude",
        "vehicle_tasks.dispatched_at", "vehicle_tasks.departed_at", "vehicle_tasks.at_scene_at", "vehicle_tasks.patient_on_board_at",
        "vehicle_tasks.at_hospital_at", "vehicle_tasks.completed_at",
        "calls.received_at", "calls.answered_at", "calls.ended_at",
        "seats.state_since",
        "vehicle_status_log.status", "vehicle_status_log.at",
        "seat_log.at",
    ]
}
