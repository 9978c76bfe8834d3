using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;
using ControlRoom.Domain.Incidents;

namespace ControlRoom.Web.Features.Access;

/// <summary>Who asks for a command: the signed-in account, its role (none without a session), and the address it came from.</summary>
public sealed record Operator(string Name, Role? Role, string Origin)
{
    public const string NotPermittedCode = "not-permitted";

    public Actor Actor => new(Name, Origin);

    public bool May(Permission permission) => Role is { } role && AccessPolicy.Allows(role, permission);

    /// <summary>The refusal for a command this caller may not give: the commands check, not only the hidden buttons.</summary>
    public Refusal? Refuse(Permission permission) =>
        May(permission) ? null : new Refusal(NotPermittedCode, $"The role {Role?.ToCode() ?? "(none)"} may not do this ({permission}).");
}
