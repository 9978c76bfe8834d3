using System.Globalization;
using Bunit;
using ControlRoom.Domain.Geography;
using ControlRoom.Tests;
using ControlRoom.Web.Features.Operations;
using ControlRoom.Web.Situation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace ControlRoom.Web.Tests;

/// <summary>The page drains the situation store in batches: fifty events, one render, not fifty.</summary>
public class OperationsPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ManyEventsWithinOneBatchWindow_AreRenderedOnce()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("it-IT");
        await using var ctx = new BunitContext();
        var clock = new FakeTimeProvider(Now);
        var geo = Path.Combine(TestEnvironment.RepositoryRoot, "seed-data", "geo");
        var zones = ZoneIndex.FromGeoJson(File.ReadAllText(Path.Combine(geo, "municipi.geojson")), File.ReadAllText(Path.Combine(geo, "nil.geojson")));
        var options = Options.Create(new SituationOptions { RenderBatchWindow = TimeSpan.FromMilliseconds(100) });
        var store = new SituationStore(zones, options, clock);
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddSingleton<TimeProvider>(clock);
        ctx.Services.AddSingleton(store);
        ctx.Services.AddSingleton(new ControlRoom.Web.Features.Systems.SystemsBoard(ControlRoom.Domain.Systems.SystemCatalogue.Seed(), clock));
        ctx.Services.AddSingleton(options);
        ctx.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        ctx.Services.AddRealIncidentServices(Path.Combine(Path.GetTempPath(), $"controlroom-{Guid.NewGuid():N}.db"), clock, zones);
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.AddAuthorization().SetAuthorized("op.rossi").SetRoles("pl-operator");
        ctx.JSInterop.SetupModule("./lib/map/controlroom-map.js");
        ctx.JSInterop.SetupModule("./js/shortcuts.js");

        var page = ctx.Render<OperationsPage>();
        page.WaitForAssertion(() => page.Find(".cr-operations").GetAttribute("data-interactive").ShouldBe("true"));

        var forOne = await RendersForAsync(page, clock, () => store.Apply(Alerts.Batch(Alerts.Wire(1, "single"))), "1 allarme");
        var mapCallsBefore = (await MapUpdatesAsync(ctx, page, atLeast: 1)).Count;
        var forFifty = await RendersForAsync(page, clock, () =>
        {
            for (var i = 2; i <= 51; i++)
                store.Apply(Alerts.Batch(Alerts.Wire(i, $"a{i}")));
        }, "51 allarmi");

        // Fifty events within one window cost no more than one event does: one render pass, one map update.
        forFifty.ShouldBeLessThanOrEqualTo(forOne);
        var updates = (await MapUpdatesAsync(ctx, page, atLeast: mapCallsBefore + 1)).Skip(mapCallsBefore).ToList();
        updates.Count.ShouldBe(1);
        ((System.Collections.ICollection)updates[0].Arguments[0]!).Count.ShouldBe(50);
    }

    /// <summary>
    /// The map updates so far, read on the renderer's dispatcher (the page adds to the list from there),
    /// once at least <paramref name="atLeast"/> arrived: the map follows the feed's render.
    /// </summary>
    private static async Task<List<JSRuntimeInvocation>> MapUpdatesAsync(BunitContext ctx, IRenderedComponent<OperationsPage> page, int atLeast)
    {
        List<JSRuntimeInvocation> updates = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            updates = await page.InvokeAsync(() => ctx.JSInterop.Invocations.Where(i => i.Identifier == "upsertAlerts").ToList());
            if (updates.Count >= atLeast)
                break;
            await Task.Delay(20, Xunit.TestContext.Current.CancellationToken);
        }
        return updates;
    }

    /// <summary>Applies events, lets the page's batch window elapse on the fake clock, and counts the renders it took.</summary>
    private static async Task<int> RendersForAsync(IRenderedComponent<OperationsPage> page, FakeTimeProvider clock, Action apply, string expectedCount)
    {
        var before = page.RenderCount;
        apply();
        for (var step = 0; step < 20 && page.Find(".cr-feed-count").TextContent != expectedCount; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(20, Xunit.TestContext.Current.CancellationToken);
        }
        page.Find(".cr-feed-count").TextContent.ShouldBe(expectedCount);
        return page.RenderCount - before;
    }
}
