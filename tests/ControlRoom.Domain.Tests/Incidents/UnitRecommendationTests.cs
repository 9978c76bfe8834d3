using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Units;

namespace ControlRoom.Domain.Tests.Incidents;

public class UnitRecommendationTests
{
    private static Unit U(string id, double lon, double lat, UnitStatus status = UnitStatus.Available) =>
        new(new UnitId(id), UnitKind.PatrolCar, "base", Milan.Point(lon, lat), status);

    [Fact]
    public void Distance_DuomoToCentrale_IsAboutTwoAndAHalfKilometres()
    {
        // Piazza del Duomo to Milano Centrale: about 2.5 km as the crow flies.
        Distance.Metres(Milan.Point(9.1900, 45.4642), Milan.Point(9.2048, 45.4852)).ShouldBeInRange(2_500, 2_700);
    }

    [Fact]
    public void Closest_RanksAvailableUnitsByStraightLineDistance()
    {
        var target = Milan.Point(9.19, 45.4642);
        var units = new[]
        {
            U("far", 9.25, 45.50),
            U("near-but-busy", 9.1901, 45.4643, UnitStatus.Busy),
            U("near", 9.192, 45.465),
            U("middle", 9.21, 45.47),
            U("off", 9.19, 45.4642, UnitStatus.OffDuty),
        };

        var ranked = UnitRecommendation.Closest(target, units, take: 2);

        ranked.Select(r => r.Unit.Id.Value).ShouldBe(["near", "middle"]);
        ranked[0].StraightLineMetres.ShouldBeLessThan(ranked[1].StraightLineMetres);
    }

    [Fact]
    public void Closest_WithNoUnitAvailable_RecommendsNone() =>
        UnitRecommendation.Closest(Milan.Point(9.19, 45.46), [U("a", 9.19, 45.46, UnitStatus.EnRoute)]).ShouldBeEmpty();
}
