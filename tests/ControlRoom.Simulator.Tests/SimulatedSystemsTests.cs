using ControlRoom.Domain.Events;
using ControlRoom.Domain.Systems;
using ControlRoom.Simulator.Scenario;

namespace ControlRoom.Simulator.Tests;

public sealed class SimulatedSystemsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly SystemCatalogue Catalogue = SystemCatalogue.Seed();

    [Fact]
    public void TheFirstTick_ReportsEverySystem_AsSimulatedHealth_ThenEachAboutOncePerInterval()
    {
        var systems = new SimulatedSystems(Catalogue, seed: 7, runId: "r1", everySeconds: 10);

        var first = systems.Step(0.25, Now);
        var next = Enumerable.Range(1, 40).SelectMany(i => systems.Step(0.25, Now.AddSeconds(i * 0.25))).ToList(); // 10 s more

        first.Select(e => e.Subject).ShouldBe(Catalogue.Systems.Select(s => s.Id), ignoreOrder: true);
        first.ShouldAllBe(e => e.Type == EventTypes.SystemHealthReported && e.Source == SimulatedSystems.Source && e.TryGetString("input") == "simulator");
        next.Count.ShouldBeInRange(Catalogue.Systems.Count - 1, Catalogue.Systems.Count + 1);
        next.Select(e => e.Source + e.Id).Distinct().Count().ShouldBe(next.Count);
    }

    [Fact]
    public void TheScript_TakesARootDown_WithItsDirectDependantsFailingInPart_ThenMaintenance()
    {
        var systems = new SimulatedSystems(Catalogue, seed: 7, runId: "r1", everySeconds: 10);

        systems.StatusAt("wso2-interop", 30).ShouldBe(SystemStatus.Operational);
        systems.StatusAt("wso2-interop", 90).ShouldBe(SystemStatus.MajorOutage);
        systems.StatusAt("pdnd-eservices", 90).ShouldBe(SystemStatus.PartialOutage);
        systems.StatusAt("pagopa", 90).ShouldBe(SystemStatus.Operational);
        systems.StatusAt("geoportale", 300).ShouldBe(SystemStatus.UnderMaintenance);
        systems.StatusAt("video-surveillance", 480 + 90).ShouldBe(SystemStatus.MajorOutage); // the next cycle, the next root
        Catalogue.Assess(Catalogue.Systems.ToDictionary(s => s.Id, s => systems.StatusAt(s.Id, 90))).RootCauses
            .Select(r => r.SystemId).ShouldBe(["wso2-interop"]); // the board names one cause, not every red tile
    }
}
