using Npgsql;

namespace ControlRoom.Storage.Postgres;

/// <summary>
/// The schema, as numbered steps recorded in schema_migrations. Steps are append-only: change the
/// schema by adding a step, never by editing one that may have run somewhere.
/// </summary>
internal static class PostgresMigrations
{
    // Any constant unique to this application; every migrating process takes the same lock.
    private const long LockKey = 0x43_52_4D_49_47_52; // "CRMIGR"

    private static readonly (int Version, string Sql)[] Steps =
    [
        (1, """
            CREATE TABLE incident_events (
                incident_id uuid NOT NULL,
                version int NOT NULL CHECK (version > 0),
                type text NOT NULL,
                payload jsonb NOT NULL,
                at timestamptz NOT NULL,
                "by" text NOT NULL,
                PRIMARY KEY (incident_id, version)
            );
            CREATE FUNCTION incident_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'incident_events is append-only';
            END $$;
            CREATE TRIGGER incident_events_append_only BEFORE UPDATE OR DELETE ON incident_events
                FOR EACH ROW EXECUTE FUNCTION incident_events_append_only();

            CREATE TABLE incidents (
                id uuid PRIMARY KEY,
                type_code text NOT NULL,
                priority int NOT NULL,
                status text NOT NULL,
                location geography(Point, 4326) NOT NULL,
                municipio int NULL,
                nil text NULL,
                title text NOT NULL,
                version int NOT NULL,
                opened_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                assigned_units text[] NOT NULL DEFAULT '{}'
            );
            CREATE INDEX incidents_opened_at ON incidents (opened_at DESC);
            CREATE INDEX incidents_location ON incidents USING gist (location);

            CREATE TABLE units (
                id text PRIMARY KEY,
                kind text NOT NULL,
                base text NOT NULL,
                position geography(Point, 4326) NOT NULL,
                status text NOT NULL,
                incident_id uuid NULL,
                updated_at timestamptz NOT NULL
            );
            CREATE INDEX units_position ON units USING gist (position);

            CREATE TABLE outbox (
                sequence bigserial PRIMARY KEY,
                type text NOT NULL,
                payload jsonb NOT NULL,
                created_at timestamptz NOT NULL,
                published_at timestamptz NULL
            );
            CREATE INDEX outbox_unpublished ON outbox (sequence) WHERE published_at IS NULL;
            """),
        (2, """
            CREATE TABLE alert_triage (
                sequence bigserial PRIMARY KEY,
                id uuid NOT NULL UNIQUE,
                alert_keys text[] NOT NULL,
                action text NOT NULL,
                disposition text NULL,
                shelved_until timestamptz NULL,
                at timestamptz NOT NULL,
                "by" text NOT NULL
            );
            CREATE INDEX alert_triage_at ON alert_triage (at);
            CREATE FUNCTION alert_triage_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'alert_triage is append-only';
            END $$;
            CREATE TRIGGER alert_triage_append_only BEFORE UPDATE OR DELETE ON alert_triage
                FOR EACH ROW EXECUTE FUNCTION alert_triage_append_only();
            """),
        (3, """
            ALTER TABLE outbox ADD COLUMN rejected_reason text NULL;
            """),
        (4, """
            CREATE TABLE audit_log (
                sequence bigint PRIMARY KEY CHECK (sequence > 0),
                at timestamptz NOT NULL,
                actor text NOT NULL,
                action text NOT NULL,
                subject text NOT NULL,
                details text NOT NULL, -- text, not jsonb: the hash covers the exact characters
                origin text NOT NULL,
                previous_hash text NOT NULL,
                hash text NOT NULL
            );
            CREATE INDEX audit_log_at ON audit_log (at);
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only';
            END $$;
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
            """),
        (5, """
            -- Row triggers do not fire on TRUNCATE: the append-only tables refuse it too.
            CREATE TRIGGER incident_events_no_truncate BEFORE TRUNCATE ON incident_events
                FOR EACH STATEMENT EXECUTE FUNCTION incident_events_append_only();
            CREATE TRIGGER alert_triage_no_truncate BEFORE TRUNCATE ON alert_triage
                FOR EACH STATEMENT EXECUTE FUNCTION alert_triage_append_only();
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
            """),
        (6, """
            CREATE TABLE accounts (
                user_name text PRIMARY KEY,
                display_name text NOT NULL,
                role text NOT NULL,
                support_function text NULL,
                password_hash text NOT NULL,
                stamp text NOT NULL,
                failed_sign_ins int NOT NULL DEFAULT 0,
                locked_until timestamptz NULL
            );
            """),
        (7, "ALTER TABLE accounts ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;"),
        (8, """
            CREATE TABLE system_status (
                system text NOT NULL,
                at timestamptz NOT NULL,
                status text NOT NULL,
                PRIMARY KEY (system, at)
            );
            CREATE INDEX system_status_at ON system_status (at);
            """),
        (9, """
            CREATE TABLE system_latency (
                system text NOT NULL,
                hour timestamptz NOT NULL,
                samples int NOT NULL CHECK (samples > 0),
                mean_ms double precision NOT NULL,
                max_ms double precision NOT NULL,
                PRIMARY KEY (system, hour)
            );
            """),
    ];

    public static async Task ApplyAsync(NpgsqlDataSource dataSource, TimeProvider time, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // Two processes starting at once: the second waits here, then finds everything done.
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock($1)", cancellationToken, LockKey);
            await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS postgis", cancellationToken);
            await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL)", cancellationToken);

            var applied = new HashSet<int>();
            await using (var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                    applied.Add(reader.GetInt32(0));
            }

            foreach (var (version, sql) in Steps.Where(s => !applied.Contains(s.Version)))
            {
                await ExecuteAsync(connection, sql, cancellationToken);
                await ExecuteAsync(connection, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", cancellationToken,
                    version, time.GetUtcNow());
            }
            await transaction.CommitAsync(cancellationToken);
        }

        // This data source may have loaded its types before PostGIS existed (created just now, or by
        // another process while we waited for the lock): without a reload, geography parameters fail
        // with "could not be found in the types that were loaded by Npgsql". Once per start: cheap.
        await dataSource.ReloadTypesAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
