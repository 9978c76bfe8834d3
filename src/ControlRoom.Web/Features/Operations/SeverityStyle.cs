using ControlRoom.Domain.Events;
using ControlRoom.Web.Localization;

namespace ControlRoom.Web.Features.Operations;

/// <summary>One place for how a severity looks: colour on the map and in the feed, and its label key.</summary>
public static class SeverityStyle
{
    public static string Color(Severity severity) => severity switch
    {
        Severity.Extreme => "#d500f9",
        Severity.Severe => "#e53935",
        Severity.Moderate => "#fb8c00",
        Severity.Minor => "#fdd835",
        _ => "#64b5f6",
    };

    public static string LabelKey(Severity severity) => severity switch
    {
        Severity.Extreme => nameof(Strings.SeverityExtreme),
        Severity.Severe => nameof(Strings.SeveritySevere),
        Severity.Moderate => nameof(Strings.SeverityModerate),
        Severity.Minor => nameof(Strings.SeverityMinor),
        _ => nameof(Strings.SeverityInfo),
    };

    public static IReadOnlyDictionary<string, string> Palette { get; } =
        Enum.GetValues<Severity>().ToDictionary(s => s.ToWire(), Color);
}
