namespace ControlRoom.Domain.Incidents.Kpis;

/// <summary>
/// The step of an incident's life a KPI times. Every measure starts and ends at events in the log,
/// never at a wall-clock reading.
/// </summary>
public enum KpiMeasure
{
    /// <summary>Opened → first <see cref="IncidentAcknowledged"/>, or the first <see cref="UnitDispatched"/> if that came first (dispatching acknowledges).</summary>
    TimeToAcknowledge,

    /// <summary>Opened → first <see cref="UnitDispatched"/>.</summary>
    TimeToDispatch,

    /// <summary>First <see cref="UnitDispatched"/> → first <see cref="UnitArrived"/>.</summary>
    TimeToArrive,

    /// <summary>Opened → <see cref="IncidentClosed"/>.</summary>
    TimeToClose,
}

/// <summary>
/// "For <paramref name="Priority"/> incidents, <paramref name="Measure"/> is at most
/// <paramref name="Threshold"/> for at least <paramref name="RequiredShare"/> of them",
/// e.g. P1, TimeToDispatch, 60 s, 0.90. A duration equal to the threshold is within it.
/// </summary>
public sealed record KpiTarget
{
    public KpiTarget(KpiMeasure measure, Priority priority, TimeSpan threshold, double requiredShare)
    {
        if (!Enum.IsDefined(measure))
            throw new ArgumentOutOfRangeException(nameof(measure), measure, "Unknown KPI measure.");
        if (!Enum.IsDefined(priority))
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "Priority must be P1 to P4.");
        if (threshold <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "A KPI threshold must be positive.");
        if (double.IsNaN(requiredShare) || requiredShare is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(requiredShare), requiredShare, "The required share must be in (0, 1].");
        (Measure, Priority, Threshold, RequiredShare) = (measure, priority, threshold, requiredShare);
    }

    public KpiMeasure Measure { get; }
    public Priority Priority { get; }
    public TimeSpan Threshold { get; }

    /// <summary>Fraction of incidents that must be within the threshold, 0 &lt; share ≤ 1 (0.90 = 90 %).</summary>
    public double RequiredShare { get; }
}

/// <summary>
/// The targets the KPI panel judges against: at most one per (measure, priority). Measures without a
/// target are still reported (counts, median, 90th percentile) but get no verdict.
/// The set is configuration: the host builds it from its options; <see cref="Default"/> is only the
/// starting point, not a norm the code depends on.
/// </summary>
public sealed class KpiTargets
{
    private readonly Dictionary<(KpiMeasure, Priority), KpiTarget> _byKey = [];

    public KpiTargets(IEnumerable<KpiTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var t in targets)
        {
            ArgumentNullException.ThrowIfNull(t, nameof(targets));
            if (!_byKey.TryAdd((t.Measure, t.Priority), t))
                throw new ArgumentException($"Two targets for {t.Measure} at {t.Priority}.", nameof(targets));
        }
        All = [.. _byKey.Values.OrderBy(t => t.Priority).ThenBy(t => t.Measure)];
    }

    /// <summary>Every target, ordered by priority then measure.</summary>
    public IReadOnlyList<KpiTarget> All { get; }

    public KpiTarget? Find(KpiMeasure measure, Priority priority) => _byKey.GetValueOrDefault((measure, priority));

    /// <summary>
    /// Configurable defaults, to be replaced by the host's configuration:
    /// <list type="bullet">
    /// <item>P1 dispatched within 60 s for 90 % — the NFPA 1221/1225 call-processing norm (answer to
    /// dispatch ≤ 60 s for 90 % of calls) and the default. Our clock starts when the incident is
    /// opened, which for a phone call is a little after the answer, so this is slightly lenient.</item>
    /// <item>P1 acknowledged within 30 s for 90 % — half the dispatch budget: an operator who has not
    /// even taken a P1 after 30 s cannot choose and send a unit by 60 s.</item>
    /// <item>P1 arrived within 8 min for 90 % — the 8-minute urban response target of Italian emergency
    /// services (DPR 27/3/1992, 118), also NFPA 1710's 480 s travel time for advanced life support;
    /// borrowed as a benchmark, not binding on the Polizia Locale.</item>
    /// <item>P2 dispatched within 120 s for 90 % — urgent but not life-threatening: twice the P1 budget.</item>
    /// </list>
    /// No default for time to close (it depends on the incident type: a flood stays open for hours) nor
    /// for P3/P4, which are queued by design; those are reported without a verdict.
    /// </summary>
    public static KpiTargets Default { get; } = new(
    [
        new(KpiMeasure.TimeToAcknowledge, Priority.P1, TimeSpan.FromSeconds(30), 0.90),
        new(KpiMeasure.TimeToDispatch, Priority.P1, TimeSpan.FromSeconds(60), 0.90),
        new(KpiMeasure.TimeToArrive, Priority.P1, TimeSpan.FromMinutes(8), 0.90),
        new(KpiMeasure.TimeToDispatch, Priority.P2, TimeSpan.FromSeconds(120), 0.90),
    ]);
}
