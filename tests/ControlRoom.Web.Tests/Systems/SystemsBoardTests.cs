using System.Globalization;
using Bunit;
using ControlRoom.Domain.Systems;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Web.Features.Systems;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ControlRoom.Web.Tests.Systems;

/// <summary>The web's systems board fed health events as the hub delivers them, and the pages that show it.</summary>
public sealed class SystemsBoardTests
{
    private static readonly DateTimeOffset Now = ComponentTests.Now;
    private int _position;

    private WireEvent Health(string system, string status, DateTimeOffset at, string source = "/probes", string input = "probe",
        double? latencyMs = null, string? fingerprint = null, string? silenced = null) =>
        HealthReports.Wire(++_position, system, status, at, source, input, latencyMs, fingerprint, silenced);

    private static SystemsBoard Board(FakeTimeProvider? clock = null) => new(SystemCatalogue.Seed(), clock ?? new FakeTimeProvider(Now));

    private static SystemState State(SystemsBoard board, string id) => board.Snapshot().Systems.Single(s => s.System.Id == id);

    [Fact]
    public void ASystemsStatus_IsTheWorstOfItsInputs_AndMaintenanceSilencesThem()
    {
        var board = Board();

        board.Apply(new EventBatch([
            Health("pagopa", "operational", Now.AddMinutes(-3)),
            Health("pagopa", "major-outage", Now.AddMinutes(-2), "/alertmanager", "alertmanager", fingerprint: "a1"),
        ]));
        State(board, "pagopa").Status.ShouldBe(SystemStatus.MajorOutage);

        board.Apply(new EventBatch([Health("pagopa", "operational", Now.AddMinutes(-1), "/alertmanager", "alertmanager", fingerprint: "a1")]));
        State(board, "pagopa").Status.ShouldBe(SystemStatus.Operational); // the alert resolved; the probe said operational all along

        board.Apply(new EventBatch([Health("pagopa", "under-maintenance", Now, silenced: "major-outage")]));
        State(board, "pagopa").Status.ShouldBe(SystemStatus.UnderMaintenance);
        board.Snapshot().Outages.ShouldBeEmpty(); // planned: no banner

        // The window ended: the probe's next word is an outage, and the alert silenced earlier no longer hides it.
        board.Apply(new EventBatch([Health("pagopa", "under-maintenance", Now.AddMinutes(1), "/alertmanager", "alertmanager", fingerprint: "a2")]));
        board.Apply(new EventBatch([Health("pagopa", "major-outage", Now.AddMinutes(2))]));
        State(board, "pagopa").Status.ShouldBe(SystemStatus.MajorOutage);
    }

    [Fact]
    public void ADownSystem_IsTheRootCause_AndWhatDependsOnItIsImpacted_NotAlarmed()
    {
        var board = Board();
        var changes = 0;
        board.Changed += () => changes++;

        board.Apply(new EventBatch([
            Health("wso2-interop", "major-outage", Now),
            Health("pdnd-eservices", "partial-outage", Now),
            Health("not-in-the-catalogue", "major-outage", Now),
            Health("pagopa", "no-such-status", Now),
        ]));

        var outage = board.Snapshot().Outages.ShouldHaveSingleItem();
        outage.SystemId.ShouldBe("wso2-interop");
        outage.Impacted.ShouldContain("pdnd-eservices");
        outage.Impacted.ShouldContain("edu-api-portal");
        State(board, "pdnd-eservices").ImpactedBy.ShouldBe(["wso2-interop"]);
        State(board, "wso2-interop").ImpactedBy.ShouldBeEmpty();
        State(board, "pagopa").Status.ShouldBeNull(); // a status this version does not know is not guessed at
        changes.ShouldBe(1); // one batch, one notice

        board.Apply(new EventBatch([Health("edu-api-portal", "not-a-status", Now)]));
        changes.ShouldBe(1);
    }

    [Fact]
    public void TheDetail_GivesUptimeOverTheWindows_AndTheLatencySamples()
    {
        var clock = new FakeTimeProvider(Now);
        var board = Board(clock);
        board.Apply(new EventBatch([
            Health("sctt", "operational", Now.AddHours(-24), latencyMs: 80),
            Health("sctt", "major-outage", Now.AddHours(-2)),
            Health("sctt", "operational", Now.AddHours(-1), latencyMs: 120),
        ]));

        var detail = board.Detail("sctt")!;

        var day = detail.Uptime[0];
        day.Window.ShouldBe(TimeSpan.FromHours(24));
        day.Availability.Percent!.Value.ShouldBe(100 * 23 / 24.0, 0.001);
        day.Availability.Meets(detail.State.System.Sla).ShouldBeFalse();
        detail.Latency.Select(s => s.Ms).ShouldBe([80, 120]);
        detail.Recent.Select(f => f.Status).ShouldBe([SystemStatus.Operational, SystemStatus.MajorOutage, SystemStatus.Operational]);
        board.Detail("no-such-system").ShouldBeNull();
    }

    [Fact]
    public async Task TheBoard_ShowsEachSystemByImpact_DownInRed_DependantsImpacted_AndTheBanner()
    {
        await using var ctx = ComponentTests.Context();
        var board = Board();
        ctx.Services.AddSingleton(board);
        var page = ctx.Render<SystemsPage>();
        page.FindAll("[data-system]").Count.ShouldBe(board.Catalogue.Systems.Count);
        page.FindAll("[data-status='unknown']").Count.ShouldBe(board.Catalogue.Systems.Count);
        page.FindAll("[data-testid='outage-banner']").ShouldBeEmpty();

        board.Apply(new EventBatch([Health("azure-italy-north", "major-outage", Now)]));

        page.WaitForAssertion(() => page.Find("[data-system='azure-italy-north']").GetAttribute("data-status").ShouldBe("major-outage"));
        page.Find("[data-system='wso2-interop']").GetAttribute("data-impacted").ShouldBe("true");
        var impacted = board.Catalogue.DependantsOf("azure-italy-north").Count;
        page.Find("[data-testid='systems-summary']").TextContent
            .ShouldBe($"0 operativi · 1 con problemi · {impacted} impattati · 0 in manutenzione · {board.Catalogue.Systems.Count - 1 - impacted} senza dati");
        page.Find("[data-system='wso2-interop']").TextContent.ShouldContain("Impattato da Azure Italy North");
        page.WaitForAssertion(() => page.FindAll("[data-testid='outage-banner']").ShouldNotBeEmpty()); // the banner renders on its own
        var banner = page.Find("[data-testid='outage-banner']");
        banner.GetAttribute("data-root").ShouldBe("azure-italy-north");
        banner.TextContent.ShouldContain("Fuori servizio: Azure Italy North");
        banner.TextContent.ShouldContain("tutta la città");
        page.FindAll("h2.cr-systems-group").Select(h => h.TextContent).ShouldBe(["Impatto critico", "Impatto alto", "Impatto medio", "Impatto basso"]);
    }

    [Fact]
    public async Task TheGraph_PutsEverySystemRightOfWhatItNeeds()
    {
        await using var ctx = ComponentTests.Context();
        var board = Board();
        ctx.Services.AddSingleton(board);
        board.Apply(new EventBatch([Health("wso2-interop", "major-outage", Now)]));

        var graph = ctx.Render<DependencyGraph>(p => p.Add(g => g.Snapshot, board.Snapshot()));

        double X(string id) => double.Parse(graph.Find($"a[data-system='{id}'] rect").GetAttribute("x")!, CultureInfo.InvariantCulture);
        foreach (var system in board.Catalogue.Systems)
        {
            foreach (var dependency in system.DependsOn)
                X(system.Id).ShouldBeGreaterThan(X(dependency), $"{system.Id} needs {dependency}");
        }
        graph.Find("a[data-system='pdnd-eservices']").GetAttribute("data-impacted").ShouldBe("true");
        graph.FindAll("path.cr-edge-hot").Count.ShouldBe(board.Catalogue.Systems.Count(s => s.DependsOn.Contains("wso2-interop")));
    }

    [Fact]
    public async Task TheDetailPage_ShowsUptimeAgainstTheSla_LatencyAndFindings_InRomeTime()
    {
        await using var ctx = ComponentTests.Context();
        var board = Board(new FakeTimeProvider(Now));
        ctx.Services.AddSingleton(board);
        board.Apply(new EventBatch([
            Health("crm-020202", "operational", Now.AddHours(-3), latencyMs: 90),
            Health("crm-020202", "degraded-performance", Now.AddMinutes(-10), latencyMs: 2400),
            Health("crm-020202", "under-maintenance", Now.AddMinutes(-5), silenced: "major-outage"),
        ]));

        var page = ctx.Render<SystemDetailPage>(p => p.Add(d => d.Id, "crm-020202"));

        page.Find("[data-testid='system-status']").GetAttribute("data-status").ShouldBe("under-maintenance");
        page.FindAll("[data-testid='uptime'] .cr-uptime-row").Count.ShouldBe(4);
        page.Find("[data-testid='uptime']").TextContent.ShouldContain("100%");
        page.Find("[data-testid='uptime']").TextContent.ShouldContain("latenza media 1245 ms · max 2400 ms");
        page.Find("[data-testid='latency-chart'] polyline").GetAttribute("points")!.Split(' ').Length.ShouldBe(2);
        var findings = page.FindAll("[data-testid='findings'] li");
        findings[0].TextContent.ShouldContain("13:55:00"); // 12:55 UTC in Milan
        findings[0].TextContent.ShouldContain("silenziato (era: Fuori servizio)");
        page.Find("h1").TextContent.ShouldBe(board.Catalogue["crm-020202"].Name);

        var missing = ctx.Render<SystemDetailPage>(p => p.Add(d => d.Id, "nessuno"));
        missing.Markup.ShouldContain("Sistema non trovato: nessuno");
    }
}
