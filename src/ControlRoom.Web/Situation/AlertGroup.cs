using ControlRoom.Domain.Alerts;

namespace ControlRoom.Web.Situation;

/// <summary>
/// Alerts from the same source and place within a window, shown as one inbox row: a sensor that keeps
/// firing is one thing to decide on, not twenty. The newest member leads; decisions apply to all.
/// </summary>
public sealed record AlertGroup(AlertView Lead, IReadOnlyList<AlertView> Members)
{
    public string Key => Lead.Key;

    public IReadOnlyList<string> Keys => [.. Members.Select(m => m.Key)];

    public int Count => Members.Count;

    /// <summary>Cell size when an alert names no device: about 110 m north–south, 80 m east–west at Milan.</summary>
    private const double CellDegrees = 0.001;

    /// <summary>
    /// Groups a newest-first inbox. Same place means the same device (subject) of the same source, or,
    /// without a subject, the same alert type in the same ~100 m cell. A member joins while it is within
    /// <paramref name="window"/> of the group's oldest member so far, so a steady sensor stays one row
    /// (of at most <see cref="AlertTriage.MaxAlerts"/>: one decision must be able to name them all).
    /// </summary>
    public static IReadOnlyList<AlertGroup> Group(IReadOnlyList<AlertView> newestFirst, TimeSpan window)
    {
        var groups = new List<(AlertView Lead, List<AlertView> Members)>();
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var alert in newestFirst)
        {
            var place = PlaceKey(alert);
            if (place is not null && open.TryGetValue(place, out var index)
                && groups[index].Members[^1].Time - alert.Time <= window
                && groups[index].Members.Count < AlertTriage.MaxAlerts)
            {
                groups[index].Members.Add(alert);
                continue;
            }
            if (place is not null)
                open[place] = groups.Count;
            groups.Add((alert, [alert]));
        }
        return [.. groups.Select(g => new AlertGroup(g.Lead, g.Members))];
    }

    private static string? PlaceKey(AlertView alert) =>
        alert.Subject is { Length: > 0 } subject ? $"{alert.Source}\n{subject}"
        : alert.Lon is { } lon && alert.Lat is { } lat
            ? $"{alert.Source}\n{alert.Type}\n{Math.Floor(lon / CellDegrees)}:{Math.Floor(lat / CellDegrees)}"
            : null;
}
