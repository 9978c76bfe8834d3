namespace ControlRoom.Web.Features.Access;

/// <summary>
/// Sign-in through an OpenID Connect provider (Entra ID, Keycloak…), section "Oidc"; off while
/// <see cref="Authority"/> is empty. The provider's role claim decides the ControlRoom role.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "Oidc";
    public const string Scheme = "oidc";

    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>A secret: environment or user secrets only.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>What the sign-in button says ("Accedi con …").</summary>
    public string DisplayName { get; set; } = "SSO";

    /// <summary>Scopes asked for besides openid and profile (the one that releases the role claim).</summary>
    public List<string> Scopes { get; set; } = ["roles"];

    /// <summary>The token claim carrying roles ("roles" for Entra app roles and Keycloak's mapper).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Provider role → ControlRoom role code (e.g. "ControlRoom.Supervisor" → "pl-supervisor"); without an entry, the value itself must be a code.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];

    /// <summary>Only loopback tests turn this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority);
}
