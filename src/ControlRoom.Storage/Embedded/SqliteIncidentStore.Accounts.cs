using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;
using Microsoft.Data.Sqlite;

namespace ControlRoom.Storage.Embedded;

/// <summary>Local accounts on SQLite: each change and its audit record in one transaction.</summary>
public sealed partial class SqliteIncidentStore
{
    private const string AccountColumns = "user_name, display_name, role, support_function, password_hash, stamp, failed_sign_ins, locked_until, must_change_password";

    public async Task<bool> SeedAccountsAsync(IReadOnlyList<Account> accounts, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if ((long)(await ScalarAsync(connection, transaction, "SELECT count(*) FROM accounts", cancellationToken))! > 0)
            return false;
        foreach (var a in accounts)
        {
            await ExecuteAsync(connection, transaction, $"INSERT INTO accounts ({AccountColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                cancellationToken, a.UserName, a.DisplayName, a.Role.ToCode(), a.SupportFunction, a.PasswordHash, a.Stamp, a.FailedSignIns,
                a.LockedUntil is { } until ? Timestamp(until) : null, a.MustChangePassword);
        }
        await ChainAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<Account?> FindAccountAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, $"SELECT {AccountColumns} FROM accounts WHERE user_name = $1", ReadAccount, cancellationToken, userName))
            .SingleOrDefault();
    }

    public async Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, $"SELECT {AccountColumns} FROM accounts ORDER BY user_name", ReadAccount, cancellationToken);
    }

    public async Task<Account?> RecordFailedSignInAsync(string userName, int maxFailures, DateTimeOffset lockUntil, AuditEntry audit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFailures);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        Account? account = null;
        await using (var command = Command(connection, transaction, $"""
            UPDATE accounts SET
                locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_until END,
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE failed_sign_ins + 1 END
            WHERE user_name = $1
            RETURNING {AccountColumns}
            """, [userName, maxFailures, Timestamp(lockUntil)]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
                account = ReadAccount(reader);
        }
        await ChainAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return account;
    }

    public Task<bool> RecordSignInAsync(string userName, DateTimeOffset now, AuditEntry audit, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync("UPDATE accounts SET failed_sign_ins = 0 WHERE user_name = $1 AND (locked_until IS NULL OR locked_until <= $2)",
            [userName, Timestamp(now)], audit, cancellationToken);

    public Task<bool> SetPasswordAsync(string userName, string passwordHash, bool mustChange, AuditEntry audit, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync("UPDATE accounts SET password_hash = $2, stamp = $3, failed_sign_ins = 0, locked_until = NULL, must_change_password = $4 WHERE user_name = $1",
            [userName, passwordHash, Account.NewStamp(), mustChange], audit, cancellationToken);

    public async Task<bool> CreateAccountAsync(Account account, AuditEntry audit, CancellationToken cancellationToken = default) =>
        await ChangeAccountAsync($"INSERT INTO accounts ({AccountColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (user_name) DO NOTHING",
            [account.UserName, account.DisplayName, account.Role.ToCode(), account.SupportFunction, account.PasswordHash, account.Stamp,
             account.FailedSignIns, account.LockedUntil is { } until ? Timestamp(until) : null, account.MustChangePassword], audit, cancellationToken);

    public Task<bool> SetRoleAsync(string userName, Role from, Role role, string? supportFunction, AuditEntry audit, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync("UPDATE accounts SET role = $2, support_function = $3, stamp = $4 WHERE user_name = $1 AND role = $5",
            [userName, role.ToCode(), supportFunction, Account.NewStamp(), from.ToCode()], audit, cancellationToken);

    public Task<bool> UnlockAsync(string userName, AuditEntry audit, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync("UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL WHERE user_name = $1", [userName], audit, cancellationToken);

    public Task<bool> DeleteAccountAsync(string userName, Role role, AuditEntry audit, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync("DELETE FROM accounts WHERE user_name = $1 AND role = $2", [userName, role.ToCode()], audit, cancellationToken);

    // One row changed, with its audit record, or nothing at all (no such account, or the name taken).
    private async Task<bool> ChangeAccountAsync(string sql, object?[] values, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var command = Command(connection, transaction, sql, values))
        {
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                return false;
        }
        await ChainAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static Account ReadAccount(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), RoleNames.TryParse(r.GetString(2), out var role) ? role : throw new InvalidDataException($"Unknown role '{r.GetString(2)}'."),
        r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt32(6), r.IsDBNull(7) ? null : ParseTimestamp(r.GetString(7)), r.GetInt64(8) != 0);
}
