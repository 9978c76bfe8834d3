using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Geography;
using ControlRoom.Simulator.Sinks;

namespace ControlRoom.Benchmarks;

/// <summary>The events the benchmark sends: sensor observations for throughput, alerts for latency.</summary>
internal static class BenchEvents
{
    public const string Source = "urn:controlroom:bench";
    public const string SingleMediaType = "application/cloudevents+json";
    public const string BatchMediaType = "application/cloudevents-batch+json";

    /// <summary>What the feed puts in data-alert-key: source, a newline, id.</summary>
    public static string Key(string id) => Source + "\n" + id;

    /// <summary>A river-level reading somewhere in Milan, about the size of a real one.</summary>
    public static EventEnvelope Observation(string id, int i) => new()
    {
        Id = id,
        Source = Source,
        Type = EventTypes.SensorObservationRecorded,
        Time = DateTimeOffset.UtcNow,
        Subject = $"sensor-{i % 500}",
        Location = PointFor(i),
        Data = JsonSerializer.SerializeToElement(new Reading("river-level", i % 400 / 100.0, "m")),
    };

    /// <summary>An alert whose CloudEvents time and data.postedAtMs are the moment it is posted.</summary>
    public static EventEnvelope Alert(string id, int i, DateTimeOffset postedAt) => new()
    {
        Id = id,
        Source = Source,
        Type = EventTypes.SensorAlertRaised,
        Time = postedAt,
        Subject = $"sensor-{i % 500}",
        Severity = Severity.Severe,
        Location = PointFor(i),
        Data = JsonSerializer.SerializeToElement(new AlertData($"Benchmark alert {i}", "alarm", postedAt.ToUnixTimeMilliseconds())),
    };

    public static byte[] Json(EventEnvelope e) => System.Text.Encoding.UTF8.GetBytes(CloudEventJson.Serialize(e));

    public static byte[] BatchJson(IEnumerable<EventEnvelope> events) => CloudEventBatch.ToJson([.. events]);

    // A deterministic scatter over the city (about 9.10–9.28 E, 45.41–45.52 N).
    private static NetTopologySuite.Geometries.Point PointFor(int i) =>
        Milan.Point(9.10 + i * 7919 % 1800 / 10_000.0, 45.41 + i * 104_729 % 1100 / 10_000.0);

    private sealed record Reading(string Kind, double Value, string Unit);

    private sealed record AlertData(string Title, string Kind, long PostedAtMs);
}
