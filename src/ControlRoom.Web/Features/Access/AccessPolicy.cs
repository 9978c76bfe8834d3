using ControlRoom.Domain.Access;
using ControlRoom.Domain.Events;

namespace ControlRoom.Web.Features.Access;

/// <summary>
/// The role × permission matrix, in one place. The wall screen and IT operations only look; the
/// integrator is a producer, not a person, and sees no page.
/// </summary>
public static class AccessPolicy
{
    private static readonly Dictionary<Role, Permission[]> Grants = new()
    {
        [Role.PoliceOperator] = [Permission.ViewOperations, Permission.ViewSystems, Permission.TriageAlerts, Permission.CoordinateIncidents, Permission.DispatchUnits],
        [Role.PoliceSupervisor] = [Permission.ViewOperations, Permission.ViewSystems, Permission.TriageAlerts, Permission.CoordinateIncidents, Permission.DispatchUnits, Permission.ReadAudit],
        [Role.CivilProtection] = [Permission.ViewOperations, Permission.ViewSystems, Permission.TriageAlerts, Permission.CoordinateIncidents],
        [Role.ItOperations] = [Permission.ViewOperations, Permission.ViewSystems],
        [Role.EventCoordinator] = [Permission.ViewOperations, Permission.ViewSystems],
        [Role.WallScreen] = [Permission.ViewOperations, Permission.ViewSystems],
        [Role.Integrator] = [],
        [Role.Administrator] = [Permission.ViewOperations, Permission.ViewSystems, Permission.ReadAudit, Permission.ManageAccounts],
    };

    // The most sensitive events each role may receive (the producer sets each event's level), and whether
    // it may read personal data. A wall screen is seen by anyone in the room; an event coordinator works
    // with outside organisers.
    private static readonly Dictionary<Role, (Visibility Clearance, bool PersonalData)> Sight = new()
    {
        [Role.PoliceOperator] = (Visibility.Restricted, true),
        [Role.PoliceSupervisor] = (Visibility.Confidential, true),
        [Role.CivilProtection] = (Visibility.Restricted, true),
        [Role.ItOperations] = (Visibility.Restricted, false),
        [Role.EventCoordinator] = (Visibility.Operations, false),
        [Role.WallScreen] = (Visibility.Operations, false),
        [Role.Integrator] = (Visibility.Public, false),
        [Role.Administrator] = (Visibility.Operations, false),
    };

    public static bool Allows(Role role, Permission permission) => Grants[role].Contains(permission);

    public static Visibility Clearance(Role role) => Sight[role].Clearance;

    public static bool SeesPersonalData(Role role) => Sight[role].PersonalData;

    public static IEnumerable<Role> RolesWith(Permission permission) => Grants.Where(g => g.Value.Contains(permission)).Select(g => g.Key);

    /// <summary>One policy per permission: signed in, with a role that has it, and not holding a password an administrator set.</summary>
    public static IServiceCollection AddControlRoomPolicies(this IServiceCollection services) =>
        services.AddAuthorization(options =>
        {
            foreach (var permission in Enum.GetValues<Permission>())
                options.AddPolicy(permission.ToString(), policy => policy.RequireAuthenticatedUser().RequireRole(RolesWith(permission).Select(r => r.ToCode()))
                    .RequireAssertion(context => !AccountClaims.MustChange(context.User)));
        });
}
