-- Optional, after schema-postgres.sql: every change to an interface table sends NOTIFY on the
-- channel wallboard_changed, with the table's name as payload, once per statement and only when
-- the writer's transaction commits. Wallboard listens on a primary and reads at once; without
-- these triggers (or on a hot standby, where LISTEN is refused) it finds changes by polling.
--
-- Where the interface is views over a dispatch system's own tables, watch those base tables:
--
--     SELECT wallboard_watch('dispatch.vehicle_state');

CREATE OR REPLACE FUNCTION wallboard_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('wallboard_changed', TG_TABLE_NAME);
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

SELECT wallboard_watch(interface_table::regclass)
FROM unnest(ARRAY['wallboard_interface', 'stations', 'vehicles', 'incidents', 'vehicle_tasks', 'calls', 'seats',
                  'vehicle_status_log', 'seat_log']) AS interface_table
WHERE to_regclass(interface_table) IS NOT NULL
  AND (SELECT relkind FROM pg_class WHERE oid = to_regclass(interface_table)) IN ('r', 'p');
