using ControlRoom.Tests;
using ControlRoom.Web.Features.Incidents;

namespace ControlRoom.Web.Tests.Incidents;

public class StreetGazetteerTests
{
    private static readonly Lazy<StreetGazetteer> Gazetteer = new(() =>
        new StreetGazetteer(File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "seed-data", "geo", "streets-gazetteer.json"))));

    [Fact]
    public void Search_FindsAStreetByAnyWords_IgnoringCaseAndOrder()
    {
        var found = Gazetteer.Value.Search("buenos aires");

        found.ShouldContain(s => s.Name == "Corso Buenos Aires");
        Gazetteer.Value.Search("AIRES buenos").ShouldContain(s => s.Name == "Corso Buenos Aires");
    }

    [Fact]
    public void Search_IgnoresAccents_AndReturnsPointsInMilan()
    {
        var found = Gazetteer.Value.Search("cita studi").Concat(Gazetteer.Value.Search("niccolo"));

        found.ShouldNotBeEmpty();
        found.ShouldAllBe(s => s.Lon > 9.0 && s.Lon < 9.3 && s.Lat > 45.38 && s.Lat < 45.56);
    }

    [Fact]
    public void Search_WithNothingToLookFor_FindsNothing()
    {
        Gazetteer.Value.Search("  ").ShouldBeEmpty();
        Gazetteer.Value.Search("zzzz qqqq").ShouldBeEmpty();
        Gazetteer.Value.Count.ShouldBeGreaterThan(4_000);
    }
}
