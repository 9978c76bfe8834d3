using System.Security.Claims;
using System.Text.Json;
using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;
using ControlRoom.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlRoom.Web.Features.Access;

public enum SignInStatus
{
    SignedIn,
    Invalid,
    LockedOut,
}

/// <summary>The outcome of a sign-in: a session's principal, or why not (and until when, when locked).</summary>
/// <remarks>LockedUntil is set whenever the status is LockedOut.</remarks>
public sealed record SignInResult(SignInStatus Status, ClaimsPrincipal? Principal = null, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Checks a user name and password against the local accounts: counts failures (locking at the limit),
/// audits every attempt, and spends the same hashing work whether or not the account exists.
/// </summary>
public sealed class SignInService(
    IAccountStore accounts, IIncidentStore store, IPasswordHasher<Account> hasher, IOptions<AccountOptions> options, TimeProvider clock)
{
    public const int MaxPasswordLength = 256;
    public const int MinPasswordLength = 12;

    // Verified against when the account does not exist, so the answer takes as long either way.
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<Account>().HashPassword(null!, Guid.NewGuid().ToString()));

    public async Task<SignInResult> SignInAsync(string? userName, string? password, string origin, CancellationToken cancellationToken)
    {
        var name = (userName ?? "").Trim().ToLowerInvariant();
        // A device token pasted as a user name is refused before the audit, which would keep it in clear.
        if (!Account.IsValidUserName(name) || name.StartsWith(Secrets.DeviceTokenPrefix, StringComparison.Ordinal)
            || string.IsNullOrEmpty(password) || password.Length > MaxPasswordLength)
            return new SignInResult(SignInStatus.Invalid);

        var now = clock.GetUtcNow();
        var rules = options.Value;
        var account = await accounts.FindAccountAsync(name, cancellationToken);
        if (account is { Role: Role.WallScreen })
        {
            // A device signs in with its token only. Not counted: a stranger's guesses must not lock a wall screen out.
            hasher.VerifyHashedPassword(account, DecoyHash.Value, password);
            await store.AppendAuditAsync(Audit(now, name, "auth.sign-in-failed", origin, new { reason = "device-account" }), cancellationToken);
            return new SignInResult(SignInStatus.Invalid);
        }
        if (account is not null && account.IsLockedAt(now))
        {
            await store.AppendAuditAsync(Audit(now, name, "auth.sign-in-refused", origin, new { reason = "locked", until = account.LockedUntil }), cancellationToken);
            return new SignInResult(SignInStatus.LockedOut, LockedUntil: account.LockedUntil);
        }

        var verdict = hasher.VerifyHashedPassword(account!, account?.PasswordHash ?? DecoyHash.Value, password);
        if (account is null || verdict == PasswordVerificationResult.Failed)
        {
            var after = await accounts.RecordFailedSignInAsync(name, rules.MaxFailedSignIns, now + rules.Lockout,
                Audit(now, name, "auth.sign-in-failed", origin, new { reason = account is null ? "unknown-account" : "wrong-password" }), cancellationToken);
            return after is not null && after.IsLockedAt(now)
                ? new SignInResult(SignInStatus.LockedOut, LockedUntil: after.LockedUntil)
                : new SignInResult(SignInStatus.Invalid);
        }

        var expires = now + rules.SessionLifetime;
        if (!await accounts.RecordSignInAsync(name, now, Audit(now, name, "auth.signed-in", origin, new { role = account.Role.ToCode(), expires }), cancellationToken))
        {
            // Right password, but parallel wrong guesses locked the account meanwhile: a lock is a lock.
            await store.AppendAuditAsync(Audit(now, name, "auth.sign-in-refused", origin, new { reason = "locked" }), cancellationToken);
            return new SignInResult(SignInStatus.LockedOut, LockedUntil: (await accounts.FindAccountAsync(name, cancellationToken))?.LockedUntil ?? now);
        }
        return new SignInResult(SignInStatus.SignedIn, AccountClaims.For(account, expires));
    }

    /// <summary>
    /// A wall screen's sign-in with its device token. Failures are audited but not counted (160 random bits
    /// are not guessed, and a count would let anyone lock the screen out); the address budget still applies.
    /// </summary>
    public async Task<SignInResult> SignInDeviceAsync(string? token, string origin, CancellationToken cancellationToken)
    {
        token = token?.Trim();
        if (!Secrets.TryReadDeviceToken(token, out var name))
            return new SignInResult(SignInStatus.Invalid);
        var now = clock.GetUtcNow();
        var device = await accounts.FindAccountAsync(name, cancellationToken) is { Role: Role.WallScreen } found ? found : null;
        if (hasher.VerifyHashedPassword(device!, device?.PasswordHash ?? DecoyHash.Value, token) == PasswordVerificationResult.Failed || device is null)
        {
            await store.AppendAuditAsync(Audit(now, name, "auth.sign-in-failed", origin, new { reason = device is null ? "unknown-device" : "wrong-token" }), cancellationToken);
            return new SignInResult(SignInStatus.Invalid);
        }
        var expires = now + options.Value.DeviceSessionLifetime;
        if (await accounts.RecordSignInAsync(name, now, Audit(now, name, "auth.signed-in", origin, new { role = device.Role.ToCode(), expires, device = true }), cancellationToken))
            return new SignInResult(SignInStatus.SignedIn, AccountClaims.For(device, expires));
        // Revoked in the meantime (or locked by a store that still counts): no session, and the trail says so.
        await store.AppendAuditAsync(Audit(now, name, "auth.sign-in-refused", origin, new { reason = "revoked-or-locked", device = true }), cancellationToken);
        return new SignInResult(SignInStatus.Invalid);
    }

    /// <summary>
    /// Changes the caller's password when the current one is right: other sessions of the account end (new
    /// stamp). A wrong current password counts as a failed sign-in (an unattended screen is no free guessing).
    /// </summary>
    /// <returns>The account as it is now, for this session's new cookie; null when the current password is wrong or the account locked.</returns>
    public async Task<Account?> ChangePasswordAsync(string userName, string current, string replacement, string origin, CancellationToken cancellationToken)
    {
        // The same again would keep a password an administrator saw.
        if (RefuseNewPassword(replacement, replacement) is not null || string.IsNullOrEmpty(current) || current.Length > MaxPasswordLength || replacement == current)
            return null;
        var now = clock.GetUtcNow();
        var account = await accounts.FindAccountAsync(userName, cancellationToken);
        if (account is null || account.IsLockedAt(now) || account.Role == Role.WallScreen) // a device has a token, not a password
            return null;
        if (hasher.VerifyHashedPassword(account, account.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            await accounts.RecordFailedSignInAsync(userName, options.Value.MaxFailedSignIns, now + options.Value.Lockout,
                Audit(now, userName, "account.password-change-failed", origin, new { reason = "wrong-password" }), cancellationToken);
            return null;
        }
        if (!await accounts.SetPasswordAsync(userName, hasher.HashPassword(account, replacement), mustChange: false, Audit(now, userName, "account.password-changed", origin, new { }), cancellationToken))
            return null;
        return await accounts.FindAccountAsync(userName, cancellationToken);
    }

    /// <summary>Why a new password cannot be used ("too-short", "mismatch", "too-long"), or null.</summary>
    public static string? RefuseNewPassword(string? replacement, string? confirmation) =>
        (replacement ?? "").Length < MinPasswordLength ? "too-short"
        : replacement!.Length > MaxPasswordLength ? "too-long"
        : replacement != confirmation ? "mismatch"
        : null;

    public Task SignedOutAsync(string userName, string origin, CancellationToken cancellationToken) =>
        store.AppendAuditAsync(Audit(clock.GetUtcNow(), userName, "auth.signed-out", origin, new { }), cancellationToken);

    private static AuditEntry Audit(DateTimeOffset at, string userName, string action, string origin, object details) =>
        new(at, userName, action, userName, JsonSerializer.Serialize(details), origin);
}
