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
