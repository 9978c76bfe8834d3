namespace ControlRoom.Domain.Incidents.Kpis;

public enum KpiVerdict
{
    /// <summary>No target is configured for this measure and priority.</summary>
    NoTarget,

    /// <summary>A target exists but nothing counts yet (no measurement, nothing overdue).</summary>
    NoData,

    Met,
    NotMet,
}

/// <summary>
/// One row of the KPI panel: one measure for one priority over the incidents opened in the window.
/// </summary>
/// <param name="Measured">Incidents where the measured step has happened.</param>
/// <param name="Pending">Incidents where the step has started (or the incident is open) but not happened yet, whatever their age.</param>
/// <param name="Overdue">Pending incidents already older than the target's threshold: they are misses already and count against the target. 0 without a target.</param>
/// <param name="WithinThreshold">Measured incidents at or under the threshold; null without a target.</param>
/// <param name="Median">Nearest-rank 50th percentile of the measured durations; null if none.</param>
/// <param name="P90">Nearest-rank 90th percentile of the measured durations; null if none.</param>
/// <param name="Share">WithinThreshold / (Measured + Overdue); null without a target or with nothing counted.</param>
public sealed record KpiResult(
    KpiMeasure Measure,
    Priority Priority,
    int Measured,
    int Pending,
    int Overdue,
    int? WithinThreshold,
    TimeSpan? Median,
    TimeSpan? P90,
    double? Share,
    KpiTarget? Target,
    KpiVerdict Verdict)
{
    /// <summary>The denominator of <see cref="Share"/>: measured incidents plus overdue pending ones.</summary>
    public int Counted => Measured + Overdue;

    /// <summary>Misses, including overdue pending incidents; null without a target.</summary>
    public int? Missed => WithinThreshold is { } within ? Counted - within : null;
}
