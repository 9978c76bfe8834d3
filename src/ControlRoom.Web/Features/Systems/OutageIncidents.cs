using System.Security.Cryptography;
using System.Text;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Systems;
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
public sealed partial class OutageIncidents(SystemsBoard board, IncidentCommands commands, TimeProvider clock, ILogger<OutageIncidents> log)
    : BackgroundService
{
    public static readonly Operator Monitoring = Operator.Automation("monitoraggio-sistemi");
    public const string RecoveredNote = "Servizio ripristinato";
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    private readonly Dictionary<IncidentId, (string System, DateTimeOffset Since)> _open = []; // outages this process saw opened
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
            var snapshot = board.Snapshot();
            var states = snapshot.Systems.ToDictionary(s => s.System.Id);
            foreach (var cause in snapshot.Outages)
            {
                if (states[cause.SystemId].DownSince is not { } since || _open.ContainsKey(IdOf(cause.SystemId, since)))
                    continue;
                var id = IdOf(cause.SystemId, since);
                var outcome = await commands.OpenAsync(id, Describe(cause, states[cause.SystemId]), Monitoring, cancellationToken);
                if (outcome.Succeeded || outcome.IsConflict)
                    _open[id] = (cause.SystemId, since); // opened now, or already by another instance or an earlier run
                else
                    LogRefused(cause.SystemId, outcome.Refusal!.Message);
            }
            // Over when its system is back in service (a system that became merely impacted by another's outage is not).
            foreach (var (id, (system, since)) in _open.Where(o => states[o.Value.System].DownSince != o.Value.Since).ToList())
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
            Lon: Domain.Geography.Milan.Centre.Lon,
            Lat: Domain.Geography.Milan.Centre.Lat,
            Title: $"Guasto IT: {system.Name}",
            Description: description.ToString()[..Math.Min(description.Length, Incident.MaxTextLength)]);
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
