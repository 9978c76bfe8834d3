namespace ControlRoom.Domain.Events;

/// <summary>The event types the control room accepts. Reverse-DNS, past tense or observation-like.</summary>
public static class EventTypes
{
    public const string Prefix = "it.milano.nco.";

    /// <summary>A sensor crossed a threshold or triggered (river level, air quality, traffic, crowd, alarm, camera).</summary>
    public const string SensorAlertRaised = Prefix + "sensor.alert.raised";

    /// <summary>A periodic sensor reading; not an alert by itself.</summary>
    public const string SensorObservationRecorded = Prefix + "sensor.observation.recorded";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        SensorAlertRaised,
        SensorObservationRecorded,
    };

    public static IReadOnlyCollection<string> All => Known;

    public static bool IsKnown(string type) => Known.Contains(type);
}
