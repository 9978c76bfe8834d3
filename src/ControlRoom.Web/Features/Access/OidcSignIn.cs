using System.Security.Claims;
using System.Text.Json;
using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;
using ControlRoom.Storage;
using Microsoft.Extensions.Options;

namespace ControlRoom.Web.Features.Access;

/// <summary>
/// Turns a provider's validated ID token into a ControlRoom session: the user name (preferred_username,
/// else sub), the display name and ONE role from the role claim. No role, no session. Audited either way.
/// </summary>
public sealed class OidcSignIn(IIncidentStore store, IOptions<OidcOptions> oidc, IOptions<AccountOptions> accounts, TimeProvider clock)
{
    public const string AuthenticationType = "ControlRoom.Oidc";

    public async Task<ClaimsPrincipal?> SessionForAsync(ClaimsPrincipal token, string origin, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var name = (token.FindFirstValue("preferred_username") ?? token.FindFirstValue("sub") ?? "").Trim().ToLowerInvariant();
        var issuer = token.FindFirstValue("iss") ?? oidc.Value.Authority ?? "";
        if (!Account.IsValidUserName(name))
            name = "oidc-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(issuer + "|" + token.FindFirstValue("sub"))))[..16];
        var role = RoleOf(token);
        if (role is null)
        {
            await store.AppendAuditAsync(new AuditEntry(now, name, "auth.sign-in-refused", name,
                JsonSerializer.Serialize(new { via = "oidc", issuer, reason = "no-role" }), origin), cancellationToken);
            return null;
        }
        var expires = now + accounts.Value.SessionLifetime;
        await store.AppendAuditAsync(new AuditEntry(now, name, "auth.signed-in", name,
            JsonSerializer.Serialize(new { via = "oidc", issuer, role = role.Value.ToCode(), expires }), origin), cancellationToken);
        var display = token.FindFirstValue("name") is { Length: > 0 and <= 200 } n ? n : name;
        // The provider owns the account: no local stamp to compare, the session simply ends at its time.
        var session = AccountClaims.For(new Account(name, display, role.Value, null, "", "oidc", 0, null), expires);
        return new ClaimsPrincipal(new ClaimsIdentity(session.Claims, AuthenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    private Role? RoleOf(ClaimsPrincipal token)
    {
        var options = oidc.Value;
        foreach (var value in token.FindAll(options.RoleClaim).SelectMany(Values))
        {
            var code = options.RoleMap.TryGetValue(value, out var mapped) ? mapped : value;
            if (RoleNames.TryParse(code, out var role) && role is not Role.Integrator)
                return role;
        }
        return null;
    }

    // A multi-valued claim arrives as one claim per value, or as one JSON array, depending on the handler.
    private static IEnumerable<string> Values(Claim claim) =>
        claim.Value.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(claim.Value) ?? [] : [claim.Value];
}
