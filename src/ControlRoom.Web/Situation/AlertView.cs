using ControlRoom.Domain.Events;

namespace ControlRoom.Web.Situation;

/// <summary>An alert as the screens show it: the envelope's essentials with Municipio and NIL resolved.</summary>
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
    string? Nil);
