using ControlRoom.Domain.Systems;

namespace ControlRoom.Domain.Tests.Systems;

/// <summary>Root cause and impact on the seed catalogue's dependency graph.</summary>
public sealed class ImpactAssessmentTests
{
    private static SystemCatalogue Catalogue => SystemCatalogueTests.Seed;

    private static ImpactAssessment Assess(params (string Id, SystemStatus Status)[] statuses) =>
        Catalogue.Assess(statuses.ToDictionary(s => s.Id, s => s.Status));

    [Fact]
    public void EverythingUp_HasNoRootCause() =>
        Assess(("side", SystemStatus.Operational), ("wso2-interop", SystemStatus.Operational)).RootCauses.ShouldBeEmpty();

    [Fact]
    public void AChainOfFailures_HasOneRootCause_TheDeepest_AndTheRestAreImpacted()
    {
        var assessment = Assess(("azure-italy-north", SystemStatus.MajorOutage), ("wso2-interop", SystemStatus.MajorOutage), ("pdnd-eservices", SystemStatus.PartialOutage));

        var root = assessment.RootCauses.ShouldHaveSingleItem();
        root.SystemId.ShouldBe("azure-italy-north");
        root.Planned.ShouldBeFalse();
        root.Impacted.ShouldContain("wso2-interop");
        root.Impacted.ShouldContain("pdnd-eservices");
        root.Impacted.ShouldContain("side"); // up by its own probe, but it needs PDND
        assessment.CausesOf("pdnd-eservices").ShouldBe(["azure-italy-north"]);
        assessment.IsImpacted("radio").ShouldBeFalse();
    }

    [Fact]
    public void ADependantDown_WhileItsDependencyIsUp_IsItsOwnRootCause()
    {
        var root = Assess(("pdnd-eservices", SystemStatus.MajorOutage), ("wso2-interop", SystemStatus.Operational)).RootCauses.ShouldHaveSingleItem();

        root.SystemId.ShouldBe("pdnd-eservices");
        root.Impacted.ShouldBe(["side", "fascicolo-cittadino", "sue", "suap", "suev"], ignoreOrder: true);
    }

    [Fact]
    public void IndependentFailures_AreSeparateRootCauses_MostCriticalFirst()
    {
        var roots = Assess(("open-data", SystemStatus.MajorOutage), ("sctt", SystemStatus.PartialOutage), ("anpr", SystemStatus.MajorOutage)).RootCauses;

        roots.Select(r => r.SystemId).ShouldBe(["anpr", "sctt", "open-data"]); // critical (by name), then low
    }

    [Fact]
    public void DegradedPerformance_IsNotAnOutage_ForTheSystemsDownstream() =>
        Assess(("wso2-interop", SystemStatus.DegradedPerformance)).RootCauses.ShouldBeEmpty();

    [Fact]
    public void Maintenance_ImpactsTheDependants_AsPlannedWork()
    {
        var root = Assess(("datacenter-vico", SystemStatus.UnderMaintenance), ("video-surveillance", SystemStatus.MajorOutage)).RootCauses.ShouldHaveSingleItem();

        (root.SystemId, root.Planned).ShouldBe(("datacenter-vico", true));
        root.Impacted.ShouldBe(["video-surveillance", "prosa"], ignoreOrder: true);
    }

    [Fact]
    public void TheImpactOnTheGround_IsTheFunctionsAndAreasOfTheRootAndEverythingImpacted()
    {
        var root = Assess(("campus-network", SystemStatus.MajorOutage)).RootCauses.ShouldHaveSingleItem();

        root.Areas.ShouldContain(new ImpactArea("layer", "cameras"));
        root.Areas.ShouldContain(new ImpactArea("layer", "junctions"));
        root.Areas.ShouldContain(new ImpactArea("layer", "citizen-reports")); // the 020202 CRM needs the MIX link, which needs the campus
        root.Functions.ShouldContain("semafori e incroci");
        root.Functions.ShouldContain("chiamate al 020202");
        root.Areas.Count(a => a.Kind == "city").ShouldBe(1); // each area once
    }
}
