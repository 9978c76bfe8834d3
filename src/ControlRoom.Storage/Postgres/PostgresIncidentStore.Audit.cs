using ControlRoom.Domain.Audit;
using Npgsql;
using NpgsqlTypes;

namespace ControlRoom.Storage.Postgres;

/// <summary>The audit chain on PostgreSQL: links appended inside the callers' transactions, reads for the page and the check.</summary>
public sealed partial class PostgresIncidentStore
{
    private const string AuditColumns = "sequence, at, actor, action, subject, details, origin, previous_hash, hash";

    // Appends to the audit chain take this lock last in their transaction: one link at a time.
    private const long AuditLockKey = 0x43_52_41_55_44_49_54; // "CRAUDIT"

    public async Task<AuditRecord> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var record = await ChainAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return record;
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        await using var command = dataSource.CreateCommand($"""
            SELECT {AuditColumns} FROM audit_log
            WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
              AND ($3::text IS NULL OR strpos(lower(actor), lower($3)) > 0)
              AND ($4::text IS NULL OR strpos(lower(action), lower($4)) > 0)
            ORDER BY sequence DESC
            LIMIT $5
            """);
        command.Parameters.Add(Nullable(query.From is { } from ? AuditEntry.ToMicroseconds(from) : null, NpgsqlDbType.TimestampTz));
        command.Parameters.Add(Nullable(query.To is { } to ? AuditEntry.ToMicroseconds(to) : null, NpgsqlDbType.TimestampTz));
        command.Parameters.Add(Nullable(query.Actor, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(query.Action, NpgsqlDbType.Text));
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });
        return await ReadAuditRecordsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditChainAsync(long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        await using var command = dataSource.CreateCommand($"SELECT {AuditColumns} FROM audit_log WHERE sequence > $1 ORDER BY sequence LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        return await ReadAuditRecordsAsync(command, cancellationToken);
    }

    /// <summary>Links <paramref name="entry"/> to the newest record, inside the caller's transaction, holding the chain's lock until it ends.</summary>
    private static async Task<AuditRecord> ChainAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            gate.Parameters.Add(new NpgsqlParameter { Value = AuditLockKey });
            await gate.ExecuteNonQueryAsync(cancellationToken);
        }
        long sequence = 0;
        var previous = AuditChain.Genesis;
        await using (var head = new NpgsqlCommand("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
                (sequence, previous) = (reader.GetInt64(0), reader.GetString(1));
        }
        var record = AuditChain.Link(sequence + 1, entry, previous);
        await using var insert = new NpgsqlCommand($"INSERT INTO audit_log ({AuditColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", connection, transaction);
        insert.Parameters.AddRange(new[]
        {
            new NpgsqlParameter { Value = record.Sequence }, Timestamp(entry.At), Text(entry.Actor), Text(entry.Action), Text(entry.Subject),
            Text(entry.Details), Text(entry.Origin), Text(record.PreviousHash), Text(record.Hash),
        });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return record;
    }

    private static async Task<IReadOnlyList<AuditRecord>> ReadAuditRecordsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var entry = AuditEntry.Stored(reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6));
            list.Add(new AuditRecord(reader.GetInt64(0), entry, reader.GetString(7), reader.GetString(8)));
        }
        return list;
    }
}
