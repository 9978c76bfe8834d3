using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Events;

namespace ControlRoom.Web.Situation;

/// <summary>
/// An alert as the screens show it: the envelope's essentials with Municipio and NIL resolved, the
/// producing device (subject) for grouping duplicates, and the operator's latest decision on it, if any.
/// </summary>
public sealed record AlertView(
    string Key,
    string StreamId,
    string Type,
    Severity Severity,
    DateTimeOffset Time,
    string Title,
    string? SensorKind,
    double? Lon,
    double? Lat,
    int? Municipio,
    string? Nil,
    string? Subject = null,
    AlertTriage? Triage = null)
{
    public string Source => Key[..Math.Max(0, Key.IndexOf('\n', StringComparison.Ordinal))];
}
