using System.Text.Json;

namespace ControlRoom.Simulator.Scenario;

/// <summary>A sensor the simulator plays, from seed-data/simulator/sensors.json (real positions, plausible values).</summary>
public sealed record SimulatedSensor
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required double Lon { get; init; }
    public required double Lat { get; init; }
    public string? River { get; init; }
    public string? Unit { get; init; }
    public double? BaselineCm { get; init; }
    public Thresholds? ThresholdsCm { get; init; }
    public string? Pollutant { get; init; }
    public double? Limit { get; init; }
    public double? FreeFlowKmh { get; init; }
    public double? ThresholdPeople { get; init; }

    public sealed record Thresholds(double Attention, double PreAlarm, double Alarm);

    public static class Kinds
    {
        public const string RiverLevel = "river-level";
        public const string AirQuality = "air-quality";
        public const string Traffic = "traffic";
        public const string Crowd = "crowd";
        public const string Alarm = "alarm";
        public const string Camera = "camera";
    }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Reads the catalogue: a JSON array, or an object with a "sensors" array.</summary>
    public static IReadOnlyList<SimulatedSensor> LoadCatalogue(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("sensors", out var list))
            root = list;
        var sensors = root.Deserialize<List<SimulatedSensor>>(Options)
            ?? throw new FormatException("The sensor catalogue is empty.");
        return sensors.Count > 0 ? sensors : throw new FormatException("The sensor catalogue is empty.");
    }
}
