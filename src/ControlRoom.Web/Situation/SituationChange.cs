using System.Collections.Immutable;

namespace ControlRoom.Web.Situation;

public abstract record SituationChange;

/// <summary>
/// New alerts (oldest first) and the alerts that left the inbox (dropped off the retained window, handled,
/// replaced, or taken into an incident): whole alerts, so each screen drops only those it was allowed to see.
/// </summary>
public sealed record AlertsChanged(IReadOnlyList<AlertView> Added, IReadOnlyList<AlertView> Evicted) : SituationChange;

/// <summary>The list of alerts taken out of the inbox (acknowledged as not relevant, or shelved) changed.</summary>
public sealed record HandledAlertsChanged : SituationChange;

public sealed record ConnectionChanged(ConnectionStatus Status) : SituationChange;

/// <summary>Incidents whose state changed (the newest snapshot of each).</summary>
public sealed record IncidentsChanged(IReadOnlyList<Features.Incidents.IncidentSnapshot> Incidents) : SituationChange;

/// <summary>Units whose status or position changed.</summary>
public sealed record UnitsChanged(IReadOnlyList<UnitView> Units) : SituationChange;

public sealed record SituationSnapshot(
    ImmutableList<AlertView> Alerts,
    ConnectionStatus Connection,
    long EventsReceived,
    ImmutableDictionary<string, Features.Incidents.IncidentSnapshot> Incidents,
    ImmutableDictionary<string, UnitView> Units,
    ImmutableList<AlertView> Handled);
