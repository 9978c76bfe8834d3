using System.Text.RegularExpressions;

namespace ControlRoom.Domain.Access;

/// <summary>
/// A local account (the embedded default; deployments may sign in through OpenID Connect instead).
/// <paramref name="Stamp"/> changes whenever the password or the role does: sessions issued under an
/// older stamp end. <paramref name="SupportFunction"/> is the COC function (F1–F9) of civil-protection staff.
/// <paramref name="MustChangePassword"/>: the password was set by an administrator, so its owner must replace
/// it before doing anything else.
/// </summary>
public sealed partial record Account(
    string UserName,
    string DisplayName,
    Role Role,
    string? SupportFunction,
    string PasswordHash,
    string Stamp,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    bool MustChangePassword = false)
{
    public const int MaxUserNameLength = 64;

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>Lower-case letters, digits, dot, dash and underscore: safe in logs, URLs and the audit trail.</summary>
    public static bool IsValidUserName(string? userName) =>
        userName is { Length: > 0 and <= MaxUserNameLength } && UserNamePattern().IsMatch(userName);

    public static string NewStamp() => Guid.NewGuid().ToString("N");

    [GeneratedRegex(@"^[a-z0-9._-]+\z")]
    private static partial Regex UserNamePattern();
}
