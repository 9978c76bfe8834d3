namespace ControlRoom.Domain.Systems;

/// <summary>The status-page vocabulary, from all well to planned work.</summary>
public enum SystemStatus
{
    Operational,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
    UnderMaintenance,
}

/// <summary>How much the city loses when a system is down: the order of the board and of root causes.</summary>
public enum BusinessImpact
{
    Critical,
    High,
    Medium,
    Low,
}

public static class SystemStatusNames
{
    public static string ToWire(this SystemStatus status) => status switch
    {
        SystemStatus.Operational => "operational",
        SystemStatus.DegradedPerformance => "degraded-performance",
        SystemStatus.PartialOutage => "partial-outage",
        SystemStatus.MajorOutage => "major-outage",
        SystemStatus.UnderMaintenance => "under-maintenance",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>Not serving (in part or whole): what the systems depending on it feel.</summary>
    public static bool IsDown(this SystemStatus status) =>
        status is SystemStatus.PartialOutage or SystemStatus.MajorOutage or SystemStatus.UnderMaintenance;

    /// <summary>The event severity a status is reported with, whichever input saw it.</summary>
    public static Events.Severity ToSeverity(this SystemStatus status) => status switch
    {
        SystemStatus.MajorOutage => Events.Severity.Severe,
        SystemStatus.PartialOutage => Events.Severity.Moderate,
        SystemStatus.DegradedPerformance => Events.Severity.Minor,
        _ => Events.Severity.Info,
    };

    /// <summary>How bad, for "worse" and "worst": planned maintenance ranks with degraded performance.</summary>
    public static int Badness(this SystemStatus status) => status switch
    {
        SystemStatus.Operational => 0,
        SystemStatus.DegradedPerformance or SystemStatus.UnderMaintenance => 1,
        SystemStatus.PartialOutage => 2,
        _ => 3,
    };

    public static bool TryParse(string? text, out SystemStatus status)
    {
        foreach (var candidate in Enum.GetValues<SystemStatus>())
        {
            if (candidate.ToWire() == text)
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    public static string ToWire(this BusinessImpact impact) => impact.ToString().ToLowerInvariant();

    public static bool TryParseImpact(string? text, out BusinessImpact impact)
    {
        foreach (var candidate in Enum.GetValues<BusinessImpact>())
        {
            if (candidate.ToWire() == text)
            {
                impact = candidate;
                return true;
            }
        }
        impact = default;
        return false;
    }
}
