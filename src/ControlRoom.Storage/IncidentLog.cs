using ControlRoom.Domain.Incidents;

namespace ControlRoom.Storage;

/// <summary>What both stores check before an append, and the current state they write after it.</summary>
internal static class IncidentLog
{
    /// <summary>Final statuses by their stored name: the board leaves these out unless asked.</summary>
    public static IReadOnlyList<string> FinalStatuses { get; } =
        [.. Enum.GetValues<IncidentStatus>().Where(s => s.IsFinal()).Select(s => s.ToString())];

    public static void CheckAppend(IncidentId incident, int expectedVersion, IReadOnlyList<IncidentEvent> events)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        if (events.Count == 0)
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        if (events.FirstOrDefault(e => e.Incident != incident) is { } stranger)
            throw new ArgumentException($"A {stranger.GetType().Name} for {stranger.Incident} cannot go into the log of {incident}.", nameof(events));
    }

    /// <summary>
    /// The state after the append, by replaying the whole log: the current-state row can then never
    /// disagree with the log. Throws when the log would not start with IncidentOpened.
    /// </summary>
    public static Incident Replay(IReadOnlyList<IncidentEvent> existing, IReadOnlyList<IncidentEvent> appended) =>
        Incident.Replay(existing.Concat(appended));

    /// <summary>Assigned call signs in a stable order, so equal states store equal rows.</summary>
    public static string[] AssignedUnits(Incident incident) =>
        [.. incident.AssignedUnits.Select(u => u.Value).Order(StringComparer.Ordinal)];
}
