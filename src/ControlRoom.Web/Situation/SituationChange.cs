namespace ControlRoom.Web.Situation;

public abstract record SituationChange;

/// <summary>New alerts (oldest first) and the keys of alerts dropped off the end of the retained window.</summary>
public sealed record AlertsChanged(IReadOnlyList<AlertView> Added, IReadOnlyList<string> Evicted) : SituationChange;

public sealed record ConnectionChanged(ConnectionStatus Status) : SituationChange;

public sealed record SituationSnapshot(System.Collections.Immutable.ImmutableList<AlertView> Alerts, ConnectionStatus Connection, long EventsReceived);
