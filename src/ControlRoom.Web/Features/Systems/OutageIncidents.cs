using System.Security.Cryptography;
using System.Text;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Systems;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;
using ControlRoom.Web.Features.Incidents;
using ControlRoom.Web.Features.Operations;

namespace ControlRoom.Web.Features.Systems;

/// <summary>
/// One IT incident per outage of a critical system: an alarming root cause on the board opens an incident naming it,
/// its impact, functions and areas; its recovery adds a note saying so, for the operators to close. Every web
/// instance runs this on its own board, and the work is done once all the same: the incident's id is derived from
/// the outage (the root system and the time of the report that began it, identical everywhere), and the store
/// accepts version 0 of an id once. A retry, a restart or a second instance finds it opened and moves on.
/// An outage is over when its system is back in service; one that became merely impacted by a newer root cause
/// keeps its incident open.
/// </summary>
public sealed partial class OutageIncidents(
    SystemsBoard board, IncidentCommands commands, IIncidentStore store, TimeProvider clock, ILogger<OutageIncidents> log)
    : BackgroundService
{
    public static readonly Operator Monitoring = Operator.Automation("monitoraggio-sistemi");
    public const string RecoveredNote = "Servizio ripristinato";

    /// <summary>Where an IT outage is placed on the map: the Centrale Operativa in via Beccaria, whose tools it touches.</summary>
    public static readonly (double Lon, double Lat) CentraleOperativa = (9.1943, 45.4637);

    /// <summary>The key naming the system on its incident (an "alert key": it links nothing in the inbox).</summary>
    public const string SystemKeyPrefix = "/systems/outage\n";

    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    // Inputs report on their own schedules: when a shared dependency fails, a dependant may be heard first. A root
    // cause opens its incident once it has held this long, so the real one has had time to be heard.
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    // A report this recent is live, not replayed from the stream's window: enough to call an adopted outage over.
    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(2);

    // Adopted at start from the store: the outage's beginning is not known any more.
    private static readonly DateTimeOffset Unknown = DateTimeOffset.MinValue;

    private readonly Dictionary<IncidentId, (string System, DateTimeOffset Since)> _open = []; // outages this process knows opened
    private bool _adopted;
    private readonly SemaphoreSlim _pass = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        try
        {
            do
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(e); // the next pass tries again: nothing is lost, the board still shows the outage
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The incident of the outage of <paramref name="system"/> that began at <paramref name="since"/>.</summary>
    public static IncidentId IdOf(string system, DateTimeOffset since)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"it-outage\n{system}\n{since.ToUnixTimeMilliseconds()}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // RFC 9562 version 8: a name-derived id, not a random or timed one
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new IncidentId(new Guid(hash.AsSpan(0, 16)));
    }

    /// <summary>One pass: open what is newly down, note the recovery of what came back.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            if (!_adopted)
                await AdoptAsync(cancellationToken);
            var snapshot = board.Snapshot();
            var states = snapshot.Systems.ToDictionary(s => s.System.Id);
            var now = clock.GetUtcNow();
            foreach (var cause in snapshot.Outages)
            {
                if (states[cause.SystemId].DownSince is not { } since || _open.ContainsKey(IdOf(cause.SystemId, since)) || now - since < Settle)
                    continue;
                if (_open.FirstOrDefault(o => o.Value.System == cause.SystemId && o.Value.Since == Unknown) is { Value.System: not null } adopted)
                {
                    _open[adopted.Key] = (cause.SystemId, since); // the outage that was open before a restart, still going on
                    continue;
                }
                var id = IdOf(cause.SystemId, since);
                var outcome = await commands.OpenAsync(id, Describe(cause, states[cause.SystemId]), Monitoring, cancellationToken);
                if (outcome.Succeeded || outcome.IsConflict)
                    _open[id] = (cause.SystemId, since); // opened now, or already by another instance or an earlier run
                else
                    LogRefused(cause.SystemId, outcome.Refusal!.Message);
            }
            // Over when its system serves again (not when it became merely impacted by another's outage, nor when
            // maintenance began); an outage adopted from before a restart only on a live report.
            foreach (var (id, (system, since)) in _open.Where(o => states[o.Value.System] is { Status: SystemStatus.Operational or SystemStatus.DegradedPerformance } state
                && (o.Value.Since == Unknown ? state.Last!.At >= now - Fresh : state.DownSince != o.Value.Since)).ToList())
            {
                if (await NoteRecoveryAsync(id, system, cancellationToken))
                    _open.Remove(id);
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>
    /// The open incidents monitoring opened before this process started (another run, another instance): their
    /// recovery is noted too, and an outage still going on keeps its incident instead of opening a second one.
    /// </summary>
    private async Task AdoptAsync(CancellationToken cancellationToken)
    {
        foreach (var summary in await store.ListAsync(includeFinal: false, 1_000, cancellationToken))
        {
            if (summary.TypeCode != IncidentTypes.InfrastructureFailure.Code || _open.ContainsKey(summary.Id))
                continue;
            var incident = await commands.LoadAsync(summary.Id, Monitoring, cancellationToken);
            if (incident?.Timeline[0].By == Monitoring.Name
                && incident.AlertKeys.FirstOrDefault(k => k.StartsWith(SystemKeyPrefix, StringComparison.Ordinal)) is { } key
                && board.Catalogue.Contains(key[SystemKeyPrefix.Length..]))
                _open[summary.Id] = (key[SystemKeyPrefix.Length..], Unknown);
        }
        _adopted = true;
    }

    private async Task<bool> NoteRecoveryAsync(IncidentId id, string system, CancellationToken cancellationToken)
    {
        var incident = await commands.LoadAsync(id, Monitoring, cancellationToken);
        if (incident is null || incident.Status.IsFinal()
            || incident.Timeline.OfType<NoteAdded>().Any(n => n.By == Monitoring.Name && n.Text.StartsWith(RecoveredNote, StringComparison.Ordinal)))
            return true; // gone, closed by the operators already, or noted by another instance
        var status = board.Snapshot().Systems.First(s => s.System.Id == system).Status;
        var text = $"{RecoveredNote} alle {RomeTime.ToRome(clock.GetUtcNow()):HH:mm}: {board.Catalogue[system].Name} è {ItalianStatus(status)}. Da chiudere dopo verifica.";
        var outcome = await commands.AddNoteAsync(id, incident.Version, text, Monitoring, cancellationToken);
        return outcome.Succeeded; // a conflict: look again on the next pass
    }

    private OpenIncident Describe(RootCause cause, SystemState state)
    {
        var system = state.System;
        var impacted = cause.Impacted.Select(i => board.Catalogue[i].Name).ToList();
        var description = new StringBuilder()
            .Append($"Causa probabile: {system.Name} ({ItalianStatus(cause.Status)}), responsabile {system.Owner}. ")
            .Append(impacted.Count == 0 ? "Nessun altro sistema ne dipende. " : $"Sistemi impattati ({impacted.Count}): {string.Join(", ", impacted)}. ")
            .Append($"Funzioni: {string.Join("; ", cause.Functions)}. ")
            .Append($"Ultimo rilevamento: {state.Last?.Title}.");
        return new OpenIncident(
            TypeCode: IncidentTypes.InfrastructureFailure.Code,
            Priority: system.Impact switch
            {
                BusinessImpact.Critical => Priority.P1,
                BusinessImpact.High => Priority.P2,
                BusinessImpact.Medium => Priority.P3,
                _ => Priority.P4,
            },
            Source: IncidentSource.SystemMonitoring,
            Lon: CentraleOperativa.Lon,
            Lat: CentraleOperativa.Lat,
            Title: (state.Last?.Input == "simulator" ? "[Simulazione] " : "") + $"Guasto IT: {system.Name}",
            Description: description.ToString()[..Math.Min(description.Length, Incident.MaxTextLength)],
            AlertKeys: [SystemKeyPrefix + system.Id]);
    }

    // The incident's text is a record in Italian, whoever reads it later: not the reader's UI language.
    private static string ItalianStatus(SystemStatus? status) => status switch
    {
        SystemStatus.Operational => "operativo",
        SystemStatus.DegradedPerformance => "con prestazioni ridotte",
        SystemStatus.PartialOutage => "in disservizio parziale",
        SystemStatus.MajorOutage => "fuori servizio",
        SystemStatus.UnderMaintenance => "in manutenzione",
        _ => "senza dati",
    };

    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "IT incidents: a pass failed; trying again")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "IT incidents: opening the incident for {System} was refused: {Reason}")]
    private partial void LogRefused(string system, string reason);
}
