using System.Globalization;
using System.Security.Claims;
using ControlRoom.Domain.Access;

namespace ControlRoom.Web.Features.Access;

/// <summary>The session's claims: who, which role, which account version (stamp) and until when.</summary>
public static class AccountClaims
{
    public const string AuthenticationType = "ControlRoom.Local";
    public const string DisplayName = "cr:display_name";
    public const string Stamp = "cr:stamp";
    public const string SupportFunction = "cr:support_function";
    public const string Expires = "cr:expires";

    /// <summary>Present while the password is one an administrator set: only the password page is open then.</summary>
    public const string MustChangePassword = "cr:must_change_password";

    public static ClaimsPrincipal For(Account account, DateTimeOffset expires)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.Name, account.UserName),
            new(ClaimTypes.Role, account.Role.ToCode()),
            new(DisplayName, account.DisplayName),
            new(Stamp, account.Stamp),
            new(Expires, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ];
        if (account.SupportFunction is { } function)
            claims.Add(new Claim(SupportFunction, function));
        if (account.MustChangePassword)
            claims.Add(new Claim(MustChangePassword, "true"));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static bool MustChange(ClaimsPrincipal user) => user.HasClaim(c => c.Type == MustChangePassword);

    public static Role? RoleOf(ClaimsPrincipal user) =>
        RoleNames.TryParse(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : null;

    public static DateTimeOffset? ExpiresOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(Expires), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
