-- Optional, after schema-postgres.sql: every change to an interface table sends NOTIFY on the
-- channel wallboard_changed, once per statement and only when the writer's transaction commits.
-- Wallboard listens on a primary and reads at once; without these triggers (or on a hot standby,
-- where LISTEN is refused) it finds changes by polling.
--
-- The payload is the table's name, then, after one space, the stations the change concerns as a
-- JSON array of station ids:
--
--     vehicles ["S03","S07"]     a change to vehicles of S03 and S07, to incidents they work, or to
--                                the tasks of those incidents (also incidents, vehicle_tasks,
--                                vehicle_status_log, and calls: about an incident they work)
--     seats []                   concerns no station: only instances that show seats read (also
--                                seat_log; calls [] for instances that show calls or count them)
--     stations                   the table's name alone concerns every instance
--
-- An instance whose boards belong to some stations reads only for a payload that names one of
-- them, or that it cannot tell (the name alone, as older triggers and wallboard_watch send).
--
-- Where the interface is views over a dispatch system's own tables, watch those base tables:
--
--     SELECT wallboard_watch('dispatch.vehicle_state');
--
-- which wakes every instance on each change; a site's own trigger may send the stations instead,
-- as wallboard_notify_stations does, e.g. for a base table with a station column:
--
--     PERFORM pg_notify('wallboard_changed', 'vehicles ' || (SELECT json_agg(DISTINCT station_code) FROM changed_rows)::text);

-- The table's name, and the trigger's argument after a space when it has one.
CREATE OR REPLACE FUNCTION wallboard_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('wallboard_changed', TG_TABLE_NAME || COALESCE(' ' || TG_ARGV[0], ''));
    RETURN NULL;
END;
$$;

-- The stations of the vehicles in the changed rows (transition tables wallboard_old and
-- wallboard_new), of the vehicles working the incidents those rows belong to, and of the
-- vehicles on those incidents' open tasks. Too many stations for a payload: the name alone.
CREATE OR REPLACE FUNCTION wallboard_notify_stations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT * FROM wallboard_new'
        WHEN 'DELETE' THEN 'SELECT * FROM wallboard_old'
        ELSE 'SELECT * FROM wallboard_new UNION ALL SELECT * FROM wallboard_old' END;
    incidents text := CASE TG_TABLE_NAME
        WHEN 'incidents' THEN 'SELECT id FROM changed'
        WHEN 'vehicle_status_log' THEN 'SELECT NULL::text WHERE false'
        ELSE 'SELECT incident_id FROM changed' END;
    vehicles text := CASE TG_TABLE_NAME
        WHEN 'vehicles' THEN 'SELECT id FROM changed'
        WHEN 'incidents' THEN 'SELECT NULL::text WHERE false'
        WHEN 'calls' THEN 'SELECT NULL::text WHERE false'
        ELSE 'SELECT vehicle_id FROM changed' END;
    stations text;
    payload text;
BEGIN
    EXECUTE format(
        'WITH changed AS (%s), worked AS (%s) SELECT json_agg(DISTINCT v.station_id)::text FROM vehicles AS v '
        'WHERE v.id IN (%s) OR v.incident_id IN (SELECT * FROM worked) OR v.id IN '
        '(SELECT t.vehicle_id FROM vehicle_tasks AS t WHERE t.completed_at IS NULL AND t.incident_id IN (SELECT * FROM worked))',
        changed, incidents, vehicles) INTO stations;
    IF TG_TABLE_NAME = 'vehicles' AND TG_OP <> 'INSERT' THEN
        -- A vehicle that left a station, or was removed, concerns the station it was at.
        EXECUTE 'SELECT json_agg(DISTINCT station_id)::text FROM wallboard_old' INTO payload;
        stations := (SELECT json_agg(DISTINCT id)::text FROM (
            SELECT json_array_elements_text(COALESCE(stations, '[]')::json) AS id
            UNION SELECT json_array_elements_text(COALESCE(payload, '[]')::json)) AS both_lists);
    END IF;
    payload := TG_TABLE_NAME || ' ' || COALESCE(stations, '[]');
    PERFORM pg_notify('wallboard_changed', CASE WHEN octet_length(payload) > 7000 THEN TG_TABLE_NAME ELSE payload END);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION wallboard_watch(watched regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS wallboard_changed ON %s', watched);
    EXECUTE format(
        'CREATE TRIGGER wallboard_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
        'FOR EACH STATEMENT EXECUTE FUNCTION wallboard_notify_change()', watched);
END;
$$;

CREATE OR REPLACE FUNCTION wallboard_watch_without_station(watched regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS wallboard_changed ON %s', watched);
    EXECUTE format(
        'CREATE TRIGGER wallboard_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
        'FOR EACH STATEMENT EXECUTE FUNCTION wallboard_notify_change(''[]'')', watched);
END;
$$;

-- One trigger per kind of statement (a trigger with transition tables takes one event), and
-- TRUNCATE, which has none, with the name alone.
CREATE OR REPLACE FUNCTION wallboard_watch_stations(watched regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS wallboard_changed ON %s', watched);
    EXECUTE format('CREATE OR REPLACE TRIGGER wallboard_changed_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS wallboard_new '
                   'FOR EACH STATEMENT EXECUTE FUNCTION wallboard_notify_stations()', watched);
    EXECUTE format('CREATE OR REPLACE TRIGGER wallboard_changed_update AFTER UPDATE ON %s '
                   'REFERENCING OLD TABLE AS wallboard_old NEW TABLE AS wallboard_new '
                   'FOR EACH STATEMENT EXECUTE FUNCTION wallboard_notify_stations()', watched);
    EXECUTE format('CREATE OR REPLACE TRIGGER wallboard_changed_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS wallboard_old '
                   'FOR EACH STATEMENT EXECUTE FUNCTION wallboard_notify_stations()', watched);
    EXECUTE format('CREATE OR REPLACE TRIGGER wallboard_changed_truncate AFTER TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION wallboard_notify_change()', watched);
END;
$$;

SELECT CASE
    WHEN interface_table IN ('vehicles', 'incidents', 'vehicle_tasks', 'vehicle_status_log', 'calls') THEN wallboard_watch_stations(interface_table::regclass)
    WHEN interface_table IN ('seats', 'seat_log') THEN wallboard_watch_without_station(interface_table::regclass)
    ELSE wallboard_watch(interface_table::regclass) END
FROM unnest(ARRAY['wallboard_interface', 'stations', 'vehicles', 'incidents', 'vehicle_tasks', 'calls', 'seats',
                  'vehicle_status_log', 'seat_log']) AS interface_table
WHERE to_regclass(interface_table) IS NOT NULL
  AND (SELECT relkind FROM pg_class WHERE oid = to_regclass(interface_table)) IN ('r', 'p');
