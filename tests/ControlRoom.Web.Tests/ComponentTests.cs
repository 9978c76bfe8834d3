using System.Globalization;
using Bunit;
using ControlRoom.Domain.Events;
using ControlRoom.Web.Features.Operations;
using ControlRoom.Web.Situation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace ControlRoom.Web.Tests;

public class ComponentTests
{
    // 22 Nov 2026, 13:00 UTC = 14:00 in Milan (CET).
    internal static readonly DateTimeOffset Now = new(2026, 11, 22, 13, 0, 0, TimeSpan.Zero);

    /// <summary>A bUnit context in <paramref name="culture"/> with MudBlazor and a clock stopped at <see cref="Now"/>.</summary>
    internal static BunitContext Context(string culture = "it-IT")
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        return ctx;
    }

    [Fact]
    public async Task AlertFeed_ShowsAlertsNewestFirst_WithRomeTimeSeverityAndPlace()
    {
        await using var ctx = Context();
        var alerts = new List<AlertView>
        {
            Alerts.View("newest", Now.AddMinutes(-1), Severity.Extreme, 9, "NIGUARDA - CA' GRANDA"),
            Alerts.View("older", Now.AddMinutes(-30), Severity.Minor),
        };

        var feed = ctx.Render<AlertFeed>(p => p.Add(c => c.Alerts, alerts));

        var items = feed.FindAll("li.cr-alert");
        items.Count.ShouldBe(2);
        items[0].TextContent.ShouldContain("Allarme newest");
        items[0].TextContent.ShouldContain("Estremo");
        items[0].TextContent.ShouldContain("13:59:00"); // Europe/Rome, not UTC (12:59)
        items[0].TextContent.ShouldContain("Municipio 9 · NIL NIGUARDA - CA' GRANDA");
        items[0].GetAttribute("data-severity").ShouldBe("extreme");
        items[1].TextContent.ShouldContain("Lieve");
        items[1].TextContent.ShouldContain("13:30:00");
        feed.Find(".cr-feed-count").TextContent.ShouldBe("2 allarmi");
    }

    [Fact]
    public async Task AlertFeed_AlertFromAnotherDay_ShowsItsDate()
    {
        await using var ctx = Context();

        var feed = ctx.Render<AlertFeed>(p => p.Add(c => c.Alerts, [Alerts.View("old", Now.AddDays(-1))]));

        feed.Find("time").TextContent.ShouldBe("21/11 14:00:00");
    }

    [Fact]
    public async Task AlertFeed_Empty_SaysSo()
    {
        await using var ctx = Context();

        var feed = ctx.Render<AlertFeed>(p => p.Add(c => c.Alerts, []));

        feed.Find(".cr-feed-empty").TextContent.ShouldBe("Nessun allarme ricevuto");
        feed.FindAll("li").ShouldBeEmpty();
    }

    [Fact]
    public async Task AlertFeed_InEnglish_UsesEnglishLabels()
    {
        await using var ctx = Context("en-GB");

        var feed = ctx.Render<AlertFeed>(p => p.Add(c => c.Alerts, [Alerts.View("a", Now, Severity.Severe)]));

        feed.Find(".cr-feed-title").TextContent.ShouldBe("Incoming alerts");
        feed.Find(".cr-severity").TextContent.ShouldBe("Severe");
    }

    [Theory]
    [InlineData(ConnectionStatus.Connecting, "Connessione…", "connecting")]
    [InlineData(ConnectionStatus.Live, "In diretta", "live")]
    [InlineData(ConnectionStatus.Reconnecting, "Riconnessione…", "reconnecting")]
    [InlineData(ConnectionStatus.StreamDown, "Flusso non disponibile", "streamdown")]
    public async Task ConnectionIndicator_SaysWhatTheLinkKnows(ConnectionStatus status, string label, string marker)
    {
        await using var ctx = Context();

        var indicator = ctx.Render<ConnectionIndicator>(p => p.Add(c => c.Status, status));

        var region = indicator.Find("[role=status]");
        region.GetAttribute("data-status").ShouldBe(marker);
        region.TextContent.Trim().ShouldBe(label);
    }

    [Fact]
    public async Task ConnectionIndicator_ChangesWhenTheStatusChanges()
    {
        await using var ctx = Context();
        var indicator = ctx.Render<ConnectionIndicator>(p => p.Add(c => c.Status, ConnectionStatus.Live));

        indicator.Render(p => p.Add(c => c.Status, ConnectionStatus.Reconnecting));

        indicator.Find("[role=status]").TextContent.Trim().ShouldBe("Riconnessione…");
    }
}
