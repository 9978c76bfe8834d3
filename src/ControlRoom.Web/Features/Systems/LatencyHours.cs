using ControlRoom.Storage;

namespace ControlRoom.Web.Features.Systems;

/// <summary>Latency over a window: how many samples, their mean and the slowest; null figures when nothing was measured.</summary>
public sealed record LatencySummary(int Samples, double? MeanMs, double? MaxMs);

/// <summary>
/// One system's latency summed per hour (UTC), for the 24 h … 90 d windows. Hours the store kept are taken as they
/// are and get no more samples (the stream replaying them would count them twice); a finished hour is handed to the
/// store once.
/// </summary>
public sealed class LatencyHours
{
    private sealed class Hour
    {
        public int Samples;
        public double Sum;
        public double Max;
        public bool Kept; // in the store already (seeded, or saved)
    }

    private readonly SortedDictionary<DateTimeOffset, Hour> _hours = [];
    private DateTimeOffset _latest = DateTimeOffset.MinValue; // the latest hour with a sample

    public static DateTimeOffset HourOf(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    public void Add(DateTimeOffset at, double ms)
    {
        var start = HourOf(at);
        if (!_hours.TryGetValue(start, out var hour))
            _hours[start] = hour = new Hour();
        else if (hour.Kept)
            return;
        hour.Samples++;
        hour.Sum += ms;
        hour.Max = Math.Max(hour.Max, ms);
        if (start > _latest)
            _latest = start;
        while (_hours.Count > 0 && _hours.First().Key < _latest - Domain.Systems.StatusHistory.Windows[^1])
            _hours.Remove(_hours.First().Key);
    }

    public void Seed(SystemLatencyHour kept)
    {
        if (_hours.TryGetValue(kept.Hour, out var known) && known.Samples >= kept.Samples)
            return;
        _hours[kept.Hour] = new Hour { Samples = kept.Samples, Sum = kept.MeanMs * kept.Samples, Max = kept.MaxMs, Kept = true };
    }

    /// <summary>Hours before the latest one with samples (finished) that the store does not have yet; marked as handed over.</summary>
    public List<SystemLatencyHour> TakeFinished(string system)
    {
        var finished = _hours.Where(h => h.Key < _latest && !h.Value.Kept && h.Value.Samples > 0).ToList();
        finished.ForEach(h => h.Value.Kept = true);
        return [.. finished.Select(h => new SystemLatencyHour(system, h.Key, h.Value.Samples, h.Value.Sum / h.Value.Samples, h.Value.Max))];
    }

    public LatencySummary Over(DateTimeOffset from, DateTimeOffset to)
    {
        var hours = _hours.Where(h => h.Key >= HourOf(from) && h.Key <= to && h.Value.Samples > 0).Select(h => h.Value).ToList();
        var samples = hours.Sum(h => h.Samples);
        return samples == 0 ? new LatencySummary(0, null, null) : new LatencySummary(samples, hours.Sum(h => h.Sum) / samples, hours.Max(h => h.Max));
    }
}
