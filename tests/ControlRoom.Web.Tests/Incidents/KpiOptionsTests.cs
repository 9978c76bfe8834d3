using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Incidents.Kpis;
using ControlRoom.Tests;
using ControlRoom.Web.Features.Incidents;
using Microsoft.Extensions.Configuration;

namespace ControlRoom.Web.Tests.Incidents;

/// <summary>KPI targets come from configuration; the shipped file states the defaults; a bad target stops the start with its reason.</summary>
public sealed class KpiOptionsTests
{
    private static KpiOptions Bind(IConfiguration configuration) =>
        configuration.GetSection(KpiOptions.Section).Get<KpiOptions>() ?? new KpiOptions();

    [Fact]
    public void ShippedAppSettings_StateTheDefaultTargets()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(TestEnvironment.RepositoryRoot, "src", "ControlRoom.Web", "appsettings.json"))
            .Build();

        Bind(configuration).Build().All.ShouldBe(KpiTargets.Default.All);
    }

    [Fact]
    public void ConfiguredTargets_ReplaceTheDefaults_AndNoSectionKeepsThem()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kpis:Targets:0:Measure"] = "TimeToDispatch",
            ["Kpis:Targets:0:Priority"] = "P1",
            ["Kpis:Targets:0:Threshold"] = "00:00:45",
            ["Kpis:Targets:0:RequiredShare"] = "0.95",
        }).Build();

        var target = Bind(configuration).Build().All.ShouldHaveSingleItem();
        target.ShouldBe(new KpiTarget(KpiMeasure.TimeToDispatch, Priority.P1, TimeSpan.FromSeconds(45), 0.95));
        Bind(new ConfigurationBuilder().Build()).Build().ShouldBeSameAs(KpiTargets.Default);
    }

    [Theory]
    [InlineData("00:00:00", "0.9", "threshold must be positive")]
    [InlineData("00:01:00", "1.5", "required share must be in (0, 1]")]
    public void InvalidTarget_FailsValidation_WithTheReason(string threshold, string share, string reason)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kpis:Targets:0:Measure"] = "TimeToDispatch",
            ["Kpis:Targets:0:Priority"] = "P1",
            ["Kpis:Targets:0:Threshold"] = threshold,
            ["Kpis:Targets:0:RequiredShare"] = share,
        }).Build();

        var result = new KpiOptions.Validator().Validate(null, Bind(configuration));

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("Kpis:Targets");
        result.FailureMessage.ShouldContain(reason);
    }
}
