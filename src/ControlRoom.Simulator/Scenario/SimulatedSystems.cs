using System.Globalization;
using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Systems;

namespace ControlRoom.Simulator.Scenario;

/// <summary>
/// The critical systems' health as a demo plays it: every system reports about every <c>everySeconds</c> with a
/// plausible latency, and a scripted eight-minute cycle brings an outage (a root system down, the systems built on
/// it failing in part), planned maintenance and a slow spell. Reports say input "simulator", so nobody mistakes them.
/// </summary>
public sealed class SimulatedSystems
{
    public const string Source = "/simulator/systems";
    private static readonly string[] OutageRoots = ["wso2-interop", "video-surveillance", "campus-network", "anpr"];
    private const double Cycle = 480;

    private readonly SystemCatalogue _catalogue;
    private readonly UnitReportSchedule _schedule;
    private readonly Random _random;
    private readonly string _runId;
    private readonly double[] _baseLatency;
    private double _elapsed;

    public SimulatedSystems(SystemCatalogue catalogue, int seed, string runId, double everySeconds)
    {
        _catalogue = catalogue;
        _schedule = new UnitReportSchedule(catalogue.Systems.Count, everySeconds);
        _random = new Random(seed);
        _runId = runId;
        _baseLatency = [.. catalogue.Systems.Select(_ => 40 + (_random.NextDouble() * 200))];
    }

    /// <summary>The reports due after <paramref name="tickSeconds"/> more real seconds; the first tick reports every system.</summary>
    public List<EventEnvelope> Step(double tickSeconds, DateTimeOffset now)
    {
        var first = _elapsed == 0;
        _elapsed += tickSeconds;
        var due = first ? Enumerable.Range(0, _catalogue.Systems.Count).ToList() : _schedule.Due(tickSeconds);
        return [.. due.Select(i => Report(i, now))];
    }

    /// <summary>What the script says about a system <paramref name="elapsed"/> real seconds into the run.</summary>
    public SystemStatus StatusAt(string system, double elapsed)
    {
        var cycle = (int)(elapsed / Cycle);
        var at = elapsed % Cycle;
        var root = OutageRoots[cycle % OutageRoots.Length];
        if (at is >= 60 and < 180)
        {
            if (system == root)
                return SystemStatus.MajorOutage;
            if (_catalogue[system].DependsOn.Contains(root))
                return SystemStatus.PartialOutage;
        }
        if (at is >= 240 and < 330 && system == "geoportale")
            return SystemStatus.UnderMaintenance;
        if (at is >= 360 and < 420 && system == "crm-020202")
            return SystemStatus.DegradedPerformance;
        return SystemStatus.Operational;
    }

    private EventEnvelope Report(int index, DateTimeOffset now)
    {
        var system = _catalogue.Systems[index];
        var status = StatusAt(system.Id, _elapsed);
        double? latency = status switch
        {
            SystemStatus.MajorOutage or SystemStatus.UnderMaintenance => null,
            SystemStatus.DegradedPerformance => (_baseLatency[index] * 8) + (_random.NextDouble() * 400),
            _ => _baseLatency[index] * (0.8 + (_random.NextDouble() * 0.5)),
        };
        return new EventEnvelope
        {
            Id = $"{_runId}/{system.Id}/{now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}",
            Source = Source,
            Type = EventTypes.SystemHealthReported,
            Time = now,
            Subject = system.Id,
            Severity = status.ToSeverity(),
            Visibility = Visibility.Operations,
            Data = JsonSerializer.SerializeToElement(new
            {
                title = latency is { } ms ? $"Simulazione: risposta in {ms:0} ms" : "Simulazione: nessuna risposta",
                status = status.ToWire(),
                input = "simulator",
                latencyMs = latency is { } l ? Math.Round(l, 1) : (double?)null,
            }),
        };
    }
}
