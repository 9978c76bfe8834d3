namespace ControlRoom.Domain.Access;

/// <summary>What a person (or a device, or a producer) is in the control room; each account has one.</summary>
public enum Role
{
    PoliceOperator,
    PoliceSupervisor,
    CivilProtection,
    ItOperations,
    EventCoordinator,
    WallScreen,
    Integrator,
    Administrator,
}

public static class RoleNames
{
    /// <summary>The role as stored and as carried in claims: stable, lower-case.</summary>
    public static string ToCode(this Role role) => role switch
    {
        Role.PoliceOperator => "pl-operator",
        Role.PoliceSupervisor => "pl-supervisor",
        Role.CivilProtection => "coc-staff",
        Role.ItOperations => "it-operations",
        Role.EventCoordinator => "event-coordinator",
        Role.WallScreen => "wall-screen",
        Role.Integrator => "integrator",
        Role.Administrator => "administrator",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? code, out Role role)
    {
        foreach (var candidate in Enum.GetValues<Role>())
        {
            if (candidate.ToCode() == code)
            {
                role = candidate;
                return true;
            }
        }
        role = default;
        return false;
    }
}
