namespace ControlRoom.Domain.Incidents.Kpis;

/// <summary>
/// Dispatch-performance KPIs over incident logs. Pure: the only times it reads are the events' own
/// <c>At</c> and the <c>now</c> it is given, so a report can be recomputed "as of" any instant —
/// events after <c>now</c> are ignored as if they had not happened yet.
/// <list type="bullet">
/// <item>Window: an incident belongs to [from, to) by the time it was opened.</item>
/// <item>Priority: the incident's priority as of <c>now</c> (after any reclassification), so one
/// incident sits in the same row group for every measure.</item>
/// <item>Pending incidents (step started, not happened, incident still open) already older than the
/// target's threshold count as misses: a P1 still undispatched after 2 minutes has missed "60 s"
/// whether or not it is dispatched later, and leaving it out would make a backlog look like good
/// performance. Younger pending incidents are not counted yet: they can still make it.</item>
/// <item>Cancelled and unfounded incidents are left out of dispatch, arrive and close: there was nothing
/// (more) to send. The acknowledgement they got before ending still counts; if they ended
/// unacknowledged they are left out of that too.</item>
/// <item>Median and 90th percentile are nearest-rank over the measured durations only (see
/// <see cref="NearestRank"/>); overdue pending incidents show in <see cref="KpiResult.Overdue"/> and
/// in the share, not in the percentiles, whose value they do not know yet.</item>
/// </list>
/// </summary>
public sealed class KpiCalculator(KpiTargets targets)
{
    // Shares are ratios of small integers compared to decimal literals such as 0.90: 9/10 must be "met".
    private const double ShareTolerance = 1e-9;

    public KpiTargets Targets { get; } = targets ?? throw new ArgumentNullException(nameof(targets));

    public IReadOnlyList<KpiResult> Calculate(
        IEnumerable<Incident> incidents, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        return Calculate(incidents.Select(i => i.Timeline), from, to, now);
    }

    /// <summary>
    /// One row per priority (P1…P4) and measure, ordered by priority then measure, for the incidents
    /// opened in [<paramref name="from"/>, <paramref name="to"/>). Each timeline is one incident's log,
    /// in order, starting with <see cref="IncidentOpened"/>.
    /// </summary>
    public IReadOnlyList<KpiResult> Calculate(
        IEnumerable<IReadOnlyList<IncidentEvent>> timelines, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(timelines);
        if (to < from)
            throw new ArgumentException("The window must end at or after its start.", nameof(to));

        var samples = new Dictionary<(KpiMeasure, Priority), List<Sample>>();
        foreach (var timeline in timelines)
        {
            if (Milestones.Read(timeline, now) is not { } m || m.Opened < from || m.Opened >= to)
                continue;
            foreach (var measure in Enum.GetValues<KpiMeasure>())
            {
                if (m.Sample(measure, now) is not { } sample)
                    continue;
                if (!samples.TryGetValue((measure, m.Priority), out var list))
                    samples[(measure, m.Priority)] = list = [];
                list.Add(sample);
            }
        }

        return [.. from p in Enum.GetValues<Priority>()
                   from measure in Enum.GetValues<KpiMeasure>()
                   select Summarise(measure, p, samples.GetValueOrDefault((measure, p)) ?? [])];
    }

    /// <summary>
    /// Nearest-rank percentile: the value at rank ⌈p/100 · n⌉ (1-based) of the ascending values. It is
    /// always one of the observed durations, never an interpolation; the median of an even count is
    /// the lower of the two middle values (e.g. of 10, 20, 30, 40 it is 20, and the 90th is 40).
    /// </summary>
    public static TimeSpan NearestRank(IReadOnlyList<TimeSpan> sortedAscending, int percentile)
    {
        ArgumentNullException.ThrowIfNull(sortedAscending);
        if (sortedAscending.Count == 0)
            throw new ArgumentException("A percentile needs at least one value.", nameof(sortedAscending));
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var n = sortedAscending.Count;
        var rank = (percentile * n + 99) / 100; // ⌈p·n/100⌉ in integers, no rounding surprises
        return sortedAscending[rank - 1];
    }

    private KpiResult Summarise(KpiMeasure measure, Priority priority, List<Sample> samples)
    {
        var durations = samples.Where(s => s.Took is not null).Select(s => s.Took!.Value).Order().ToList();
        var pending = samples.Count - durations.Count;
        TimeSpan? median = durations.Count > 0 ? NearestRank(durations, 50) : null;
        TimeSpan? p90 = durations.Count > 0 ? NearestRank(durations, 90) : null;

        if (Targets.Find(measure, priority) is not { } target)
            return new(measure, priority, durations.Count, pending, 0, null, median, p90, null, null, KpiVerdict.NoTarget);

        var overdue = samples.Count(s => s.WaitingFor > target.Threshold);
        var within = durations.Count(d => d <= target.Threshold);
        var counted = durations.Count + overdue;
        if (counted == 0)
            return new(measure, priority, 0, pending, 0, 0, median, p90, null, target, KpiVerdict.NoData);

        var share = (double)within / counted;
        var verdict = share >= target.RequiredShare - ShareTolerance ? KpiVerdict.Met : KpiVerdict.NotMet;
        return new(measure, priority, durations.Count, pending, overdue, within, median, p90, share, target, verdict);
    }

    /// <summary>Either a finished measurement (<see cref="Took"/>) or a pending one waiting for <see cref="WaitingFor"/>.</summary>
    private readonly record struct Sample(TimeSpan? Took, TimeSpan? WaitingFor);

    /// <summary>The instants of one incident's log that the measures need, as of <c>now</c>.</summary>
    private readonly record struct Milestones(
        DateTimeOffset Opened, Priority Priority, DateTimeOffset? Acknowledged, DateTimeOffset? Dispatched,
        DateTimeOffset? Arrived, DateTimeOffset? Closed, bool EndedEarly)
    {
        public static Milestones? Read(IReadOnlyList<IncidentEvent> timeline, DateTimeOffset now)
        {
            ArgumentNullException.ThrowIfNull(timeline);
            if (timeline.Count == 0 || timeline[0] is not IncidentOpened opened)
                throw new ArgumentException("An incident's log starts with IncidentOpened.", nameof(timeline));
            if (opened.At > now)
                return null;

            var m = new Milestones(opened.At, opened.Priority, null, null, null, null, false);
            foreach (var e in timeline.Skip(1).Where(e => e.At <= now))
            {
                m = e switch
                {
                    PriorityChanged p => m with { Priority = p.Priority },
                    IncidentAcknowledged => m with { Acknowledged = Earliest(m.Acknowledged, e.At) },
                    // Dispatching an unacknowledged incident acknowledges it.
                    UnitDispatched => m with { Dispatched = Earliest(m.Dispatched, e.At), Acknowledged = Earliest(m.Acknowledged, e.At) },
                    UnitArrived => m with { Arrived = Earliest(m.Arrived, e.At) },
                    IncidentClosed => m with { Closed = Earliest(m.Closed, e.At) },
                    IncidentCancelled or IncidentUnfounded => m with { EndedEarly = true },
                    _ => m,
                };
            }
            return m;
        }

        private bool IsOver => EndedEarly || Closed is not null;

        /// <summary>The measurement for one measure, or null when the incident does not take part in it.</summary>
        public Sample? Sample(KpiMeasure measure, DateTimeOffset now) => measure switch
        {
            KpiMeasure.TimeToAcknowledge => Between(Opened, Acknowledged, now),
            KpiMeasure.TimeToDispatch when !EndedEarly => Between(Opened, Dispatched, now),
            KpiMeasure.TimeToArrive when !EndedEarly && Dispatched is { } sent => Between(sent, Arrived, now),
            KpiMeasure.TimeToClose when !EndedEarly => Between(Opened, Closed, now),
            _ => null,
        };

        private Sample? Between(DateTimeOffset start, DateTimeOffset? end, DateTimeOffset now) =>
            end is { } done ? new Sample(done - start, null)
            : IsOver ? null // ended without this step (e.g. cancelled before acknowledgement): nothing to wait for
            : new Sample(null, now - start);

        private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset at) =>
            current is { } c && c <= at ? c : at;
    }
}
