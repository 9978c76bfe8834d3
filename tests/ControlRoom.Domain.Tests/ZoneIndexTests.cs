using ControlRoom.Domain.Geography;
using ControlRoom.Tests;

namespace ControlRoom.Domain.Tests;

/// <summary>Against the real seed boundaries: the places are ones any Milan operator knows.</summary>
public class ZoneIndexTests
{
    private static readonly Lazy<ZoneIndex> Zones = new(() =>
    {
        var geo = Path.Combine(TestEnvironment.RepositoryRoot, "seed-data", "geo");
        return ZoneIndex.FromGeoJson(
            File.ReadAllText(Path.Combine(geo, "municipi.geojson")),
            File.ReadAllText(Path.Combine(geo, "nil.geojson")));
    });

    [Fact]
    public void SeedBoundaries_HoldNineMunicipiAndEightyEightNil()
    {
        Zones.Value.MunicipioCount.ShouldBe(9);
        Zones.Value.NilCount.ShouldBe(88);
    }

    [Theory]
    [InlineData(9.1900, 45.4642, 1, "DUOMO")]              // Piazza del Duomo
    [InlineData(9.1922, 45.5258, 9, "NIGUARDA - CA' GRANDA - PRATO CENTENARO - Q.RE FULVIO TESTI")] // ARPA gauge Milano Niguarda (Seveso)
    [InlineData(9.1240, 45.4781, 7, "STADIO - IPPODROMI")] // Stadio Meazza
    public void Resolve_KnownPlace_GivesItsMunicipioAndNil(double lon, double lat, int municipio, string nil)
    {
        var zone = Zones.Value.Resolve(Milan.Point(lon, lat));

        zone.Municipio.ShouldBe(municipio);
        zone.Nil.ShouldBe(nil);
    }

    [Fact]
    public void Resolve_PointOutsideTheCity_GivesNoZone()
    {
        // Unipol Forum, Assago: an Olympic venue outside the comune.
        Zones.Value.Resolve(Milan.Point(9.1455, 45.4017)).ShouldBe(ZoneInfo.Outside);
    }

    [Fact]
    public void Resolve_NoLocation_GivesNoZone() =>
        Zones.Value.Resolve(null).ShouldBe(ZoneInfo.Outside);
}
