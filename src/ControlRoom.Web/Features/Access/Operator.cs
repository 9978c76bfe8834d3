using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;
using ControlRoom.Domain.Incidents;

namespace ControlRoom.Web.Features.Access;

/// <summary>
/// Who asks for a command: the signed-in account, its role (none without a session), and the address it came from;
/// or the application itself acting on what it observed (<see cref="Automation"/>), which no person can be.
/// </summary>
public sealed record Operator(string Name, Role? Role, string Origin, bool IsAutomation = false)
{
    public const string NotPermittedCode = "not-permitted";

    /// <summary>The application's own work (monitoring opening an IT incident): incidents only, audited under its name, from "automation".</summary>
    public static Operator Automation(string name) => new(name, null, "automation", IsAutomation: true);

    public Actor Actor => new(Name, Origin);

    public bool May(Permission permission) =>
        IsAutomation ? permission == Permission.CoordinateIncidents : Role is { } role && AccessPolicy.Allows(role, permission);

    /// <summary>The refusal for a command this caller may not give: the commands check, not only the hidden buttons.</summary>
    public Refusal? Refuse(Permission permission) =>
        May(permission) ? null : new Refusal(NotPermittedCode, $"The role {Role?.ToCode() ?? "(none)"} may not do this ({permission}).");
}
