using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Audit;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;
using ControlRoom.Storage.EventSerialization;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace ControlRoom.Storage.Postgres;

/// <summary>
/// <see cref="IIncidentStore"/> on PostgreSQL/PostGIS. Appends lock the incident's row (FOR UPDATE),
/// so concurrent appends to one incident serialize; two creators of the same new incident race on
/// the events' primary key instead, and the loser gets a <see cref="ConcurrencyConflictException"/>.
/// </summary>
public sealed partial class PostgresIncidentStore(NpgsqlDataSource dataSource, TimeProvider time) : IIncidentStore, IAccountStore
{
    private const string IncidentColumns =
        "id, type_code, priority, status, location, municipio, nil, title, version, opened_at, updated_at, assigned_units";

    private const string UnitColumns = "id, kind, base, position, status, incident_id, updated_at";

    /// <summary>A data source with the NetTopologySuite mapping for geography columns.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    public string Location
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
        }
    }

    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        PostgresMigrations.ApplyAsync(dataSource, time, cancellationToken);

    public async Task AppendAsync(
        IncidentId incident, int expectedVersion, IReadOnlyList<IncidentEvent> events,
        IReadOnlyList<Unit> unitChanges, IReadOnlyList<(string Type, string Payload)> outbox, AuditEntry audit,
        CancellationToken cancellationToken = default)
    {
        IncidentLog.CheckAppend(incident, expectedVersion, events);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

            var current = await LockVersionAsync(connection, incident, cancellationToken);
            if (current != expectedVersion)
                throw new ConcurrencyConflictException(incident, expectedVersion, current);

            await LockAvailableAsync(connection, unitChanges, cancellationToken);
            var existing = current == 0 ? [] : await LoadAsync(connection, incident, cancellationToken);
            var state = IncidentLog.Replay(existing, events);
            var now = time.GetUtcNow();

            await using var batch = new NpgsqlBatch(connection, transaction);
            for (var i = 0; i < events.Count; i++)
                batch.BatchCommands.Add(InsertEvent(events[i], current + i + 1));
            batch.BatchCommands.Add(UpsertIncident(state, events[^1].At));
            foreach (var unit in unitChanges)
                batch.BatchCommands.Add(UpsertUnit(unit, now, keepExisting: false));
            foreach (var (type, payload) in outbox)
                batch.BatchCommands.Add(InsertOutbox(type, payload, now));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            await ChainAsync(connection, transaction, audit, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "incident_events_pkey" })
        {
            // Another creator of this new incident committed first (there was no row to lock).
            throw new ConcurrencyConflictException(incident, expectedVersion, await CurrentVersionAsync(incident, cancellationToken));
        }
    }

    public async Task<IReadOnlyList<IncidentEvent>> LoadAsync(IncidentId incident, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LoadAsync(connection, incident, cancellationToken);
    }

    public async Task<IReadOnlyList<IncidentSummary>> ListAsync(bool includeFinal, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = dataSource.CreateCommand($"""
            SELECT {IncidentColumns} FROM incidents
            WHERE $1 OR status <> ALL($2)
            ORDER BY status = ANY($2), opened_at DESC, id
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = includeFinal });
        command.Parameters.Add(new NpgsqlParameter { Value = IncidentLog.FinalStatuses.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<IncidentSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var location = reader.GetFieldValue<Point>(4);
            list.Add(new IncidentSummary(
                new IncidentId(reader.GetGuid(0)), reader.GetString(1), (Priority)reader.GetInt32(2),
                Enum.Parse<IncidentStatus>(reader.GetString(3)), location.X, location.Y,
                reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7), reader.GetInt32(8), reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetFieldValue<DateTimeOffset>(10), reader.GetFieldValue<string[]>(11)));
        }
        return list;
    }

    public async Task SeedUnitsAsync(IReadOnlyList<Unit> units, CancellationToken cancellationToken = default)
    {
        if (units.Count == 0)
            return;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var unit in units)
            batch.BatchCommands.Add(UpsertUnit(unit, now, keepExisting: true));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Unit>> ListUnitsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {UnitColumns} FROM units ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<Unit>();
        while (await reader.ReadAsync(cancellationToken))
            list.Add(ReadUnit(reader));
        return list;
    }

    private static Unit ReadUnit(NpgsqlDataReader reader) => new(
        new UnitId(reader.GetString(0)), Enum.Parse<UnitKind>(reader.GetString(1)), reader.GetString(2),
        reader.GetFieldValue<Point>(3), Enum.Parse<UnitStatus>(reader.GetString(4)),
        reader.IsDBNull(5) ? null : new IncidentId(reader.GetGuid(5)));

    public async Task<Unit?> SetUnitStatusAsync(UnitId unit, UnitStatus expected, UnitStatus next,
        IReadOnlyList<(string Type, string Payload)> outbox, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Unit updated;
        await using (var update = new NpgsqlCommand(
            $"UPDATE units SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2 AND incident_id IS NULL RETURNING {UnitColumns}",
            connection, transaction))
        {
            update.Parameters.AddRange(new[] { Text(unit.Value), Text(expected.ToString()), Text(next.ToString()), Timestamp(time.GetUtcNow()) });
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return null; // rolled back by the using: nothing written
            updated = ReadUnit(reader);
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (type, payload) in outbox)
            batch.BatchCommands.Add(InsertOutbox(type, payload, time.GetUtcNow()));
        if (batch.BatchCommands.Count > 0)
            await batch.ExecuteNonQueryAsync(cancellationToken);
        await ChainAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return updated;
    }

    public async Task RecordTriageAsync(AlertTriage triage, IReadOnlyList<(string Type, string Payload)> outbox, AuditEntry audit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(
            """INSERT INTO alert_triage (id, alert_keys, action, disposition, shelved_until, at, "by") VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            new NpgsqlParameter { Value = triage.Id }, new NpgsqlParameter { Value = triage.AlertKeys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            Text(triage.Action.ToString()), Nullable(triage.Disposition?.ToString(), NpgsqlDbType.Text),
            Nullable(triage.ShelvedUntil?.ToUniversalTime(), NpgsqlDbType.TimestampTz), Timestamp(triage.At), Text(triage.By)));
        foreach (var (type, payload) in outbox)
            batch.BatchCommands.Add(InsertOutbox(type, payload, time.GetUtcNow()));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await ChainAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AlertTriage>> ListTriageAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """SELECT id, alert_keys, action, disposition, shelved_until, at, "by" FROM alert_triage WHERE at >= $1 ORDER BY at, sequence""");
        command.Parameters.Add(Timestamp(since));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<AlertTriage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new AlertTriage(
                reader.GetGuid(0), reader.GetFieldValue<string[]>(1), Enum.Parse<TriageAction>(reader.GetString(2)),
                reader.IsDBNull(3) ? null : Enum.Parse<AlertDisposition>(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6)));
        }
        return list;
    }

    public async Task<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        await using var command = dataSource.CreateCommand(
            "SELECT sequence, type, payload::text, created_at FROM outbox WHERE published_at IS NULL ORDER BY sequence LIMIT $1");
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<OutboxMessage>();
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new OutboxMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        return list;
    }

    public async Task MarkPublishedAsync(IReadOnlyList<long> sequences, CancellationToken cancellationToken = default)
    {
        if (sequences.Count == 0)
            return;
        await using var command = dataSource.CreateCommand(
            "UPDATE outbox SET published_at = $1 WHERE sequence = ANY($2) AND published_at IS NULL");
        command.Parameters.Add(Timestamp(time.GetUtcNow()));
        command.Parameters.Add(new NpgsqlParameter { Value = sequences.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkRejectedAsync(long sequence, string reason, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE outbox SET published_at = $1, rejected_reason = $2 WHERE sequence = $3 AND published_at IS NULL");
        command.Parameters.Add(Timestamp(time.GetUtcNow()));
        command.Parameters.Add(Text(reason));
        command.Parameters.Add(new NpgsqlParameter { Value = sequence });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> LockVersionAsync(NpgsqlConnection connection, IncidentId incident, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM incidents WHERE id = $1 FOR UPDATE", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = incident.Value });
        return await command.ExecuteScalarAsync(cancellationToken) is int version ? version : 0;
    }

    /// <summary>Locks the units a dispatch sends en route and checks they are still available.</summary>
    private static async Task LockAvailableAsync(NpgsqlConnection connection, IReadOnlyList<Unit> unitChanges, CancellationToken cancellationToken)
    {
        var dispatched = unitChanges.Where(u => u.Status == UnitStatus.EnRoute).Select(u => u.Id.Value).ToArray();
        if (dispatched.Length == 0)
            return;
        await using var command = new NpgsqlCommand("SELECT id, status FROM units WHERE id = ANY($1) FOR UPDATE", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = dispatched });
        var found = new Dictionary<string, UnitStatus>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                found[reader.GetString(0)] = Enum.Parse<UnitStatus>(reader.GetString(1));
        }
        foreach (var id in dispatched)
        {
            if (!found.TryGetValue(id, out var status) || status != UnitStatus.Available)
                throw new UnitUnavailableException(new UnitId(id), found.TryGetValue(id, out var s) ? s : null);
        }
    }

    private async Task<int> CurrentVersionAsync(IncidentId incident, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(version), 0) FROM incident_events WHERE incident_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = incident.Value });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<IReadOnlyList<IncidentEvent>> LoadAsync(NpgsqlConnection connection, IncidentId incident, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT type, payload::text FROM incident_events WHERE incident_id = $1 ORDER BY version", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = incident.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<IncidentEvent>();
        while (await reader.ReadAsync(cancellationToken))
            events.Add(IncidentEventJson.Deserialize(reader.GetString(0), reader.GetString(1)));
        return events;
    }

    private static NpgsqlBatchCommand InsertEvent(IncidentEvent e, int version) => Command(
        """INSERT INTO incident_events (incident_id, version, type, payload, at, "by") VALUES ($1, $2, $3, $4, $5, $6)""",
        new NpgsqlParameter { Value = e.Incident.Value }, new NpgsqlParameter { Value = version },
        Text(IncidentEventJson.TypeOf(e)), Jsonb(IncidentEventJson.Serialize(e)), Timestamp(e.At), Text(e.By));

    private static NpgsqlBatchCommand UpsertIncident(Incident state, DateTimeOffset updatedAt) => Command(
        $"""
        INSERT INTO incidents ({IncidentColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        ON CONFLICT (id) DO UPDATE SET type_code = excluded.type_code, priority = excluded.priority,
            status = excluded.status, location = excluded.location, municipio = excluded.municipio, nil = excluded.nil,
            title = excluded.title, version = excluded.version, opened_at = excluded.opened_at,
            updated_at = excluded.updated_at, assigned_units = excluded.assigned_units
        """,
        new NpgsqlParameter { Value = state.Id.Value }, Text(state.Type.Code), new NpgsqlParameter { Value = (int)state.Priority },
        Text(state.Status.ToString()), Geography(state.Location), Nullable(state.Municipio, NpgsqlDbType.Integer),
        Nullable(state.Nil, NpgsqlDbType.Text), Text(state.Title), new NpgsqlParameter { Value = state.Version },
        Timestamp(state.OpenedAt), Timestamp(updatedAt),
        new NpgsqlParameter { Value = IncidentLog.AssignedUnits(state), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });

    private static NpgsqlBatchCommand UpsertUnit(Unit unit, DateTimeOffset now, bool keepExisting) => Command(
        $"""
        INSERT INTO units ({UnitColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (id) DO {(keepExisting ? "NOTHING" : """
            UPDATE SET kind = excluded.kind, base = excluded.base, position = excluded.position,
                status = excluded.status, incident_id = excluded.incident_id, updated_at = excluded.updated_at
            """)}
        """,
        Text(unit.Id.Value), Text(unit.Kind.ToString()), Text(unit.Base), Geography(unit.Position), Text(unit.Status.ToString()),
        Nullable(unit.Incident?.Value, NpgsqlDbType.Uuid), Timestamp(now));

    private static NpgsqlBatchCommand InsertOutbox(string type, string payload, DateTimeOffset now) =>
        Command("INSERT INTO outbox (type, payload, created_at) VALUES ($1, $2, $3)", Text(type), Jsonb(payload), Timestamp(now));

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Jsonb(string json) => new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb };

    // timestamptz takes UTC only (Npgsql refuses other offsets); the exact offset lives in the payload.
    private static NpgsqlParameter Timestamp(DateTimeOffset value) =>
        new() { Value = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    // Geometry is NTS's default mapping; the columns are geography.
    private static NpgsqlParameter Geography(Point point) => new() { Value = point, NpgsqlDbType = NpgsqlDbType.Geography };

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) =>
        new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
