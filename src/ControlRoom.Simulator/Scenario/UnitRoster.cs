using System.Text.Json;
using System.Text.Json.Serialization;
using ControlRoom.Domain.Units;

namespace ControlRoom.Simulator.Scenario;

/// <summary>
/// A unit of the simulated roster (seed-data/units/roster.json): the base is a real Polizia Locale site,
/// the call sign and the fleet are invented.
/// </summary>
public sealed record RosterUnit(UnitId Id, UnitKind Kind, string Name, string Base, double Lon, double Lat, int? Municipio);

public static class UnitRoster
{
    /// <summary>Where the roster lives inside seed-data.</summary>
    public static readonly string RelativePath = Path.Combine("units", "roster.json");

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter<UnitKind>(allowIntegerValues: false) },
    };

    /// <summary>Reads the roster: an object with a "units" array, or the array alone. An unknown kind is an error.</summary>
    public static IReadOnlyList<RosterUnit> Load(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("units", out var list))
            root = list;
        var rows = root.Deserialize<List<Row>>(Options) ?? throw new FormatException("The unit roster is empty.");
        if (rows.Count == 0)
            throw new FormatException("The unit roster is empty.");
        var units = rows.Select(r => new RosterUnit(new UnitId(r.Id), r.Kind, r.Name, r.Base, r.Lon, r.Lat, r.Municipio)).ToList();
        var duplicate = units.GroupBy(u => u.Id).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? units : throw new FormatException($"Call sign '{duplicate.Key}' appears twice in the roster.");
    }

    public static IReadOnlyList<RosterUnit> LoadFrom(string seedDataFolder) =>
        Load(File.ReadAllText(Path.Combine(seedDataFolder, RelativePath)));

    private sealed record Row(string Id, UnitKind Kind, string Name, string Base, double Lon, double Lat, int? Municipio);
}
