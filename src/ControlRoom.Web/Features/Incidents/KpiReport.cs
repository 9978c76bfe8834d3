using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Incidents.Kpis;
using ControlRoom.Storage;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// Dispatch performance over the last 24 hours, from the system of record. Every screen shows it, so
/// one computation serves them all: it is redone only when the incidents changed (a new revision) or
/// the last one is older than <see cref="MaxAge"/> (so incidents waiting too long turn into misses).
/// </summary>
public sealed class KpiReport(IIncidentStore store, KpiCalculator calculator, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);
    private const int MaxIncidents = 2_000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (int Revision, DateTimeOffset At, IReadOnlyList<KpiResult> Results)? _last;

    /// <param name="revision">Anything that changes when an incident changes (screens pass the sum of versions).</param>
    public async Task<IReadOnlyList<KpiResult>> LastDayAsync(int revision, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            if (_last is { } last && last.Revision == revision && now - last.At < MaxAge)
                return last.Results;
            var results = await ComputeAsync(now, cancellationToken);
            _last = (revision, now, results);
            return results;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<KpiResult>> ComputeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var from = now.AddHours(-24);
        var timelines = new List<IReadOnlyList<IncidentEvent>>();
        foreach (var summary in await store.ListAsync(includeFinal: true, MaxIncidents, cancellationToken))
        {
            if (summary.OpenedAt >= from)
                timelines.Add(await store.LoadAsync(summary.Id, cancellationToken));
        }
        return calculator.Calculate(timelines, from, now, now);
    }

    public void Dispose() => _gate.Dispose();
}
