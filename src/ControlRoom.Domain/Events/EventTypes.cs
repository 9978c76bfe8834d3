namespace ControlRoom.Domain.Events;

/// <summary>The event types the control room accepts. Reverse-DNS, past tense or observation-like.</summary>
public static class EventTypes
{
    public const string Prefix = "it.milano.nco.";

    /// <summary>A sensor crossed a threshold or triggered (river level, air quality, traffic, crowd, alarm, camera).</summary>
    public const string SensorAlertRaised = Prefix + "sensor.alert.raised";

    /// <summary>A periodic sensor reading; not an alert by itself.</summary>
    public const string SensorObservationRecorded = Prefix + "sensor.observation.recorded";

    /// <summary>An operator acknowledged (with a disposition), shelved or reopened inbox alerts (data: the decision).</summary>
    public const string AlertTriaged = Prefix + "alert.triaged";

    /// <summary>An incident's current state after a change (snapshot, versioned): what screens need to show it.</summary>
    public const string IncidentUpdated = Prefix + "incident.updated";

    /// <summary>A unit's status or assignment changed (snapshot).</summary>
    public const string UnitStatusChanged = Prefix + "unit.status.changed";

    /// <summary>A unit's live position (from its vehicle or radio; the simulator plays it).</summary>
    public const string UnitPositionReported = Prefix + "unit.position.reported";

    /// <summary>A critical IT system's health as one input saw it (probe, heartbeat, Alertmanager); subject = the system's id.</summary>
    public const string SystemHealthReported = Prefix + "system.health.reported";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        SensorAlertRaised,
        SensorObservationRecorded,
        AlertTriaged,
        IncidentUpdated,
        UnitStatusChanged,
        UnitPositionReported,
        SystemHealthReported,
    };

    public static IReadOnlyCollection<string> All => Known;

    public static bool IsKnown(string type) => Known.Contains(type);
}
