using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;
using Npgsql;
using NpgsqlTypes;

namespace ControlRoom.Storage.Postgres;

/// <summary>Local accounts on PostgreSQL: each change and its audit record in one transaction.</summary>
public sealed partial class PostgresIncidentStore
{
    private const string AccountColumns = "user_name, display_name, role, support_function, password_hash, stamp, failed_sign_ins, locked_until, must_change_password";

    // Two processes seeding an empty table at once: the second waits, then finds accounts and writes nothing.
    private const long AccountSeedLockKey = 0x43_52_41_43_43_54; // "CRACCT"

    public async Task<bool> SeedAccountsAsync(IReadOnlyList<Account> accounts, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            gate.Parameters.Add(new NpgsqlParameter { Value = AccountSeedLockKey });
            await gate.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM accounts", connection, transaction))
        {
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! > 0)
                return false;
        }
        foreach (var a in accounts)
        {
            await using var insert = new NpgsqlCommand($"INSERT INTO accounts ({AccountColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", connection, transaction);
            insert.Parameters.AddRange(AccountParameters(a));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await ChainAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<Account?> FindAccountAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AccountColumns} FROM accounts WHERE user_name = $1");
        command.Parameters.Add(Text(userName));
        return (await ReadAccountsAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AccountColumns} FROM accounts ORDER BY user_name");
        return await ReadAccountsAsync(command, cancellationToken);
    }

    public async Task<Account?> RecordFailedSignInAsync(string userName, int maxFailures, DateTimeOffset lockUntil, AuditEntry audit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFailures);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Account? account;
        // One statement, so parallel attempts each count (the row lock orders them).
        await using (var update = new NpgsqlCommand($"""
            UPDATE accounts SET
                locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_until END,
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE failed_sign_ins + 1 END
            WHERE user_name = $1
            RETURNING {AccountColumns}
            """, connection, transaction))
        {
            update.Parameters.AddRange(new[] { Text(userName), new NpgsqlParameter { Value = maxFailures }, Timestamp(lockUntil) });
            account = (await ReadAccountsAsync(update, cancellationToken)).SingleOrDefault();
        }
        await ChainAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return account;
    }

    public Task<bool> RecordSignInAsync(string userName, DateTimeOffset now, AuditEntry audit, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync("UPDATE accounts SET failed_sign_ins = 0 WHERE user_name = $1 AND (locked_until IS NULL OR locked_until <= $2)",
            [Text(userName), Timestamp(now)], audit, cancellationToken);

    public Task<bool> SetPasswordAsync(string userName, string passwordHash, bool mustChange, AuditEntry audit, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync("UPDATE accounts SET password_hash = $2, stamp = $3, failed_sign_ins = 0, locked_until = NULL, must_change_password = $4 WHERE user_name = $1",
            [Text(userName), Text(passwordHash), Text(Account.NewStamp()), new NpgsqlParameter { Value = mustChange }], audit, cancellationToken);

    public Task<bool> CreateAccountAsync(Account account, AuditEntry audit, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync($"INSERT INTO accounts ({AccountColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (user_name) DO NOTHING",
            AccountParameters(account), audit, cancellationToken);

    private static NpgsqlParameter[] AccountParameters(Account a) =>
    [
        Text(a.UserName), Text(a.DisplayName), Text(a.Role.ToCode()), Nullable(a.SupportFunction, NpgsqlDbType.Text), Text(a.PasswordHash),
        Text(a.Stamp), new NpgsqlParameter { Value = a.FailedSignIns }, Nullable(a.LockedUntil?.ToUniversalTime(), NpgsqlDbType.TimestampTz),
        new NpgsqlParameter { Value = a.MustChangePassword },
    ];

    public Task<bool> SetRoleAsync(string userName, Role from, Role role, string? supportFunction, AuditEntry audit, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync("UPDATE accounts SET role = $2, support_function = $3, stamp = $4 WHERE user_name = $1 AND role = $5",
            [Text(userName), Text(role.ToCode()), Nullable(supportFunction, NpgsqlDbType.Text), Text(Account.NewStamp()), Text(from.ToCode())], audit, cancellationToken);

    public Task<bool> UnlockAsync(string userName, AuditEntry audit, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync("UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL WHERE user_name = $1", [Text(userName)], audit, cancellationToken);

    public Task<bool> DeleteAccountAsync(string userName, Role role, AuditEntry audit, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync("DELETE FROM accounts WHERE user_name = $1 AND role = $2", [Text(userName), Text(role.ToCode())], audit, cancellationToken);

    // One row changed, with its audit record, or nothing at all (no such account, or the name taken).
    private async Task<bool> ChangeAccountAsync(string sql, NpgsqlParameter[] parameters, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.AddRange(parameters);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                return false;
        }
        await ChainAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<IReadOnlyList<Account>> ReadAccountsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<Account>();
        while (await r.ReadAsync(cancellationToken))
        {
            accounts.Add(new Account(
                r.GetString(0), r.GetString(1), RoleNames.TryParse(r.GetString(2), out var role) ? role : throw new InvalidDataException($"Unknown role '{r.GetString(2)}'."),
                r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt32(6),
                r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.GetBoolean(8)));
        }
        return accounts;
    }
}
