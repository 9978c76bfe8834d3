using System.Globalization;
using System.Text;
using System.Text.Json;
using ControlRoom.Simulator;

namespace ControlRoom.Web.Features.Incidents;

public sealed record Street(string Name, double Lon, double Lat);

/// <summary>
/// Finds a named street of Milan (the OpenStreetMap gazetteer in seed-data: one point per street, not
/// a house-number geocoder) by any part of its name, ignoring case and accents.
/// </summary>
public sealed class StreetGazetteer
{
    private readonly (string Key, Street Street)[] _streets;

    public StreetGazetteer(IConfiguration configuration)
        : this(File.ReadAllText(Path.Combine(SeedDataFolder.Resolve(configuration[SeedDataFolder.Setting]), "geo", "streets-gazetteer.json")))
    {
    }

    public StreetGazetteer(string json)
    {
        using var document = JsonDocument.Parse(json);
        _streets = [.. document.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => new Street(i.GetProperty("name").GetString()!, i.GetProperty("lon").GetDouble(), i.GetProperty("lat").GetDouble()))
            .Select(s => (Normalize(s.Name), s))
            .DistinctBy(s => s.Item1)];
    }

    public int Count => _streets.Length;

    /// <summary>Streets whose name contains every word of the query; names starting with it first.</summary>
    public IReadOnlyList<Street> Search(string? query, int max = 10)
    {
        var words = Normalize(query ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            return [];
        var joined = string.Join(' ', words);
        return [.. _streets
            .Where(s => words.All(w => s.Key.Contains(w, StringComparison.Ordinal)))
            .OrderBy(s => s.Key.StartsWith(joined, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(s => s.Key.Length)
            .Take(max)
            .Select(s => s.Street)];
    }

    private static string Normalize(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var kept = decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark);
        return string.Join(' ', new string([.. kept]).Split([' ', '\'', '.', ','], StringSplitOptions.RemoveEmptyEntries));
    }
}
