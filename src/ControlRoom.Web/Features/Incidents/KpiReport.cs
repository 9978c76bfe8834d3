using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Incidents.Kpis;
using ControlRoom.Storage;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>Dispatch performance over the last 24 hours, from the system of record.</summary>
public sealed class KpiReport(IIncidentStore store, KpiCalculator calculator, TimeProvider clock)
{
    private const int MaxIncidents = 2_000;

    public async Task<IReadOnlyList<KpiResult>> LastDayAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var from = now.AddHours(-24);
        var timelines = new List<IReadOnlyList<IncidentEvent>>();
        foreach (var summary in await store.ListAsync(includeFinal: true, MaxIncidents, cancellationToken))
        {
            if (summary.OpenedAt >= from)
                timelines.Add(await store.LoadAsync(summary.Id, cancellationToken));
        }
        return calculator.Calculate(timelines, from, now, now);
    }
}
