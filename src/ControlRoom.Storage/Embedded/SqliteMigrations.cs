using Microsoft.Data.Sqlite;

namespace ControlRoom.Storage.Embedded;

/// <summary>
/// The embedded schema: the PostgreSQL tables with points as lon/lat REAL columns, ids and
/// timestamps as text (UTC, round-trip format, so they sort), arrays as JSON text.
/// Steps are append-only, as in <c>PostgresMigrations</c>.
/// </summary>
internal static class SqliteMigrations
{
    private static readonly (int Version, string Sql)[] Steps =
    [
        (1, """
            CREATE TABLE incident_events (
                incident_id TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version > 0),
                type TEXT NOT NULL,
                payload TEXT NOT NULL,
                at TEXT NOT NULL,
                "by" TEXT NOT NULL,
                PRIMARY KEY (incident_id, version)
            ) STRICT;
            CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events
            BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
            CREATE TRIGGER incident_events_no_delete BEFORE DELETE ON incident_events
            BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;

            CREATE TABLE incidents (
                id TEXT PRIMARY KEY,
                type_code TEXT NOT NULL,
                priority INTEGER NOT NULL,
                status TEXT NOT NULL,
                lon REAL NOT NULL,
                lat REAL NOT NULL,
                municipio INTEGER NULL,
                nil TEXT NULL,
                title TEXT NOT NULL,
                version INTEGER NOT NULL,
                opened_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                assigned_units TEXT NOT NULL DEFAULT '[]'
            ) STRICT;
            CREATE INDEX incidents_opened_at ON incidents (opened_at DESC);

            CREATE TABLE units (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                base TEXT NOT NULL,
                lon REAL NOT NULL,
                lat REAL NOT NULL,
                status TEXT NOT NULL,
                incident_id TEXT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE outbox (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                type TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at TEXT NOT NULL,
                published_at TEXT NULL
            ) STRICT;
            CREATE INDEX outbox_unpublished ON outbox (sequence) WHERE published_at IS NULL;
            """),
        (2, """
            CREATE TABLE alert_triage (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                alert_keys TEXT NOT NULL,
                action TEXT NOT NULL,
                disposition TEXT NULL,
                shelved_until TEXT NULL,
                at TEXT NOT NULL,
                "by" TEXT NOT NULL
            ) STRICT;
            CREATE INDEX alert_triage_at ON alert_triage (at);
            CREATE TRIGGER alert_triage_no_update BEFORE UPDATE ON alert_triage
            BEGIN SELECT RAISE(ABORT, 'alert_triage is append-only'); END;
            CREATE TRIGGER alert_triage_no_delete BEFORE DELETE ON alert_triage
            BEGIN SELECT RAISE(ABORT, 'alert_triage is append-only'); END;
            """),
        (3, """
            ALTER TABLE outbox ADD COLUMN rejected_reason TEXT NULL;
            """),
        (4, """
            CREATE TABLE audit_log (
                sequence INTEGER PRIMARY KEY CHECK (sequence > 0),
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                details TEXT NOT NULL,
                origin TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            ) STRICT;
            CREATE INDEX audit_log_at ON audit_log (at);
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
            """),
        (5, """
            CREATE TABLE accounts (
                user_name TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL,
                support_function TEXT NULL,
                password_hash TEXT NOT NULL,
                stamp TEXT NOT NULL,
                failed_sign_ins INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT NULL
            ) STRICT;
            """),
        (6, "ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;"),
        (7, """
            CREATE TABLE system_status (
                system TEXT NOT NULL,
                at TEXT NOT NULL,
                status TEXT NOT NULL,
                PRIMARY KEY (system, at)
            ) STRICT;
            CREATE INDEX system_status_at ON system_status (at);
            """),
        (8, """
            CREATE TABLE system_latency (
                system TEXT NOT NULL,
                hour TEXT NOT NULL,
                samples INTEGER NOT NULL CHECK (samples > 0),
                mean_ms REAL NOT NULL,
                max_ms REAL NOT NULL,
                PRIMARY KEY (system, hour)
            ) STRICT;
            """),
    ];

    public static async Task ApplyAsync(SqliteConnection connection, TimeProvider time, CancellationToken cancellationToken)
    {
        // WAL is a property of the file (it persists) and cannot be set inside a transaction.
        await SqliteIncidentStore.ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);

        // BEGIN IMMEDIATE takes the write lock first: a second process migrating waits, then finds it done.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await SqliteIncidentStore.ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT", cancellationToken);

        var applied = new HashSet<long>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                applied.Add(reader.GetInt64(0));
        }

        foreach (var (version, sql) in Steps.Where(s => !applied.Contains(s.Version)))
        {
            await SqliteIncidentStore.ExecuteAsync(connection, transaction, sql, cancellationToken);
            await SqliteIncidentStore.ExecuteAsync(connection, transaction,
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", cancellationToken,
                version, SqliteIncidentStore.Timestamp(time.GetUtcNow()));
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
