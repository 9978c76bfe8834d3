using System.Globalization;
using System.Text.Json;
using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Audit;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;
using ControlRoom.Storage.EventSerialization;
using Microsoft.Data.Sqlite;

namespace ControlRoom.Storage.Embedded;

/// <summary>
/// <see cref="IIncidentStore"/> in one SQLite file, for a single-machine install without PostgreSQL.
/// Every write is a BEGIN IMMEDIATE transaction: writers (threads or processes) queue on the file's
/// write lock, so the version check and the append cannot interleave; WAL lets readers go on meanwhile.
/// </summary>
public sealed partial class SqliteIncidentStore(string databasePath, TimeProvider time) : IIncidentStore, IAccountStore
{
    private const string IncidentColumns =
        "id, type_code, priority, status, lon, lat, municipio, nil, title, version, opened_at, updated_at, assigned_units";

    private const string UnitColumns = "id, kind, base, lon, lat, status, incident_id, updated_at";

    private const string AuditColumns = "sequence, at, actor, action, subject, details, origin, previous_hash, hash";

    private static readonly string FinalStatusList = string.Join(", ", IncidentLog.FinalStatuses.Select(s => $"'{s}'"));

    private readonly string _path = Path.GetFullPath(databasePath);

    /// <summary>The connection string the store uses for <paramref name="databasePath"/>.</summary>
    public static string ConnectionStringFor(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(databasePath),
        Mode = SqliteOpenMode.ReadWriteCreate,
        // A private cache per connection: shared cache replaces WAL's concurrent readers with table locks.
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 30, // seconds a writer waits for the write lock before giving up
    }.ToString();

    public string Location => $"SQLite {_path}";

    /// <summary>False before the first migration created the file (reading would create an empty one).</summary>
    public bool DatabaseExists => File.Exists(_path);

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await using var connection = await OpenAsync(cancellationToken);
        await SqliteMigrations.ApplyAsync(connection, time, cancellationToken);
    }

    public async Task AppendAsync(
        IncidentId incident, int expectedVersion, IReadOnlyList<IncidentEvent> events,
        IReadOnlyList<Unit> unitChanges, IReadOnlyList<(string Type, string Payload)> outbox, AuditEntry audit,
        CancellationToken cancellationToken = default)
    {
        IncidentLog.CheckAppend(incident, expectedVersion, events);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);

        var current = await ScalarAsync(connection, transaction, "SELECT version FROM incidents WHERE id = $1", cancellationToken, Id(incident)) is long v
            ? (int)v
            : 0;
        if (current != expectedVersion)
            throw new ConcurrencyConflictException(incident, expectedVersion, current);

        foreach (var unit in unitChanges.Where(u => u.Status == UnitStatus.EnRoute))
        {
            var status = await ScalarAsync(connection, transaction, "SELECT status FROM units WHERE id = $1", cancellationToken, unit.Id.Value) as string;
            if (status != nameof(UnitStatus.Available))
                throw new UnitUnavailableException(unit.Id, status is null ? null : Enum.Parse<UnitStatus>(status));
        }
        var existing = current == 0 ? [] : await LoadAsync(connection, transaction, incident, cancellationToken);
        var state = IncidentLog.Replay(existing, events);
        var now = Timestamp(time.GetUtcNow());

        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            await ExecuteAsync(connection, transaction,
                """INSERT INTO incident_events (incident_id, version, type, payload, at, "by") VALUES ($1, $2, $3, $4, $5, $6)""",
                cancellationToken, Id(incident), current + i + 1, IncidentEventJson.TypeOf(e), IncidentEventJson.Serialize(e), Timestamp(e.At), e.By);
        }
        await ExecuteAsync(connection, transaction,
            $"""
            INSERT INTO incidents ({IncidentColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (id) DO UPDATE SET type_code = excluded.type_code, priority = excluded.priority,
                status = excluded.status, lon = excluded.lon, lat = excluded.lat, municipio = excluded.municipio,
                nil = excluded.nil, title = excluded.title, version = excluded.version, opened_at = excluded.opened_at,
                updated_at = excluded.updated_at, assigned_units = excluded.assigned_units
            """,
            cancellationToken, Id(incident), state.Type.Code, (int)state.Priority, state.Status.ToString(), state.Location.X, state.Location.Y,
            state.Municipio, state.Nil, state.Title, state.Version, Timestamp(state.OpenedAt), Timestamp(events[^1].At),
            JsonSerializer.Serialize(IncidentLog.AssignedUnits(state)));
        foreach (var unit in unitChanges)
            await UpsertUnitAsync(connection, transaction, unit, now, keepExisting: false, cancellationToken);
        await EnqueueAsync(connection, transaction, outbox, now, cancellationToken);
        await ChainAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<IncidentEvent>> LoadAsync(IncidentId incident, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await LoadAsync(connection, null, incident, cancellationToken);
    }

    public async Task<IReadOnlyList<IncidentSummary>> ListAsync(bool includeFinal, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection,
            $"""
            SELECT {IncidentColumns} FROM incidents
            WHERE $1 OR status NOT IN ({FinalStatusList})
            ORDER BY status IN ({FinalStatusList}), opened_at DESC, id
            LIMIT $2
            """,
            r => new IncidentSummary(
                new IncidentId(Guid.Parse(r.GetString(0))), r.GetString(1), (Priority)r.GetInt32(2), Enum.Parse<IncidentStatus>(r.GetString(3)),
                r.GetDouble(4), r.GetDouble(5), r.IsDBNull(6) ? null : r.GetInt32(6), r.IsDBNull(7) ? null : r.GetString(7),
                r.GetString(8), r.GetInt32(9), ParseTimestamp(r.GetString(10)), ParseTimestamp(r.GetString(11)),
                JsonSerializer.Deserialize<string[]>(r.GetString(12)) ?? []),
            cancellationToken, includeFinal, limit);
    }

    public async Task SeedUnitsAsync(IReadOnlyList<Unit> units, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var now = Timestamp(time.GetUtcNow());
        foreach (var unit in units)
            await UpsertUnitAsync(connection, transaction, unit, now, keepExisting: true, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Unit>> ListUnitsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, $"SELECT {UnitColumns} FROM units ORDER BY id",
            r => new Unit(
                new UnitId(r.GetString(0)), Enum.Parse<UnitKind>(r.GetString(1)), r.GetString(2), Milan.Point(r.GetDouble(3), r.GetDouble(4)),
                Enum.Parse<UnitStatus>(r.GetString(5)), r.IsDBNull(6) ? null : new IncidentId(Guid.Parse(r.GetString(6)))),
            cancellationToken);
    }

    public async Task<Unit?> SetUnitStatusAsync(UnitId unit, UnitStatus expected, UnitStatus next,
        IReadOnlyList<(string Type, string Payload)> outbox, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var now = Timestamp(time.GetUtcNow());
        await using (var update = Command(connection, transaction,
            "UPDATE units SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2 AND incident_id IS NULL",
            [unit.Value, expected.ToString(), next.ToString(), now]))
        {
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
                return null; // rolled back by the using: nothing written
        }
        await EnqueueAsync(connection, transaction, outbox, now, cancellationToken);
        await ChainAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await ListUnitsAsync(cancellationToken)).First(u => u.Id == unit);
    }

    public async Task RecordTriageAsync(AlertTriage triage, IReadOnlyList<(string Type, string Payload)> outbox, AuditEntry audit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, transaction,
            """INSERT INTO alert_triage (id, alert_keys, action, disposition, shelved_until, at, "by") VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            cancellationToken, triage.Id.ToString(), JsonSerializer.Serialize(triage.AlertKeys), triage.Action.ToString(),
            triage.Disposition?.ToString(), triage.ShelvedUntil is { } until ? Timestamp(until) : null, Timestamp(triage.At), triage.By);
        await EnqueueAsync(connection, transaction, outbox, Timestamp(time.GetUtcNow()), cancellationToken);
        await ChainAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<AuditRecord> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var record = await ChainAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return record;
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection,
            $"""
            SELECT {AuditColumns} FROM audit_log
            WHERE ($1 IS NULL OR at >= $1) AND ($2 IS NULL OR at < $2)
              AND ($3 IS NULL OR instr(lower(actor), lower($3)) > 0)
              AND ($4 IS NULL OR instr(lower(action), lower($4)) > 0)
            ORDER BY sequence DESC
            LIMIT $5
            """,
            ReadAuditRecord, cancellationToken,
            query.From is { } from ? Timestamp(AuditEntry.ToMicroseconds(from)) : null, query.To is { } to ? Timestamp(AuditEntry.ToMicroseconds(to)) : null,
            query.Actor, query.Action, query.Limit);
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditChainAsync(long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, $"SELECT {AuditColumns} FROM audit_log WHERE sequence > $1 ORDER BY sequence LIMIT $2",
            ReadAuditRecord, cancellationToken, afterSequence, max);
    }

    /// <summary>Links <paramref name="entry"/> to the newest record inside the caller's (exclusive) write transaction.</summary>
    private static async Task<AuditRecord> ChainAsync(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        long sequence = 0;
        var previous = AuditChain.Genesis;
        await using (var head = Command(connection, transaction, "SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1", []))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
                (sequence, previous) = (reader.GetInt64(0), reader.GetString(1));
        }
        var record = AuditChain.Link(sequence + 1, entry, previous);
        await ExecuteAsync(connection, transaction, $"INSERT INTO audit_log ({AuditColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            cancellationToken, record.Sequence, Timestamp(entry.At), entry.Actor, entry.Action, entry.Subject, entry.Details, entry.Origin,
            record.PreviousHash, record.Hash);
        return record;
    }

    private static AuditRecord ReadAuditRecord(SqliteDataReader r) => new(
        r.GetInt64(0), AuditEntry.Stored(
            // An unreadable time (a tampered row) hashes differently and is named by the chain check.
            DateTimeOffset.TryParse(r.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : DateTimeOffset.MinValue,
            r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6)),
        r.GetString(7), r.GetString(8));

    public async Task<IReadOnlyList<AlertTriage>> ListTriageAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection,
            """SELECT id, alert_keys, action, disposition, shelved_until, at, "by" FROM alert_triage WHERE at >= $1 ORDER BY at, sequence""",
            r => new AlertTriage(
                Guid.Parse(r.GetString(0)), JsonSerializer.Deserialize<string[]>(r.GetString(1)) ?? [], Enum.Parse<TriageAction>(r.GetString(2)),
                r.IsDBNull(3) ? null : Enum.Parse<AlertDisposition>(r.GetString(3)),
                r.IsDBNull(4) ? null : ParseTimestamp(r.GetString(4)), ParseTimestamp(r.GetString(5)), r.GetString(6)),
            cancellationToken, Timestamp(since));
    }

    public async Task<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection,
            "SELECT sequence, type, payload, created_at FROM outbox WHERE published_at IS NULL ORDER BY sequence LIMIT $1",
            r => new OutboxMessage(r.GetInt64(0), r.GetString(1), r.GetString(2), ParseTimestamp(r.GetString(3))),
            cancellationToken, max);
    }

    public async Task MarkPublishedAsync(IReadOnlyList<long> sequences, CancellationToken cancellationToken = default)
    {
        if (sequences.Count == 0)
            return;
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var now = Timestamp(time.GetUtcNow());
        foreach (var sequence in sequences)
        {
            await ExecuteAsync(connection, transaction, "UPDATE outbox SET published_at = $1 WHERE sequence = $2 AND published_at IS NULL",
                cancellationToken, now, sequence);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task MarkRejectedAsync(long sequence, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "UPDATE outbox SET published_at = $1, rejected_reason = $2 WHERE sequence = $3 AND published_at IS NULL",
            cancellationToken, Timestamp(time.GetUtcNow()), reason, sequence);
    }

    /// <summary>UTC in round-trip format: fixed width, so text order is time order.</summary>
    internal static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    internal static async Task ExecuteAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task EnqueueAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<(string Type, string Payload)> outbox, string now, CancellationToken cancellationToken)
    {
        foreach (var (type, payload) in outbox)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO outbox (type, payload, created_at) VALUES ($1, $2, $3)",
                cancellationToken, type, payload, now);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionStringFor(_path));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static Task UpsertUnitAsync(
        SqliteConnection connection, SqliteTransaction transaction, Unit unit, string now, bool keepExisting, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction,
            $"""
            INSERT INTO units ({UnitColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (id) DO {(keepExisting ? "NOTHING" : """
                UPDATE SET kind = excluded.kind, base = excluded.base, lon = excluded.lon, lat = excluded.lat,
                    status = excluded.status, incident_id = excluded.incident_id, updated_at = excluded.updated_at
                """)}
            """,
            cancellationToken, unit.Id.Value, unit.Kind.ToString(), unit.Base, unit.Position.X, unit.Position.Y, unit.Status.ToString(),
            unit.Incident is { } i ? Id(i) : null, now);

    private static async Task<IReadOnlyList<IncidentEvent>> LoadAsync(
        SqliteConnection connection, SqliteTransaction? transaction, IncidentId incident, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "SELECT type, payload FROM incident_events WHERE incident_id = $1 ORDER BY version", [Id(incident)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<IncidentEvent>();
        while (await reader.ReadAsync(cancellationToken))
            events.Add(IncidentEventJson.Deserialize(reader.GetString(0), reader.GetString(1)));
        return events;
    }

    private static async Task<List<T>> QueryAsync<T>(
        SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, null, sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
            list.Add(map(reader));
        return list;
    }

    private static async Task<object?> ScalarAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, object?[] values)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
            command.Parameters.AddWithValue($"${i + 1}", values[i] ?? DBNull.Value);
        return command;
    }

    // Microsoft.Data.Sqlite binds a Guid as a BLOB; ids are stored as their text form.
    private static string Id(IncidentId id) => id.ToString();
}
