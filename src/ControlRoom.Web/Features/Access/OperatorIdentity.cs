using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace ControlRoom.Web.Features.Access;

/// <summary>
/// Who is acting on this screen (per circuit): the signed-in account as the circuit knows it now (a
/// session that ends mid-shift stops acting at once), and the address the page came from.
/// </summary>
public sealed class OperatorIdentity : IDisposable
{
    private readonly AuthenticationStateProvider _provider;
    private ClaimsPrincipal _user = new(new ClaimsIdentity());

    public OperatorIdentity(AuthenticationStateProvider provider)
    {
        _provider = provider;
        _provider.AuthenticationStateChanged += Follow;
        Follow(_provider.GetAuthenticationStateAsync());
    }

    public string Name => _user.Identity?.Name ?? "";

    public string Origin { get; set; } = "unknown";

    /// <summary>The caller for commands; without a session it may do nothing.</summary>
    public Operator Current => new(Name, AccountClaims.RoleOf(_user), Origin);

    public bool May(Permission permission) => Current.May(permission);

    public void Dispose() => _provider.AuthenticationStateChanged -= Follow;

    private void Follow(Task<AuthenticationState> state)
    {
        if (state.IsCompletedSuccessfully)
            _user = state.Result.User;
        else // a state that cannot be had is no session
            _ = state.ContinueWith(t => _user = t.IsCompletedSuccessfully ? t.Result.User : new ClaimsPrincipal(new ClaimsIdentity()), TaskScheduler.Default);
    }
}
