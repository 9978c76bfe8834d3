namespace ControlRoom.Domain.Incidents;

/// <summary>Where an incident is in its life. Closed, Cancelled and Unfounded are final.</summary>
public enum IncidentStatus
{
    New,
    Acknowledged,
    Dispatched,
    OnScene,
    Resolved,
    Closed,
    Cancelled,
    Unfounded,
}

public enum Priority
{
    P1 = 1,
    P2 = 2,
    P3 = 3,
    P4 = 4,
}

/// <summary>How the incident reached the control room.</summary>
public enum IncidentSource
{
    SensorAlert,
    CitizenCall020202,
    Patrol,
    CapBulletin,
    Manual,

    /// <summary>Opened by the monitoring of critical IT systems (an outage's probable root cause).</summary>
    SystemMonitoring,
}

public static class IncidentStatusRules
{
    public static bool IsFinal(this IncidentStatus status) =>
        status is IncidentStatus.Closed or IncidentStatus.Cancelled or IncidentStatus.Unfounded;
}
