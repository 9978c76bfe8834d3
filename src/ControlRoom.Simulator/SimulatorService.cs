using ControlRoom.Simulator.Scenario;
using ControlRoom.Simulator.Sinks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlRoom.Simulator;

/// <summary>
/// Plays <see cref="MilanDay"/> into a sink at the configured rate, tick by tick, with the patrols of
/// <see cref="PatrolMovement"/>: each unit's position about every <see cref="SimulatorOptions.UnitPositionEverySeconds"/>.
/// </summary>
public sealed partial class SimulatorService(
    IEventSink sink, Dispatch.DispatchOrders dispatch, IOptions<SimulatorOptions> options, IConfiguration configuration, TimeProvider clock,
    ILogger<SimulatorService> logger)
    : BackgroundService
{
    private const int MaxEventsPerRequest = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
            return;
        var folder = SeedDataFolder.Resolve(configuration[SeedDataFolder.Setting]);
        var sensors = SimulatedSensor.LoadCatalogue(await File.ReadAllTextAsync(Path.Combine(folder, "simulator", "sensors.json"), stoppingToken));
        var runId = clock.GetUtcNow().ToUnixTimeMilliseconds().ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        var day = new MilanDay(sensors, o.Seed, runId);
        var units = UnitRoster.Load(await File.ReadAllTextAsync(Path.Combine(folder, UnitRoster.RelativePath), stoppingToken));
        var patrols = new PatrolMovement(units, o.Seed, runId);
        var reports = new UnitReportSchedule(units.Count, o.UnitPositionEverySeconds);
        var systems = o.SystemReportEverySeconds > 0
            ? new SimulatedSystems(Domain.Systems.SystemCatalogue.Seed(), o.Seed, runId, o.SystemReportEverySeconds) : null;
        LogStarting(sensors.Count, o.EventsPerSecond, o.TimeScale, units.Count, o.UnitPositionEverySeconds);

        var tick = TimeSpan.FromMilliseconds(o.TickMilliseconds);
        var started = clock.GetTimestamp();
        var owed = 0.0;
        using var timer = new PeriodicTimer(tick, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var elapsed = clock.GetElapsedTime(started);
            var simHour = (o.StartHour + (elapsed.TotalHours * o.TimeScale)) % 24;
            owed += o.EventsPerSecond * tick.TotalSeconds;
            var count = (int)owed;
            owed -= count;
            var now = clock.GetUtcNow();
            var batch = day.Step(simHour, count, tick.TotalSeconds / o.TriggerEverySeconds, now);
            dispatch.ApplyTo(patrols);
            patrols.Step(tick.TotalSeconds * o.TimeScale, tick.TotalSeconds);
            batch.AddRange(patrols.Report(reports.Due(tick.TotalSeconds), now));
            if (systems is not null)
                batch.AddRange(systems.Step(tick.TotalSeconds, now));
            if (batch.Count == 0)
                continue;
            // Ingest takes at most 1,000 events a request: a load-generating tick goes out in several.
            foreach (var chunk in batch.Chunk(MaxEventsPerRequest))
            {
                try
                {
                    await sink.PublishAsync(chunk, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A producer that cannot deliver drops its readings and keeps the clock; the gateway says why.
                    LogPublishFailed(chunk.Length, ex);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator playing a Milan day: {Sensors} sensors, {Rate} readings/s, time x{Scale}, {Units} units reporting every {UnitEvery} s")]
    private partial void LogStarting(int sensors, double rate, double scale, int units, double unitEvery);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulator could not publish {Count} events")]
    private partial void LogPublishFailed(int count, Exception exception);
}
