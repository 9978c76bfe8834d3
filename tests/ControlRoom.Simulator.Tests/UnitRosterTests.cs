using System.Text.Json;
using ControlRoom.Domain.Units;
using ControlRoom.Simulator;
using ControlRoom.Simulator.Scenario;

namespace ControlRoom.Simulator.Tests;

public class UnitRosterTests
{
    internal static IReadOnlyList<RosterUnit> Roster() => UnitRoster.LoadFrom(SeedDataFolder.Resolve(null));

    [Fact]
    public void Roster_HasEveryUnitOfAKnownKind_InsideMilan_WithUniqueCallSigns()
    {
        var units = Roster();

        units.ShouldAllBe(u => Enum.IsDefined(u.Kind));
        units.ShouldAllBe(u => u.Lon > 9.0 && u.Lon < 9.3 && u.Lat > 45.38 && u.Lat < 45.56);
        units.Select(u => u.Id).Distinct().Count().ShouldBe(units.Count);
        units.ShouldAllBe(u => !string.IsNullOrWhiteSpace(u.Name) && !string.IsNullOrWhiteSpace(u.Base) && u.Municipio >= 1 && u.Municipio <= 9);
        units.CountBy(u => u.Kind).OrderBy(p => p.Key).ShouldBe(
        [
            new(UnitKind.PatrolCar, 28), new(UnitKind.Motorcycle, 14), new(UnitKind.FootPatrol, 9),
            new(UnitKind.VolunteerTeam, 4), new(UnitKind.Liaison, 3),
        ]);
    }

    [Fact]
    public void Roster_GivesEveryPoliziaLocaleCommand_CarsAndAMotorcycle_AtItsRealPosition()
    {
        var units = Roster();
        using var comandi = JsonDocument.Parse(File.ReadAllText(Path.Combine(SeedDataFolder.Resolve(null), "geo", "polizia-locale-comandi.geojson")));

        var features = comandi.RootElement.GetProperty("features").EnumerateArray().ToList();
        features.Count.ShouldBe(14);
        foreach (var f in features)
        {
            var name = f.GetProperty("properties").GetProperty("Polizia Locale -  Comandi decentrati").GetString()!;
            var coordinates = f.GetProperty("geometry").GetProperty("coordinates");
            var (lon, lat) = (coordinates[0].GetDouble(), coordinates[1].GetDouble());
            var here = units.Where(u => u.Id.Value.StartsWith("PL-", StringComparison.Ordinal) && u.Base.StartsWith(name + " – ", StringComparison.Ordinal)).ToList();

            here.Count(u => u.Kind == UnitKind.PatrolCar).ShouldBe(2, name);
            here.Count(u => u.Kind == UnitKind.Motorcycle).ShouldBe(1, name);
            here.Count(u => u.Kind == UnitKind.FootPatrol).ShouldBe(name.Contains("sede secondaria", StringComparison.Ordinal) ? 0 : 1, name);
            here.ShouldAllBe(u => Math.Abs(u.Lon - lon) < 1e-6 && Math.Abs(u.Lat - lat) < 1e-6, name);
        }
    }

    [Fact]
    public void Load_WithAnUnknownKind_IsRefused()
    {
        const string json = """[{ "id": "PL-M1-H01", "kind": "Helicopter", "name": "Elicottero", "base": "x", "lon": 9.19, "lat": 45.46, "municipio": 1 }]""";

        Should.Throw<JsonException>(() => UnitRoster.Load(json));
    }

    [Fact]
    public void Load_WithADuplicateCallSign_IsRefused()
    {
        const string unit = """{ "id": "PL-M1-A01", "kind": "PatrolCar", "name": "Auto 1", "base": "x", "lon": 9.19, "lat": 45.46, "municipio": 1 }""";

        Should.Throw<FormatException>(() => UnitRoster.Load($"[{unit},{unit}]"));
    }
}
