namespace ControlRoom.Domain.Systems;

/// <summary>
/// A system that is down while everything it depends on is up: the probable root cause of every outage
/// downstream. <see cref="Impacted"/> are the systems depending on it (directly or not), which are shown as
/// impacted rather than as alarms of their own; functions and areas are what the outage means on the ground.
/// </summary>
public sealed record RootCause(
    string SystemId,
    SystemStatus Status,
    IReadOnlyList<string> Impacted,
    IReadOnlyList<string> Functions,
    IReadOnlyList<ImpactArea> Areas)
{
    /// <summary>Planned work: its dependants are impacted, but nobody is alarmed.</summary>
    public bool Planned => Status == SystemStatus.UnderMaintenance;
}

/// <summary>The root causes of what is down now, most critical first, and which of them each impacted system feels.</summary>
public sealed record ImpactAssessment(IReadOnlyList<RootCause> RootCauses)
{
    public static readonly ImpactAssessment None = new([]);

    public IReadOnlyList<string> CausesOf(string systemId) =>
        [.. RootCauses.Where(r => r.Impacted.Contains(systemId, StringComparer.Ordinal)).Select(r => r.SystemId)];

    public bool IsImpacted(string systemId) => RootCauses.Any(r => r.Impacted.Contains(systemId, StringComparer.Ordinal));
}
