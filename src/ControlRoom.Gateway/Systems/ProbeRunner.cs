using System.Globalization;
using ControlRoom.Domain.Systems;
using ControlRoom.EventStream;
using Microsoft.Extensions.Options;

namespace ControlRoom.Gateway.Systems;

/// <summary>
/// Runs every configured probe on its interval and appends each finding as a health event: the damped status
/// (see <see cref="StatusDamper"/>), the raw one, the latency and whether the system is flapping. Two gateways
/// probing the same system land in the same interval slot, so the stream keeps one event per slot.
/// </summary>
public sealed class ProbeRunner(ProbeCheck check, IEventStream stream, IOptions<SystemsOptions> options, TimeProvider clock, ILogger<ProbeRunner> log)
    : BackgroundService
{
    public const string Source = "/probes";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(options.Value.Probes.Select(probe => RunAsync(probe, stoppingToken)));

    private async Task RunAsync(ProbeSettings probe, CancellationToken stoppingToken)
    {
        var damper = new StatusDamper(options.Value.Damping);
        using var timer = new PeriodicTimer(probe.Interval, clock);
        try
        {
            do
            {
                var at = clock.GetUtcNow();
                ProbeResult result;
                try
                {
                    result = await check.RunAsync(probe, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    result = new ProbeResult(SystemStatus.MajorOutage, null, $"Controllo non riuscito: {e.GetType().Name}");
                }
                var shown = damper.Observe(at, result.Status);
                var slot = (at.ToUnixTimeMilliseconds() / (long)probe.Interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
                var health = HealthEvents.Create($"{probe.System}/{slot}", Source, probe.System!, at, shown.Status, "probe", result.Detail,
                    options.Value.MaintenanceAt(probe.System!, at),
                    new { observed = result.Status.ToWire(), latencyMs = result.LatencyMs is { } ms ? Math.Round(ms, 1) : (double?)null, flapping = shown.Flapping });
                try
                {
                    await stream.AppendAsync(health, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Probe of {System}: the stream refused the finding ({Status})", probe.System, shown.Status.ToWire());
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
