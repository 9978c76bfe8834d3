using System.Globalization;
using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>An incident's state after a change, as it travels on the stream (data of incident.updated).</summary>
public sealed record IncidentSnapshot(
    string Id, string Type, Priority Priority, IncidentStatus Status, double Lon, double Lat, int? Municipio, string? Nil,
    string Title, int Version, DateTimeOffset OpenedAt, DateTimeOffset UpdatedAt, IReadOnlyList<string> AssignedUnits,
    IReadOnlyList<string> AlertKeys, string LastChange, string LastChangeBy, Visibility Visibility = Visibility.Operations);

/// <summary>A unit's state (data of unit.status.changed).</summary>
public sealed record UnitSnapshot(string Id, UnitKind Kind, string Base, UnitStatus Status, string? Incident, double Lon, double Lat, string? ChangedBy = null);

/// <summary>Turns decisions into the envelopes the outbox publishes: screens learn every change from the stream.</summary>
public static class IncidentMessages
{
    public const string Source = "/incidents";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static JsonSerializerOptions SerializerOptions => Json;

    public static IncidentSnapshot Snapshot(Incident incident)
    {
        var last = incident.Timeline[^1];
        return new IncidentSnapshot(
            incident.Id.ToString(), incident.Type.Code, incident.Priority, incident.Status, incident.Location.X, incident.Location.Y,
            incident.Municipio, incident.Nil, incident.Title, incident.Version, incident.OpenedAt, last.At,
            [.. incident.AssignedUnits.Select(u => u.Value).Order(StringComparer.Ordinal)], incident.AlertKeys,
            last.GetType().Name, last.By, incident.Visibility);
    }

    public static UnitSnapshot Snapshot(Unit unit) =>
        new(unit.Id.Value, unit.Kind, unit.Base, unit.Status, unit.Incident?.ToString(), unit.Position.X, unit.Position.Y);

    /// <summary>
    /// The envelope ids are deterministic (incident and version; unit and incident version), so a relay
    /// that publishes the same outbox row twice after a crash is deduplicated by the stream.
    /// </summary>
    public static (string Type, string Payload) Updated(Incident incident) =>
        Envelope(EventTypes.IncidentUpdated, string.Create(CultureInfo.InvariantCulture, $"{incident.Id}/v{incident.Version}"),
            incident.Id.ToString(), incident.Timeline[^1].At, incident.Location, Snapshot(incident), Severity(incident.Priority), incident.Visibility);

    public static (string Type, string Payload) UnitChanged(Unit unit, Incident cause) =>
        Envelope(EventTypes.UnitStatusChanged, string.Create(CultureInfo.InvariantCulture, $"{unit.Id}/{cause.Id}/v{cause.Version}"),
            unit.Id.Value, cause.Timeline[^1].At, unit.Position, Snapshot(unit), Domain.Events.Severity.Info);

    /// <summary>A status set by hand: no incident caused it, so the id is the unit and a new unique id (fixed once in the outbox).</summary>
    public static (string Type, string Payload) UnitSetByHand(Unit unit, DateTimeOffset at, string by) =>
        Envelope(EventTypes.UnitStatusChanged, string.Create(CultureInfo.InvariantCulture, $"{unit.Id}/manual/{Guid.CreateVersion7(at):N}"),
            unit.Id.Value, at, unit.Position, Snapshot(unit) with { ChangedBy = by }, Domain.Events.Severity.Info);

    private static (string, string) Envelope<T>(string type, string id, string subject, DateTimeOffset time, NetTopologySuite.Geometries.Point location, T data, Severity severity,
        Visibility visibility = Visibility.Operations) =>
        (type, CloudEventJson.Serialize(new EventEnvelope
        {
            Id = id,
            Source = Source,
            Type = type,
            Time = time,
            Subject = subject,
            Severity = severity,
            Visibility = visibility,
            Location = location,
            Data = JsonSerializer.SerializeToElement(data, Json),
        }));

    private static Severity Severity(Priority priority) => priority switch
    {
        Priority.P1 => Domain.Events.Severity.Severe,
        Priority.P2 => Domain.Events.Severity.Moderate,
        Priority.P3 => Domain.Events.Severity.Minor,
        _ => Domain.Events.Severity.Info,
    };
}
