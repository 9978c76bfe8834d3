using System.Text.Json;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Units;
using ControlRoom.Simulator;
using ControlRoom.Storage;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// Puts the seed roster (seed-data/units/roster.json) into the store at start. Units already there keep
/// their state, so a restart never frees a unit that is on an incident. Runs after the store migrator.
/// </summary>
public sealed partial class UnitRosterSeeder(IIncidentStore store, IConfiguration configuration, ILogger<UnitRosterSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(SeedDataFolder.Resolve(configuration[SeedDataFolder.Setting]), "units", "roster.json");
        if (!File.Exists(file))
        {
            LogNoRoster(file);
            return;
        }
        var units = Load(await File.ReadAllTextAsync(file, cancellationToken));
        await store.SeedUnitsAsync(units, cancellationToken);
        LogSeeded(units.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Reads the roster: an array, or an object with a "units" array, of { id, kind, base, lon, lat }.</summary>
    public static IReadOnlyList<Unit> Load(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("units", out var list))
            root = list;
        return [.. root.EnumerateArray().Select(u => new Unit(
            new UnitId(u.GetProperty("id").GetString()!),
            Enum.Parse<UnitKind>(u.GetProperty("kind").GetString()!),
            u.GetProperty("base").GetString()!,
            Milan.Point(u.GetProperty("lon").GetDouble(), u.GetProperty("lat").GetDouble()),
            UnitStatus.Available))];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No unit roster at {File}: dispatch has no units")]
    private partial void LogNoRoster(string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit roster: {Count} units")]
    private partial void LogSeeded(int count);
}
