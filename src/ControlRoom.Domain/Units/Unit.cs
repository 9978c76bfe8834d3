using ControlRoom.Domain.Incidents;
using NetTopologySuite.Geometries;

namespace ControlRoom.Domain.Units;

/// <summary>A call sign, e.g. "PL-M3-A12" (Polizia Locale, Municipio 3, car 12).</summary>
public readonly record struct UnitId(string Value)
{
    public override string ToString() => Value;
}

public enum UnitKind
{
    PatrolCar,
    Motorcycle,
    FootPatrol,
    VolunteerTeam,
    Liaison,
}

public enum UnitStatus
{
    Available,
    EnRoute,
    OnScene,
    Busy,
    OffDuty,
}

/// <summary>A unit as dispatch sees it: where it is, what it is doing and for which incident.</summary>
public sealed record Unit(UnitId Id, UnitKind Kind, string Base, Point Position, UnitStatus Status, IncidentId? Incident = null)
{
    public bool IsAvailable => Status == UnitStatus.Available;
}
