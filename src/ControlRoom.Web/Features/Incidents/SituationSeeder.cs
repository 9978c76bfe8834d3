using ControlRoom.Domain.Incidents;
using ControlRoom.Storage;
using ControlRoom.Web.Situation;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// At start, loads open incidents (and the most recent closed ones) and the unit roster from the store
/// into the situation store, so a restarted web process shows every acknowledged action at once,
/// whatever the stream still holds. Runs after the migrator and the roster seeder.
/// </summary>
public sealed partial class SituationSeeder(IIncidentStore store, SituationStore situation, TimeProvider clock, ILogger<SituationSeeder> logger) : IHostedService
{
    private const int MaxIncidents = 500;

    /// <summary>
    /// Alert decisions older than this concern alerts no screen still holds: the Redis stream is trimmed
    /// by length (100,000 entries), which at the simulator's rate reaches back several days.
    /// </summary>
    private static readonly TimeSpan TriageHorizon = TimeSpan.FromDays(7);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var incidents = new List<IncidentSnapshot>();
        foreach (var summary in await store.ListAsync(includeFinal: true, MaxIncidents, cancellationToken))
        {
            var log = await store.LoadAsync(summary.Id, cancellationToken);
            if (log.Count > 0)
                incidents.Add(IncidentMessages.Snapshot(Incident.Replay(log)));
        }
        var units = (await store.ListUnitsAsync(cancellationToken))
            .Select(u => new UnitView(u.Id.Value, u.Kind, u.Base, u.Status, u.Incident?.ToString(), u.Position.X, u.Position.Y))
            .ToList();
        situation.Seed(incidents, units);
        var triage = await store.ListTriageAsync(clock.GetUtcNow() - TriageHorizon, cancellationToken);
        situation.Seed(triage);
        LogSeeded(incidents.Count, units.Count, triage.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Situation loaded from the store: {Incidents} incidents, {Units} units, {Decisions} alert decisions")]
    private partial void LogSeeded(int incidents, int units, int decisions);
}
