using ControlRoom.Domain.Units;
using NetTopologySuite.Geometries;

namespace ControlRoom.Domain.Incidents;

/// <summary>Something that happened to an incident: the append-only log and the timeline operators read.</summary>
public abstract record IncidentEvent(IncidentId Incident, DateTimeOffset At, string By);

public sealed record IncidentOpened(
    IncidentId Incident, DateTimeOffset At, string By,
    string TypeCode, Priority Priority, IncidentSource Source, Point Location, int? Municipio, string? Nil,
    string Title, string? Description, IReadOnlyList<string> AlertKeys,
    Events.Visibility Visibility = Events.Visibility.Operations) : IncidentEvent(Incident, At, By);

public sealed record IncidentAcknowledged(IncidentId Incident, DateTimeOffset At, string By) : IncidentEvent(Incident, At, By);

public sealed record PriorityChanged(IncidentId Incident, DateTimeOffset At, string By, Priority Priority) : IncidentEvent(Incident, At, By);

public sealed record UnitDispatched(IncidentId Incident, DateTimeOffset At, string By, UnitId Unit) : IncidentEvent(Incident, At, By);

public sealed record UnitArrived(IncidentId Incident, DateTimeOffset At, string By, UnitId Unit) : IncidentEvent(Incident, At, By);

public sealed record UnitReleased(IncidentId Incident, DateTimeOffset At, string By, UnitId Unit) : IncidentEvent(Incident, At, By);

public sealed record NoteAdded(IncidentId Incident, DateTimeOffset At, string By, string Text) : IncidentEvent(Incident, At, By);

public sealed record IncidentResolved(IncidentId Incident, DateTimeOffset At, string By) : IncidentEvent(Incident, At, By);

public sealed record IncidentClosed(IncidentId Incident, DateTimeOffset At, string By, string Outcome) : IncidentEvent(Incident, At, By);

public sealed record IncidentCancelled(IncidentId Incident, DateTimeOffset At, string By, string Reason) : IncidentEvent(Incident, At, By);

public sealed record IncidentUnfounded(IncidentId Incident, DateTimeOffset At, string By, string Reason) : IncidentEvent(Incident, At, By);
