using Npgsql;

namespace ControlRoom.Storage.Postgres;

/// <summary>The critical systems' kept history: status changes and hourly latency.</summary>
public sealed partial class PostgresIncidentStore
{
    public async Task RecordSystemStatusAsync(IReadOnlyList<SystemStatusChange> changes, CancellationToken cancellationToken = default)
    {
        if (changes.Count == 0)
            return;
        await using var command = dataSource.CreateCommand(
            "INSERT INTO system_status (system, at, status) SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[]) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.System).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.At.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Status).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SystemStatusChange>> ListSystemStatusAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT system, at, status FROM system_status WHERE at >= $1 ORDER BY at, system");
        command.Parameters.Add(Timestamp(since));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<SystemStatusChange>();
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new SystemStatusChange(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2)));
        return list;
    }

    public async Task RecordSystemLatencyAsync(IReadOnlyList<SystemLatencyHour> hours, CancellationToken cancellationToken = default)
    {
        if (hours.Count == 0)
            return;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO system_latency (system, hour, samples, mean_ms, max_ms)
            SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::int[], $4::double precision[], $5::double precision[])
            ON CONFLICT (system, hour) DO UPDATE SET samples = excluded.samples, mean_ms = excluded.mean_ms, max_ms = excluded.max_ms
            WHERE excluded.samples > system_latency.samples
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = hours.Select(h => h.System).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = hours.Select(h => h.Hour.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = hours.Select(h => h.Samples).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = hours.Select(h => h.MeanMs).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = hours.Select(h => h.MaxMs).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SystemLatencyHour>> ListSystemLatencyAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT system, hour, samples, mean_ms, max_ms FROM system_latency WHERE hour >= $1 ORDER BY hour, system");
        command.Parameters.Add(Timestamp(since));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<SystemLatencyHour>();
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new SystemLatencyHour(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2), reader.GetDouble(3), reader.GetDouble(4)));
        return list;
    }
}
