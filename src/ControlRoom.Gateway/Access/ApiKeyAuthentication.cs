using System.Security.Claims;
using System.Text.Encodings.Web;
using ControlRoom.Domain.Events;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ControlRoom.Gateway.Access;

/// <summary>
/// Producers and consumers of the gateway authenticate with an API key: <c>Authorization: Bearer crk_…</c>
/// (what the SignalR client's access token sends) or <c>X-Api-Key: crk_…</c>.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys, IOptions<Hubs.HubOptions> hub)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ScopeClaim = "cr:scope";
    public const string CeilingClaim = "cr:max_visibility";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers["X-Api-Key"].FirstOrDefault()
            ?? (Request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..].Trim() : null);
        if (presented is null)
            return Task.FromResult(AuthenticateResult.NoResult());
        if (keys.Verify(presented) is not { } grant)
            return Task.FromResult(AuthenticateResult.Fail("Unknown or revoked API key."));
        Context.Items[typeof(ApiKeyGrant)] = grant;
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, grant.Name), new Claim(CeilingClaim, grant.MaxVisibility.ToWire()), .. grant.Scopes.Select(s => new Claim(ScopeClaim, s))], SchemeName);
        // The expiry matters to the hub only (CloseOnAuthenticationExpiration): a long-lived connection's key is
        // re-checked. A key this process issued itself cannot be revoked, so its link is never cut for nothing.
        var properties = new AuthenticationProperties { ExpiresUtc = grant.Revocable ? TimeProvider.GetUtcNow() + hub.Value.KeyRecheck : null };
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem("Send an API key: 'Authorization: Bearer crk_…' or 'X-Api-Key: crk_…'.", statusCode: 401, title: "API key required").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem("This API key is not scoped for this endpoint.", statusCode: 403, title: "Not allowed for this key").ExecuteAsync(Context);
    }

    /// <summary>The grant of the key that authenticated this request (or hub connection).</summary>
    public static ApiKeyGrant? GrantOf(HttpContext? context) => context?.Items[typeof(ApiKeyGrant)] as ApiKeyGrant;

    /// <summary>The most sensitive events a connection may receive: its key's ceiling (public without one).</summary>
    public static Visibility CeilingOf(ClaimsPrincipal? user) =>
        VisibilityNames.TryParse(user?.FindFirst(CeilingClaim)?.Value, out var ceiling) ? ceiling : Visibility.Public;
}
