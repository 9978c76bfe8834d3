using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.Simulator;
using ControlRoom.Simulator.Scenario;
using ControlRoom.Simulator.Sinks;
using NetTopologySuite.Geometries;

namespace ControlRoom.Simulator.Tests;

public class MilanDayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<SimulatedSensor> Catalogue() =>
        SimulatedSensor.LoadCatalogue(File.ReadAllText(Path.Combine(SeedDataFolder.Resolve(null), "simulator", "sensors.json")));

    /// <summary>Plays a whole day, one reading per sensor every simulated five minutes.</summary>
    private static List<EventEnvelope> PlayDay(IReadOnlyList<SimulatedSensor> sensors, double triggerProbability = 0)
    {
        var day = new MilanDay(sensors, seed: 7, runId: "test");
        var events = new List<EventEnvelope>();
        for (var minute = 0; minute < 24 * 60; minute += 5)
            events.AddRange(day.Step(minute / 60.0, sensors.Count, triggerProbability, Now.AddMinutes(minute)));
        return events;
    }

    [Fact]
    public void Catalogue_HasEveryKindAtRealPositionsInAndAroundMilan()
    {
        var sensors = Catalogue();

        sensors.Select(s => s.Kind).Distinct().Order().ShouldBe(["air-quality", "alarm", "camera", "crowd", "river-level", "traffic"]);
        sensors.ShouldAllBe(s => s.Lon > 9.0 && s.Lon < 9.3 && s.Lat > 45.38 && s.Lat < 45.56);
        sensors.Select(s => s.Id).Distinct().Count().ShouldBe(sensors.Count);
        sensors.Where(s => s.Kind == "river-level").Select(s => s.River).Order().ShouldBe(["Lambro", "Seveso"]);
    }

    [Fact]
    public void Seveso_RisesThroughEveryThresholdInOrder_ThenFallsBack()
    {
        var seveso = Catalogue().Single(s => s.River == "Seveso");

        var alerts = PlayDay([seveso]).Where(e => e.Type == EventTypes.SensorAlertRaised).ToList();

        alerts.Select(a => a.Severity).ShouldBe([Severity.Moderate, Severity.Severe, Severity.Extreme, Severity.Info, Severity.Info, Severity.Info]);
        alerts[1].Title!.ShouldContain("preallarme (108 cm)");
        alerts.ShouldAllBe(a => a.Subject == seveso.Id);
    }

    [Fact]
    public void Day_ProducesObservationsForEverySensorAndAlertsOfEveryKind()
    {
        var sensors = Catalogue();

        var events = PlayDay(sensors, triggerProbability: 0.5);

        var observed = events.Where(e => e.Type == EventTypes.SensorObservationRecorded).Select(e => e.Subject).ToHashSet();
        observed.ShouldBe(sensors.Where(s => s.Kind is not ("alarm" or "camera")).Select(s => s.Id).ToHashSet(), ignoreOrder: true);
        var alertKinds = events.Where(e => e.Type == EventTypes.SensorAlertRaised).Select(e => e.TryGetString("kind")).ToHashSet();
        alertKinds.ShouldBe(["river-level", "air-quality", "traffic", "crowd", "alarm", "camera"], ignoreOrder: true);
    }

    [Fact]
    public void Events_AreValidCloudEvents_WithUniqueIdsAndPointLocations()
    {
        var events = PlayDay(Catalogue(), triggerProbability: 0.3);

        var json = CloudEventBatch.ToJson(events);
        using var document = JsonDocument.Parse(json);
        var errors = new List<string>();
        foreach (var element in document.RootElement.EnumerateArray())
            CloudEventJson.TryParse(element, Now, errors).ShouldNotBeNull(string.Join("; ", errors));
        events.Select(e => e.Id).Distinct().Count().ShouldBe(events.Count);
        events.ShouldAllBe(e => e.Location is Point);
    }
}
