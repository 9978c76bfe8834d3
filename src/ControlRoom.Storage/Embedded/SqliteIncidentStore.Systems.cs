namespace ControlRoom.Storage.Embedded;

/// <summary>The critical systems' kept history: status changes and hourly latency.</summary>
public sealed partial class SqliteIncidentStore
{
    public async Task RecordSystemStatusAsync(IReadOnlyList<SystemStatusChange> changes, CancellationToken cancellationToken = default)
    {
        if (changes.Count == 0)
            return;
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var change in changes)
        {
            await ExecuteAsync(connection, transaction, "INSERT OR IGNORE INTO system_status (system, at, status) VALUES ($1, $2, $3)", cancellationToken,
                change.System, Timestamp(change.At), change.Status);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SystemStatusChange>> ListSystemStatusAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, "SELECT system, at, status FROM system_status WHERE at >= $1 ORDER BY at, system",
            r => new SystemStatusChange(r.GetString(0), ParseTimestamp(r.GetString(1)), r.GetString(2)), cancellationToken, Timestamp(since));
    }

    public async Task RecordSystemLatencyAsync(IReadOnlyList<SystemLatencyHour> hours, CancellationToken cancellationToken = default)
    {
        if (hours.Count == 0)
            return;
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var hour in hours)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO system_latency (system, hour, samples, mean_ms, max_ms) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (system, hour) DO UPDATE SET samples = excluded.samples, mean_ms = excluded.mean_ms, max_ms = excluded.max_ms
                WHERE excluded.samples > system_latency.samples
                """, cancellationToken, hour.System, Timestamp(hour.Hour), hour.Samples, hour.MeanMs, hour.MaxMs);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SystemLatencyHour>> ListSystemLatencyAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, "SELECT system, hour, samples, mean_ms, max_ms FROM system_latency WHERE hour >= $1 ORDER BY hour, system",
            r => new SystemLatencyHour(r.GetString(0), ParseTimestamp(r.GetString(1)), r.GetInt32(2), r.GetDouble(3), r.GetDouble(4)), cancellationToken, Timestamp(since));
    }
}
