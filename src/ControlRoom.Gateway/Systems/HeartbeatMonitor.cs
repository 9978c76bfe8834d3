using System.Globalization;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Systems;
using ControlRoom.EventStream;
using Microsoft.Extensions.Options;

namespace ControlRoom.Gateway.Systems;

/// <summary>
/// Notices systems that stopped calling in. It learns the last heartbeat of each expected system from the stream
/// (so every gateway knows the heartbeats any of them received) and reports a silence beyond Every + Grace as a
/// major outage, once: the event's id names the last heartbeat, so two gateways reporting it append one event.
/// A silence reported within a maintenance window is reported again as an outage once the window ends.
/// The silence is counted from this gateway's start when it has not seen a heartbeat yet.
/// </summary>
public sealed class HeartbeatMonitor(IEventStream stream, IOptions<SystemsOptions> options, TimeProvider clock, ILogger<HeartbeatMonitor> log)
    : BackgroundService
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMilliseconds(250);
    private readonly Dictionary<string, (DateTimeOffset Last, SystemStatus? Reported)> _beats = []; // Reported: the silence, as told
    private readonly Lock _gate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var expected = options.Value.Heartbeats;
        if (expected.Count == 0)
            return;
        var started = clock.GetUtcNow();
        foreach (var heartbeat in expected)
            _beats[heartbeat.System!] = (started, null);
        await Task.WhenAll(FollowAsync(stoppingToken), WatchAsync(expected, stoppingToken));
    }

    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        StreamId? position = null; // after a read error, resume where it stopped: no heartbeat in between is missed
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                position ??= (await stream.GetInfoAsync(stoppingToken)).LastId;
                await foreach (var batch in stream.FollowAsync(position.Value, 256, clock, stoppingToken))
                {
                    foreach (var entry in batch.Where(e => e.Event.Source == HeartbeatEndpoints.Source && e.Event.Type == EventTypes.SystemHealthReported))
                        Seen(entry.Event);
                    position = batch[^1].Id;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Heartbeat monitor: reading the stream failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Seen(EventEnvelope beat)
    {
        lock (_gate)
        {
            if (beat.Subject is not { } system || !_beats.TryGetValue(system, out var known))
                return;
            if (beat.Id.Contains("/missing/", StringComparison.Ordinal))
                _beats[system] = known with { Reported = SystemStatusNames.TryParse(beat.TryGetString("status"), out var told) ? told : SystemStatus.MajorOutage }; // another gateway said it
            else if (beat.Time >= known.Last)
                _beats[system] = (beat.Time, null);
        }
    }

    private async Task WatchAsync(List<HeartbeatSettings> expected, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var heartbeat in expected)
                    await CheckAsync(heartbeat, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync(HeartbeatSettings heartbeat, CancellationToken stoppingToken)
    {
        var system = heartbeat.System!;
        var now = clock.GetUtcNow();
        var maintenance = options.Value.MaintenanceAt(system, now);
        var due = maintenance is null ? SystemStatus.MajorOutage : SystemStatus.UnderMaintenance;
        DateTimeOffset last;
        lock (_gate)
        {
            (last, var reported) = _beats[system];
            if (reported == due || now - last <= heartbeat.Every + heartbeat.Grace)
                return;
        }
        var silence = $"Nessun heartbeat dalle {TimeZoneInfo.ConvertTime(last, Domain.Geography.Milan.TimeZone):HH:mm:ss} (atteso ogni {heartbeat.Every.TotalSeconds:0} s)";
        var id = $"{system}/missing/{last.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}" + (maintenance is null ? "" : "/maintenance");
        var missing = HealthEvents.Create(id, HeartbeatEndpoints.Source, system, now, SystemStatus.MajorOutage, "heartbeat", silence, maintenance,
            new { missing = true, lastHeartbeat = last });
        try
        {
            await stream.AppendAsync(missing, stoppingToken);
            lock (_gate)
            {
                if (_beats[system].Last == last)
                    _beats[system] = (last, due);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Heartbeat monitor: could not report the silence of {System}; trying again", system);
        }
    }
}
