using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;

namespace ControlRoom.Storage;

/// <summary>
/// Local accounts, kept by the same store as incidents (PostgreSQL or embedded SQLite), each change
/// audited in its own transaction. Passwords arrive hashed: the store never sees one in clear.
/// </summary>
public interface IAccountStore
{
    /// <summary>Creates <paramref name="accounts"/> only when there are none yet (first start); false, writing nothing, otherwise.</summary>
    Task<bool> SeedAccountsAsync(IReadOnlyList<Account> accounts, AuditEntry audit, CancellationToken cancellationToken = default);

    Task<Account?> FindAccountAsync(string userName, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts a failed sign-in, atomically: the <paramref name="maxFailures"/>th in a row locks the account
    /// until <paramref name="lockUntil"/> and starts the count again. Audited whether or not the account exists.
    /// </summary>
    /// <returns>The account after the count, or null when there is no such account.</returns>
    Task<Account?> RecordFailedSignInAsync(string userName, int maxFailures, DateTimeOffset lockUntil, AuditEntry audit,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// A successful sign-in, unless the account is locked at <paramref name="now"/> (a parallel guess locked
    /// it meanwhile): then nothing is written and the answer is false. Otherwise the failure count restarts. Audited.
    /// </summary>
    Task<bool> RecordSignInAsync(string userName, DateTimeOffset now, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the password hash and the stamp (other sessions end), unlocks, and records whether the owner must
    /// change it (one an administrator set). False when there is no such account. Audited.
    /// </summary>
    Task<bool> SetPasswordAsync(string userName, string passwordHash, bool mustChange, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Creates one account; false, writing nothing, when the user name is taken. Audited.</summary>
    Task<bool> CreateAccountAsync(Account account, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes the role and support function, with a new stamp (the account's sessions end), if the role is still
    /// <paramref name="from"/> (what the administrator saw). False, writing nothing, otherwise or when there is no such account. Audited.
    /// </summary>
    Task<bool> SetRoleAsync(string userName, Role from, Role role, string? supportFunction, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Lifts a lock and restarts the failure count. False when there is no such account. Audited.</summary>
    Task<bool> UnlockAsync(string userName, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Removes the account if its role is still <paramref name="role"/>: its sessions end at their next check. False otherwise. Audited.</summary>
    Task<bool> DeleteAccountAsync(string userName, Role role, AuditEntry audit, CancellationToken cancellationToken = default);
}
