namespace ControlRoom.Web.Features.Access;

/// <summary>What a role may do. Each is also an authorization policy of the same name.</summary>
public enum Permission
{
    /// <summary>The operations page: map, alerts, incidents, units (read-only unless more is granted).</summary>
    ViewOperations,

    /// <summary>Acknowledge, shelve and reopen inbox alerts.</summary>
    TriageAlerts,

    /// <summary>Open incidents, acknowledge, notes, priority, resolve, close, cancel.</summary>
    CoordinateIncidents,

    /// <summary>Send, mark arrived and release Polizia Locale units; set a unit's status by hand.</summary>
    DispatchUnits,

    /// <summary>The audit trail: page, chain check and export.</summary>
    ReadAudit,

    /// <summary>The critical IT systems: board, dependency graph, a system's detail, and the outage banner.</summary>
    ViewSystems,

    /// <summary>Local accounts and wall-screen devices: create, change role, unlock, new password or token, delete.</summary>
    ManageAccounts,
}
