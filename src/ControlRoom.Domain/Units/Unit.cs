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

    /// <summary>Statuses an operator may set by hand; en route and on scene come only from an incident.</summary>
    public static bool IsHandStatus(UnitStatus status) => status is UnitStatus.Available or UnitStatus.Busy or UnitStatus.OffDuty;

    /// <summary>Why a hand change from <paramref name="from"/> to <paramref name="to"/> is refused, or null when allowed.</summary>
    public static Refusal? RefuseHandStatus(UnitStatus from, UnitStatus to) =>
        !IsHandStatus(to) ? new Refusal("invalid-unit-status", $"A unit can be set by hand only to available, busy or off duty, not {to}.")
        : !IsHandStatus(from) ? new Refusal("unit-on-incident", $"The unit is {from} on an incident: release it from the incident first.")
        : from == to ? new Refusal("unit-status-unchanged", $"The unit is already {to}.")
        : null;
}
