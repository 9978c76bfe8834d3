using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ControlRoom.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlRoom.EndToEnd.Tests;

public sealed class OperationsPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Alert(string id, string title, double lon, double lat, string severity = "severe") =>
        "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/e2e\",\"type\":\"it.milano.nco.sensor.alert.raised\",\"severity\":\"" + severity
        + "\",\"data\":{\"title\":\"" + title + "\",\"location\":{\"type\":\"Point\",\"coordinates\":["
        + lon.ToString(CultureInfo.InvariantCulture) + "," + lat.ToString(CultureInfo.InvariantCulture) + "]}}}";

    private async Task PostAsync(string json)
    {
        using var response = await fixture.App.Http.PostAsync("api/events", new StringContent(json, Encoding.UTF8, "application/cloudevents+json"), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
    }

    private static Task<string[]> RenderedOnMapAsync(IPage page) =>
        page.EvalOnSelectorAsync<string[]>(".cr-map", "el => el.controlRoomMap.renderedAlertIds()");

    [Fact]
    public async Task OperationsPage_BecomesInteractive_WithMilanLiveStatusAndAttribution()
    {
        var page = await fixture.OpenOperationsAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("In diretta");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Allarmi in arrivo" })).ToBeVisibleAsync();
        await Expect(page.Locator(".maplibregl-ctrl-attrib")).ToContainTextAsync("Comune di Milano");
        await Expect(page.Locator(".maplibregl-ctrl-attrib")).ToBeVisibleAsync();
        (await page.EvaluateAsync<bool>("() => !!document.querySelector('.cr-map canvas')")).ShouldBeTrue();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task UnderItsContentSecurityPolicy_TheMapFeedAndAuditPageWork_WithoutOneViolation()
    {
        using var response = await fixture.App.Http.GetAsync("", Ct);
        var policy = response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem();
        policy.ShouldContain("script-src 'self';");
        policy.ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);

        var context = await fixture.Browser.NewContextAsync(new() { Locale = "it-IT" });
        // Every violation fires this event, whether or not the browser also logs it.
        await context.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
        var page = await context.NewPageAsync();
        var logged = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) logged.Add(m.Text); };
        await BrowserFixture.SignInAsync(page, fixture.App.BaseAddress, fixture.App.Demo("supervisore")); // the sign-in page too
        await page.Locator(".cr-map[data-map-ready='true']").WaitForAsync(new() { Timeout = 30_000 });
        var id = "csp-" + Guid.NewGuid().ToString("N")[..8];
        await PostAsync(Alert(id, "Allarme " + id, 9.19, 45.46));
        await Expect(page.Locator("li.cr-alert", new() { HasText = id })).ToBeVisibleAsync();
        (await page.EvaluateAsync<string[]>("() => window.__csp")).ShouldBeEmpty();
        await page.GotoAsync(new Uri(fixture.App.BaseAddress, "audit").ToString());
        await page.Locator(".cr-audit[data-interactive='true']").WaitForAsync();

        (await page.EvaluateAsync<string[]>("() => window.__csp")).ShouldBeEmpty();
        logged.ShouldBeEmpty();
        await context.CloseAsync();
    }

    [Fact]
    public async Task PostedAlert_ShowsInTheFeedAndOnTheMap_OfTwoOperators_WithinTwoSeconds()
    {
        var first = await fixture.OpenOperationsAsync();
        var second = await fixture.OpenOperationsAsync(1366, 768);
        var id = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        var title = "Allagamento sottopasso " + id;
        var key = "/e2e\n" + id;

        var clock = Stopwatch.StartNew();
        // Piazza Gae Aulenti: Municipio 9, NIL Porta Garibaldi - Porta Nuova.
        await PostAsync(Alert(id, title, 9.1896, 45.4838));

        foreach (var page in new[] { first, second })
        {
            var item = page.Locator("li.cr-alert", new() { HasText = title });
            await Expect(item).ToBeVisibleAsync(new() { Timeout = 2_000 });
            await Expect(item).ToContainTextAsync("Municipio 9");
            await Expect(item).ToContainTextAsync("GRAVE", new() { IgnoreCase = true });
            while (!(await RenderedOnMapAsync(page)).Contains(key))
            {
                clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2), "the alert is not on the map");
                await Task.Delay(25, Ct);
            }
        }
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        await first.Context.CloseAsync();
        await second.Context.CloseAsync();
    }

    [Fact]
    public async Task Feed_ShowsNewestFirst()
    {
        var page = await fixture.OpenOperationsAsync();
        var run = Guid.NewGuid().ToString("N")[..6];

        await PostAsync(Alert($"old-{run}", $"Primo {run}", 9.20, 45.47, "minor"));
        await PostAsync(Alert($"new-{run}", $"Secondo {run}", 9.21, 45.48, "extreme"));

        await Expect(page.Locator("li.cr-alert").First).ToContainTextAsync($"Secondo {run}");
        await Expect(page.Locator("li.cr-alert").Nth(1)).ToContainTextAsync($"Primo {run}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LanguageSwitch_ToEnglish_RelabelsThePage()
    {
        var page = await fixture.OpenOperationsAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "EN", Exact = true }).ClickAsync();
        await page.Locator(".cr-operations[data-interactive='true']").WaitForAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Incoming alerts" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Live");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Screenshots_AtWallAndLaptopSize_ShowMapAndFeed()
    {
        await PostAsync(Alert("shot-" + Guid.NewGuid().ToString("N")[..6], "Esondazione Seveso a Niguarda", 9.1922, 45.5258, "extreme"));
        var folder = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);

        foreach (var (width, height, name) in new[] { (1920, 1080, "operations-1920x1080"), (1366, 768, "operations-1366x768") })
        {
            var page = await fixture.OpenOperationsAsync(width, height);
            await Expect(page.Locator("li.cr-alert").First).ToBeVisibleAsync();
            await page.WaitForTimeoutAsync(500); // let the map finish drawing
            var file = Path.Combine(folder, name + ".png");
            await page.ScreenshotAsync(new() { Path = file });
            new FileInfo(file).Length.ShouldBeGreaterThan(10_000);
            await page.Context.CloseAsync();
        }
    }
}
