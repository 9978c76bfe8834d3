namespace ControlRoom.Domain.Systems;

/// <summary>
/// Time in each kind of state over a window. Maintenance is left out of the availability (planned work is
/// not an outage against the SLA), and so is time before anything was known; degraded performance counts as up.
/// </summary>
public sealed record Availability(TimeSpan Up, TimeSpan Down, TimeSpan Maintenance, TimeSpan Unknown)
{
    /// <summary>% of the measured time the system served; null when nothing was measured.</summary>
    public double? Percent => Up + Down <= TimeSpan.Zero ? null : 100 * (Up / (Up + Down));

    /// <summary>Meets an SLA target (% availability); nothing measured is not a breach.</summary>
    public bool Meets(double sla) => Percent is not { } percent || percent >= sla;
}

/// <summary>
/// One system's status over time, as the changes it went through: each holds from its time until the next.
/// Answers the status at a moment and the availability over the board's windows (24 h, 7 d, 30 d, 90 d).
/// </summary>
public sealed class StatusHistory
{
    public static readonly IReadOnlyList<TimeSpan> Windows = [TimeSpan.FromHours(24), TimeSpan.FromDays(7), TimeSpan.FromDays(30), TimeSpan.FromDays(90)];

    private readonly List<(DateTimeOffset At, SystemStatus Status)> _changes = [];

    /// <summary>A status seen at <paramref name="at"/>; the same status again changes nothing.</summary>
    /// <exception cref="ArgumentException">When <paramref name="at"/> is before the last change (history is not rewritten).</exception>
    public void Record(DateTimeOffset at, SystemStatus status)
    {
        if (_changes.Count > 0 && at < _changes[^1].At)
            throw new ArgumentException($"A status at {at:O} comes before the last change at {_changes[^1].At:O}.", nameof(at));
        if (_changes.Count == 0 || _changes[^1].Status != status)
            _changes.Add((at, status));
    }

    /// <summary>The changes kept, oldest first.</summary>
    public IReadOnlyList<(DateTimeOffset At, SystemStatus Status)> Changes => _changes;

    public SystemStatus? StatusAt(DateTimeOffset at)
    {
        SystemStatus? status = null;
        foreach (var change in _changes.TakeWhile(c => c.At <= at))
            status = change.Status;
        return status;
    }

    /// <summary>Drops what ended before <paramref name="before"/> (keeping the change in force then): the board keeps 90 days.</summary>
    public void Forget(DateTimeOffset before)
    {
        var inForce = _changes.FindLastIndex(c => c.At <= before);
        if (inForce > 0)
            _changes.RemoveRange(0, inForce);
    }

    public Availability Over(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
            throw new ArgumentException("The window ends before it starts.", nameof(to));
        TimeSpan up = TimeSpan.Zero, down = TimeSpan.Zero, maintenance = TimeSpan.Zero;
        for (var i = 0; i < _changes.Count; i++)
        {
            var start = Max(_changes[i].At, from);
            var end = i + 1 < _changes.Count ? Min(_changes[i + 1].At, to) : to;
            if (end <= start)
                continue;
            var span = end - start;
            switch (_changes[i].Status)
            {
                case SystemStatus.Operational or SystemStatus.DegradedPerformance:
                    up += span;
                    break;
                case SystemStatus.UnderMaintenance:
                    maintenance += span;
                    break;
                default:
                    down += span;
                    break;
            }
        }
        return new Availability(up, down, maintenance, to - from - up - down - maintenance);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
