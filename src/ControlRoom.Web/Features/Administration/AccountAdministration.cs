using System.Text.Json;
using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;
using ControlRoom.Domain.Incidents;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;
using Microsoft.AspNetCore.Identity;

namespace ControlRoom.Web.Features.Administration;

/// <summary>A new local account as an administrator asks for it.</summary>
public sealed record NewAccount(string UserName, string DisplayName, Role Role, string? SupportFunction);

/// <summary>What an administration command did: refused (and why), or done, with the one-time secret it issued if any.</summary>
public sealed record AccountChange(Refusal? Refusal, string? Secret = null)
{
    public bool Done => Refusal is null;

    public static implicit operator AccountChange(Refusal refusal) => new(refusal);
}

/// <summary>
/// The administrator's commands on local accounts and wall-screen devices. Each checks the permission
/// itself (not only the page), is audited with the administrator as actor, and any password or device
/// token it issues is returned once and stored only as a hash. A role change or a new secret gives the
/// account a new stamp, so its open screens go to sign-in within <see cref="AccountOptions.Revalidation"/>.
/// </summary>
public sealed class AccountAdministration(IAccountStore accounts, IPasswordHasher<Account> hasher, TimeProvider clock)
{
    public const int MaxDisplayNameLength = 100;

    /// <summary>The COC support functions of the Augustus method.</summary>
    public static readonly IReadOnlyList<string> SupportFunctions = [.. Enumerable.Range(1, 9).Select(i => $"F{i}")];

    public async Task<IReadOnlyList<Account>> ListAsync(Operator by, CancellationToken cancellationToken) =>
        by.May(Permission.ManageAccounts) ? await accounts.ListAccountsAsync(cancellationToken) : [];

    public async Task<AccountChange> CreateAsync(Operator by, NewAccount request, CancellationToken cancellationToken)
    {
        var userName = (request.UserName ?? "").Trim().ToLowerInvariant();
        var displayName = (request.DisplayName ?? "").Trim();
        if ((Refuse(by) ?? RefuseName(userName) ?? RefuseDisplayName(displayName) ?? RefuseRole(request.Role, request.SupportFunction)) is { } refusal)
            return refusal;
        var secret = NewSecret(userName, request.Role);
        var function = request.Role == Role.CivilProtection ? request.SupportFunction : null;
        // A person replaces the password the administrator saw before doing anything else; a device keeps its token.
        var account = new Account(userName, displayName, request.Role, function, hasher.HashPassword(null!, secret), Account.NewStamp(), 0, null,
            MustChangePassword: request.Role != Role.WallScreen);
        return await accounts.CreateAccountAsync(account, Audit(by, "account.created", userName, new { role = request.Role.ToCode(), function }), cancellationToken)
            ? new AccountChange(null, secret)
            : new Refusal("name-taken", $"There is already an account '{userName}'.");
    }

    public async Task<AccountChange> SetRoleAsync(Operator by, string userName, Role role, string? supportFunction, CancellationToken cancellationToken)
    {
        if ((Refuse(by) ?? RefuseOwn(by, userName) ?? RefuseRole(role, supportFunction)) is { } refusal)
            return refusal;
        if (await accounts.FindAccountAsync(userName, cancellationToken) is not { } account)
            return NotFound(userName);
        if ((account.Role == Role.WallScreen) != (role == Role.WallScreen))
            return new Refusal("device-role-fixed", "A wall screen is a device with a token, a person has a password: create a new account instead.");
        var function = role == Role.CivilProtection ? supportFunction : null;
        var details = new { from = account.Role.ToCode(), to = role.ToCode(), fromFunction = account.SupportFunction, function };
        return await accounts.SetRoleAsync(userName, account.Role, role, function, Audit(by, "account.role-changed", userName, details), cancellationToken)
            ? new AccountChange(null) : ChangedMeanwhile(userName);
    }

    public async Task<AccountChange> UnlockAsync(Operator by, string userName, CancellationToken cancellationToken) =>
        Refuse(by) is { } refusal ? refusal
        : !Account.IsValidUserName(userName) ? NotFound(userName)
        : await accounts.UnlockAsync(userName, Audit(by, "account.unlocked", userName, new { }), cancellationToken) ? new AccountChange(null)
        : NotFound(userName);

    /// <summary>A new password for a person or a new token for a device: the old one stops working and its sessions end.</summary>
    public async Task<AccountChange> ReissueSecretAsync(Operator by, string userName, CancellationToken cancellationToken)
    {
        if ((Refuse(by) ?? RefuseOwn(by, userName)) is { } refusal)
            return refusal; // one's own password is changed on the password page, knowing the current one
        if (await accounts.FindAccountAsync(userName, cancellationToken) is not { } account)
            return NotFound(userName);
        var secret = NewSecret(userName, account.Role);
        var action = account.Role == Role.WallScreen ? "account.device-token-issued" : "account.password-reset";
        return await accounts.SetPasswordAsync(userName, hasher.HashPassword(account, secret), mustChange: account.Role != Role.WallScreen,
                Audit(by, action, userName, new { }), cancellationToken)
            ? new AccountChange(null, secret) : NotFound(userName);
    }

    /// <summary>Deletes a person's account or revokes a device: its sessions end at their next check.</summary>
    public async Task<AccountChange> DeleteAsync(Operator by, string userName, CancellationToken cancellationToken)
    {
        if ((Refuse(by) ?? RefuseOwn(by, userName)) is { } refusal)
            return refusal;
        if (await accounts.FindAccountAsync(userName, cancellationToken) is not { } account)
            return NotFound(userName);
        var action = account.Role == Role.WallScreen ? "account.device-revoked" : "account.deleted";
        return await accounts.DeleteAccountAsync(userName, account.Role, Audit(by, action, userName, new { role = account.Role.ToCode() }), cancellationToken)
            ? new AccountChange(null) : ChangedMeanwhile(userName);
    }

    private static string NewSecret(string userName, Role role) =>
        role == Role.WallScreen ? Secrets.NewDeviceToken(userName) : Secrets.NewPassword();

    private static Refusal? Refuse(Operator by) => by.Refuse(Permission.ManageAccounts);

    // An administrator cannot demote, delete or reset themself: the last administrator must not lock everyone out.
    private static Refusal? RefuseOwn(Operator by, string userName) =>
        string.Equals(by.Name, userName, StringComparison.Ordinal) ? new Refusal("own-account", "Administrators cannot change their own role, delete themselves or reset their own password here.") : null;

    private static Refusal? RefuseName(string userName) =>
        Account.IsValidUserName(userName) && !userName.StartsWith(Secrets.DeviceTokenPrefix, StringComparison.Ordinal) ? null
        : new Refusal("invalid-user-name", $"A user name is 1–{Account.MaxUserNameLength} lower-case letters, digits, '.', '-' or '_'.");

    private static Refusal? RefuseDisplayName(string displayName) =>
        displayName.Length is > 0 and <= MaxDisplayNameLength && !displayName.Any(char.IsControl) ? null
        : new Refusal("invalid-display-name", $"A display name is 1–{MaxDisplayNameLength} characters, with no control characters.");

    private static Refusal? RefuseRole(Role role, string? supportFunction) =>
        !Enum.IsDefined(role) ? new Refusal("invalid-role", "Unknown role.")
        : role == Role.Integrator ? new Refusal("integrator-has-api-key", "Integrators are producers with an API key (new-api-key), not accounts.")
        : role == Role.CivilProtection && (supportFunction is null || !SupportFunctions.Contains(supportFunction))
            ? new Refusal("invalid-support-function", "COC staff need a support function, F1 to F9.")
        : null;

    private static Refusal NotFound(string userName) => new("not-found", $"There is no account '{userName}'.");

    // Another administrator changed or removed it between our read and our write: nothing was written.
    private static Refusal ChangedMeanwhile(string userName) => new("account-changed", $"The account '{userName}' changed meanwhile: look again.");

    private AuditEntry Audit(Operator by, string action, string userName, object details) =>
        new(clock.GetUtcNow(), by.Name, action, userName, JsonSerializer.Serialize(details), by.Origin);
}
