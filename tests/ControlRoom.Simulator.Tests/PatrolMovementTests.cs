using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Units;
using ControlRoom.Simulator.Scenario;
using ControlRoom.Simulator.Sinks;
using NetTopologySuite.Geometries;

namespace ControlRoom.Simulator.Tests;

public class PatrolMovementTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 6, 18, 0, 0, TimeSpan.Zero);

    private static double Metres(double lon1, double lat1, double lon2, double lat2)
    {
        var k = Math.Cos((lat1 + lat2) / 2 * Math.PI / 180);
        return Math.Sqrt(Math.Pow((lon1 - lon2) * 111_320 * k, 2) + Math.Pow((lat1 - lat2) * 111_132, 2));
    }

    private static double MaxMeasuredKmh(UnitKind kind) => kind switch
    {
        UnitKind.PatrolCar or UnitKind.Motorcycle => 70,
        _ => 7,
    };

    [Fact]
    public void Day_KeepsEveryUnitWithinItsRadius_AtPlausibleSpeeds()
    {
        var roster = UnitRosterTests.Roster();
        var movement = new PatrolMovement(roster, seed: 11, runId: "test");
        var travelled = new double[roster.Count];
        var previous = movement.Positions;
        const double step = 10;

        for (var t = 0.0; t < 86_400; t += step)
        {
            var now = movement.Step(step);
            for (var i = 0; i < roster.Count; i++)
            {
                var (unit, p, q) = (roster[i], now[i], previous[i]);
                var fromBase = Metres(unit.Lon, unit.Lat, p.Lon, p.Lat);
                fromBase.ShouldBeLessThanOrEqualTo(MovementProfile.For(unit.Kind).RadiusMetres + 1, unit.Id.Value);
                var moved = Metres(q.Lon, q.Lat, p.Lon, p.Lat);
                (moved / step * 3.6).ShouldBeLessThan(MaxMeasuredKmh(unit.Kind), unit.Id.Value);
                p.SpeedKmh.ShouldBeLessThan(MaxMeasuredKmh(unit.Kind), unit.Id.Value);
                travelled[i] += moved;
            }
            previous = now;
        }

        for (var i = 0; i < roster.Count; i++)
        {
            var km = travelled[i] / 1000;
            switch (roster[i].Kind)
            {
                case UnitKind.PatrolCar or UnitKind.Motorcycle:
                    km.ShouldBeGreaterThan(100, roster[i].Id.Value); // on the move for hours, not parked all day
                    break;
                case UnitKind.FootPatrol:
                    km.ShouldBeInRange(10, 100, roster[i].Id.Value);
                    break;
                case UnitKind.VolunteerTeam:
                    km.ShouldBeLessThan(10, roster[i].Id.Value);
                    break;
                case UnitKind.Liaison:
                    km.ShouldBe(0, roster[i].Id.Value);
                    break;
            }
        }
    }

    [Fact]
    public void LongSteps_StillStayWithinTheRadius()
    {
        var roster = UnitRosterTests.Roster();
        var movement = new PatrolMovement(roster, seed: 3, runId: "test");

        for (var i = 0; i < 300; i++)
        {
            var positions = movement.Step(300); // 5 s of real time at x60
            for (var u = 0; u < roster.Count; u++)
                Metres(roster[u].Lon, roster[u].Lat, positions[u].Lon, positions[u].Lat)
                    .ShouldBeLessThanOrEqualTo(MovementProfile.For(roster[u].Kind).RadiusMetres + 1);
        }
    }

    [Fact]
    public void Movement_IsDeterministicForASeed_AndDiffersAcrossSeeds()
    {
        var roster = UnitRosterTests.Roster();
        var a = new PatrolMovement(roster, seed: 5, runId: "a");
        var b = new PatrolMovement(roster.Reverse().ToList(), seed: 5, runId: "b");
        var c = new PatrolMovement(roster, seed: 6, runId: "c");

        for (var i = 0; i < 200; i++)
        {
            a.Step(30);
            b.Step(30);
            c.Step(30);
        }

        a.Positions.ShouldBe(b.Positions.Reverse(), ignoreOrder: false);
        a.Positions.ShouldNotBe(c.Positions);
    }

    [Fact]
    public void Reports_AreValidCloudEventsAtTheEdge_WithThePositionAndMotion()
    {
        var roster = UnitRosterTests.Roster();
        var movement = new PatrolMovement(roster, seed: 1, runId: "test");
        var positions = movement.Step(3_600);

        var events = movement.Report(Enumerable.Range(0, roster.Count), Now);

        using var document = JsonDocument.Parse(CloudEventBatch.ToJson(events));
        var parsed = document.RootElement.EnumerateArray().Select(element =>
        {
            var errors = new List<string>();
            return CloudEventJson.TryParse(element, Now, errors, atEdge: true).ShouldNotBeNull(string.Join("; ", errors));
        }).ToList();
        parsed.Count.ShouldBe(roster.Count);
        parsed.Select(e => e.Id).Distinct().Count().ShouldBe(roster.Count);
        for (var i = 0; i < roster.Count; i++)
        {
            var e = parsed[i];
            e.Type.ShouldBe(EventTypes.UnitPositionReported);
            e.Source.ShouldBe("/simulator/units");
            e.Subject.ShouldBe(roster[i].Id.Value);
            e.Severity.ShouldBe(Severity.Info);
            e.Visibility.ShouldBe(Visibility.Operations);
            var point = e.Location.ShouldBeOfType<Point>();
            (point.X, point.Y, point.SRID).ShouldBe((positions[i].Lon, positions[i].Lat, 4326));
            e.TryGetString("unitId").ShouldBe(roster[i].Id.Value);
            e.TryGetString("kind").ShouldBe(roster[i].Kind.ToString());
            e.Data.GetProperty("speedKmh").GetDouble().ShouldBe(positions[i].SpeedKmh);
            e.Data.GetProperty("headingDeg").GetDouble().ShouldBeInRange(0, 359);
        }
    }
    [Fact]
    public void DispatchedUnit_DrivesToTheIncidentInRealTime_WaitsThere_AndGoesBackToItsBeatWhenReleased()
    {
        var roster = UnitRosterTests.Roster();
        var car = roster.First(u => u.Kind == UnitKind.PatrolCar);
        var liaison = roster.First(u => u.Kind == UnitKind.Liaison);
        var movement = new PatrolMovement(roster, seed: 3, runId: "test");
        var (lon, lat) = (car.Lon + 0.03, car.Lat + 0.02); // about 3.3 km away, beyond its 2 km beat
        UnitPosition Car() => movement.Positions.Single(p => p.Id == car.Id);
        var start = Car();

        movement.Dispatch(car.Id, lon, lat);
        movement.Dispatch(liaison.Id, lon, lat);
        movement.Step(simSecondsElapsed: 3_600, realSecondsElapsed: 60); // an hour of the time-lapsed day, a minute of the mission
        var after60s = Metres(Car().Lon, Car().Lat, lon, lat);

        after60s.ShouldBeLessThan(Metres(start.Lon, start.Lat, lon, lat) - 700); // ≈ 0.9 km in a minute at 60 km/h
        after60s.ShouldBeGreaterThan(1_500);
        for (var i = 0; i < 60; i++)
            movement.Step(10, 10);
        Metres(Car().Lon, Car().Lat, lon, lat).ShouldBeLessThanOrEqualTo(21); // on scene
        Car().SpeedKmh.ShouldBe(0);
        movement.Positions.Single(p => p.Id == liaison.Id).ShouldBe(new UnitPosition(liaison.Id, liaison.Kind, Math.Round(liaison.Lon, 6), Math.Round(liaison.Lat, 6), 0, movement.Positions.Single(p => p.Id == liaison.Id).HeadingDeg));

        movement.Release(car.Id);
        for (var i = 0; i < 60; i++)
            movement.Step(10, 10);
        Metres(Car().Lon, Car().Lat, car.Lon, car.Lat).ShouldBeLessThanOrEqualTo(2_000); // back on its beat
        for (var i = 0; i < 600; i++)
            movement.Step(10, 10);
        Metres(Car().Lon, Car().Lat, car.Lon, car.Lat).ShouldBeLessThanOrEqualTo(2_000.5); // and patrolling it again
    }
}
