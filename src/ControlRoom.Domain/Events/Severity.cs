namespace ControlRoom.Domain.Events;

/// <summary>How bad an event is, on the CAP 1.2 scale plus an informative level. Ordered: higher is worse.</summary>
public enum Severity
{
    Info = 0,
    Minor = 1,
    Moderate = 2,
    Severe = 3,
    Extreme = 4,
}

public static class SeverityNames
{
    public static string ToWire(this Severity severity) => severity switch
    {
        Severity.Info => "info",
        Severity.Minor => "minor",
        Severity.Moderate => "moderate",
        Severity.Severe => "severe",
        Severity.Extreme => "extreme",
        _ => throw new ArgumentOutOfRangeException(nameof(severity)),
    };

    public static bool TryParse(string? value, out Severity severity)
    {
        severity = value switch
        {
            "info" => Severity.Info,
            "minor" => Severity.Minor,
            "moderate" => Severity.Moderate,
            "severe" => Severity.Severe,
            "extreme" => Severity.Extreme,
            _ => (Severity)(-1),
        };
        return severity >= Severity.Info;
    }
}
