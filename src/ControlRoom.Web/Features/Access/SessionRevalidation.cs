using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace ControlRoom.Web.Features.Access;

/// <summary>
/// An open screen re-checks its session every <see cref="AccountOptions.Revalidation"/>: a wall screen
/// left on for days still ends at the session's end, and a changed password or role takes effect there too.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, SessionValidator validator, IOptions<AccountOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => options.Value.Revalidation;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        validator.IsValidAsync(authenticationState.User, cancellationToken);
}
