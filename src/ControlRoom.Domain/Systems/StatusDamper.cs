namespace ControlRoom.Domain.Systems;

/// <summary>
/// How a run of raw check results becomes the status the board shows. Getting worse is shown at once (the
/// check's own retries already confirmed it); getting better only after <see cref="RecoverAfter"/> results
/// in a row say so. A system whose raw status changed <see cref="FlapChanges"/> times within
/// <see cref="FlapWindow"/> is flapping: it is held at the worst status of the window until it settles.
/// </summary>
public sealed record DampingOptions
{
    public int RecoverAfter { get; init; } = 2;
    public int FlapChanges { get; init; } = 4;
    public TimeSpan FlapWindow { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>The status to show after one more check, whether it differs from the one before, and whether the system is flapping.</summary>
public sealed record DampedStatus(SystemStatus Status, bool Changed, bool Flapping);

/// <summary>One system's damping state (see <see cref="DampingOptions"/>); not thread-safe, one per probe.</summary>
public sealed class StatusDamper(DampingOptions options)
{
    private readonly List<(DateTimeOffset At, SystemStatus Raw)> _changes = []; // raw changes within the flap window
    private SystemStatus? _shown;
    private SystemStatus? _lastRaw;
    private int _betterInARow;

    public DampedStatus Observe(DateTimeOffset at, SystemStatus raw)
    {
        if (_lastRaw is not null && _lastRaw != raw)
            _changes.Add((at, raw));
        _lastRaw = raw;
        _changes.RemoveAll(c => c.At <= at - options.FlapWindow);
        var flapping = _changes.Count >= options.FlapChanges;

        var before = _shown;
        if (_shown is not { } shown || raw.Badness() >= shown.Badness())
        {
            _shown = raw;
            _betterInARow = 0;
        }
        else if (flapping)
        {
            _shown = _changes.Select(c => c.Raw).Aggregate(shown, Worst);
            _betterInARow = 0;
        }
        else if (++_betterInARow >= options.RecoverAfter)
        {
            _shown = raw;
            _betterInARow = 0;
        }
        return new DampedStatus(_shown.Value, before != _shown, flapping);
    }

    private static SystemStatus Worst(SystemStatus a, SystemStatus b) => b.Badness() > a.Badness() ? b : a;
}
