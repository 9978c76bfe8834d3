using ControlRoom.Domain.Events;
using ControlRoom.Domain.Units;

namespace ControlRoom.Web.Situation;

/// <summary>
/// A unit as screens show it: its dispatch state and its latest reported position. <paramref name="IncidentVisibility"/>
/// is that of the incident it works on, so a screen not cleared for the incident does not learn its id.
/// </summary>
public sealed record UnitView(string Id, UnitKind Kind, string Base, UnitStatus Status, string? Incident, double Lon, double Lat,
    Visibility IncidentVisibility = Visibility.Public);
