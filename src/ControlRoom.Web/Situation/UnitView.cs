using ControlRoom.Domain.Units;

namespace ControlRoom.Web.Situation;

/// <summary>A unit as screens show it: its dispatch state and its latest reported position.</summary>
public sealed record UnitView(string Id, UnitKind Kind, string Base, UnitStatus Status, string? Incident, double Lon, double Lat);
