using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Events;

namespace ControlRoom.Web.Situation;

/// <summary>
/// An alert as the screens show it: the envelope's essentials with Municipio and NIL resolved, the
/// producing device (subject) for grouping duplicates, the operator's latest decision on it, if any, and
/// who may see it: its visibility and its personal data (masked, <see cref="PersonalDataHidden"/>, for roles
/// that may not read it).
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
    AlertTriage? Triage = null,
    Visibility Visibility = Visibility.Operations,
    IReadOnlyDictionary<string, string>? PersonalData = null,
    bool PersonalDataHidden = false)
{
    public string Source => Key[..Math.Max(0, Key.IndexOf('\n', StringComparison.Ordinal))];
}
