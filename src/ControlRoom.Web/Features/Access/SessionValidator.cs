using System.Security.Claims;
using ControlRoom.Domain.Access;
using ControlRoom.Storage;

namespace ControlRoom.Web.Features.Access;

/// <summary>
/// Whether a session still holds: not past its end, and (for a local account) the account still there
/// with the same stamp and role. Checked on every request (the cookie) and every minute on an open screen (the circuit).
/// </summary>
public sealed class SessionValidator(IAccountStore accounts, TimeProvider clock)
{
    public async Task<bool> IsValidAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.Identity is not { IsAuthenticated: true, Name: { } name } || AccountClaims.ExpiresOf(user) is not { } expires || expires <= clock.GetUtcNow())
            return false;
        if (user.Identity.AuthenticationType == OidcSignIn.AuthenticationType)
            return true; // the identity provider owns the account: the session holds until its end
        var account = await accounts.FindAccountAsync(name, cancellationToken);
        return account is not null
            && account.Stamp == user.FindFirstValue(AccountClaims.Stamp)
            && account.Role.ToCode() == user.FindFirstValue(ClaimTypes.Role);
    }
}
