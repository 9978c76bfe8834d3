using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Incidents.Kpis;
using ControlRoom.Tests;
using ControlRoom.Web.Features.Incidents;
using Microsoft.Extensions.Configuration;

namespace ControlRoom.Web.Tests.Incidents;

/// <summary>KPI targets come from configuration; the shipped file states the defaults; a bad target stops the start with its reason.</summary>
public sealed class KpiOptionsTests
{
    private static readonly string AppSettings = Path.Combine(TestEnvironment.RepositoryRoot, "src", "ControlRoom.Web", "appsettings.json");

    private static KpiOptions Bind(IConfiguration configuration) =>
        configuration.GetSection(KpiOptions.Section).Get<KpiOptions>() ?? new KpiOptions();

    [Fact]
    public void ShippedAppSettings_StateTheDefaultTargets()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(AppSettings).Build();

        Bind(configuration).Build().All.ShouldBe(KpiTargets.Default.All);
    }

    [Fact]
    public void ADeploymentOverride_ChangesAddsOrRemovesOneTarget_OverTheShippedFile()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(AppSettings)
            .AddInMemoryCollection(new Dictionary<string, string?> // as environment variables would: Kpis__Targets__P1-TimeToDispatch__Threshold
            {
                ["Kpis:Targets:P1-TimeToDispatch:Threshold"] = "00:00:45",
                ["Kpis:Targets:P3-TimeToDispatch:Threshold"] = "00:10:00",
                ["Kpis:Targets:P3-TimeToDispatch:RequiredShare"] = "0.8",
                ["Kpis:Targets:P1-TimeToArrive:Enabled"] = "false",
            }).Build();

        var targets = Bind(configuration).Build();

        targets.Find(KpiMeasure.TimeToDispatch, Priority.P1).ShouldBe(new KpiTarget(KpiMeasure.TimeToDispatch, Priority.P1, TimeSpan.FromSeconds(45), 0.9));
        targets.Find(KpiMeasure.TimeToDispatch, Priority.P3).ShouldBe(new KpiTarget(KpiMeasure.TimeToDispatch, Priority.P3, TimeSpan.FromMinutes(10), 0.8));
        targets.Find(KpiMeasure.TimeToArrive, Priority.P1).ShouldBeNull();
        targets.All.Count.ShouldBe(4);
        Bind(new ConfigurationBuilder().Build()).Build().ShouldBeSameAs(KpiTargets.Default);
    }

    [Theory]
    [InlineData("P1-TimeToDispatch", "00:00:00", "0.9", "threshold must be positive")]
    [InlineData("P1-TimeToDispatch", "00:01:00", "1.5", "required share must be in (0, 1]")]
    [InlineData("P9-TimeToDispatch", "00:01:00", "0.9", "not a target name like 'P1-TimeToDispatch'")]
    [InlineData("P1-TimeToLunch", "00:01:00", "0.9", "not a target name")]
    public void InvalidTarget_FailsValidation_WithTheReason(string name, string threshold, string share, string reason)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"Kpis:Targets:{name}:Threshold"] = threshold,
            [$"Kpis:Targets:{name}:RequiredShare"] = share,
        }).Build();

        var result = new KpiOptions.Validator().Validate(null, Bind(configuration));

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("Kpis:Targets");
        result.FailureMessage.ShouldContain(reason);
    }
}
