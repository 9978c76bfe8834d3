using System.Net;
using System.Text;
using ControlRoom.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// The production topology as separate processes on loopback (Redis, gateway, web), as
/// docker-compose.yml runs them: the operator's connection indicator must tell the truth when Redis or
/// the gateway goes away and comes back, and nothing posted in between may be missed.
/// </summary>
public sealed class DistributedTopologyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task PostAsync(AppProcess gateway, string id)
    {
        var json = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/e2e\",\"type\":\"it.milano.nco.sensor.alert.raised\",\"severity\":\"moderate\","
            + "\"data\":{\"title\":\"Allarme " + id + "\",\"location\":{\"type\":\"Point\",\"coordinates\":[9.2,45.47]}}}";
        using var response = await gateway.Http.PostAsync("api/events", new StringContent(json, Encoding.UTF8, "application/cloudevents+json"), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Indicator_TellsTheTruth_WhenRedisOrTheGatewayGoAwayAndComeBack()
    {
        await using var redis = await RedisProcess.StartAsync();
        var gatewaySettings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["EventStream__Name"] = TestEnvironment.UniqueStreamName(),
        };
        var gateway = await AppProcess.StartAsync("ControlRoom.Gateway", gatewaySettings);
        await using var web = await AppProcess.StartWebAsync(new Dictionary<string, string> { ["Gateway__Url"] = gateway.BaseAddress.ToString(), ["Gateway__Key"] = AppProcess.WebLinkKey.Key });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserFixture.LaunchAsync(playwright);
        var page = await BrowserFixture.OpenOperationsAsync(browser, web.BaseAddress, web.Demo(), 1366, 768);
        var status = page.GetByRole(AriaRole.Status);
        try
        {
            await Expect(status).ToHaveTextAsync("In diretta");
            await PostAsync(gateway, "before");
            await Expect(page.Locator("li.cr-alert", new() { HasText = "Allarme before" })).ToBeVisibleAsync(new() { Timeout = 2_000 });

            await redis.StopAsync();
            await Expect(status).ToHaveTextAsync("Flusso non disponibile", new() { Timeout = 20_000 });

            await redis.StartAgainAsync();
            await Expect(status).ToHaveTextAsync("In diretta", new() { Timeout = 30_000 });

            var port = gateway.Port;
            await gateway.DisposeAsync();
            await Expect(status).ToHaveTextAsync("Riconnessione…", new() { Timeout = 10_000 });

            // While the web's gateway is away, another gateway instance takes an alert onto the same stream.
            await using (var other = await AppProcess.StartAsync("ControlRoom.Gateway", gatewaySettings))
                await PostAsync(other, "while-away");

            gateway = await AppProcess.StartAsync("ControlRoom.Gateway", gatewaySettings, port);
            await Expect(status).ToHaveTextAsync("In diretta", new() { Timeout = 30_000 });
            await Expect(page.Locator("li.cr-alert", new() { HasText = "Allarme while-away" })).ToBeVisibleAsync(new() { Timeout = 2_000 });
            await PostAsync(gateway, "after");
            await Expect(page.Locator("li.cr-alert", new() { HasText = "Allarme after" })).ToBeVisibleAsync(new() { Timeout = 2_000 });
            // Resumed from the last id seen: the gap exactly, nothing twice (one place, so one grouped row of three).
            await Expect(page.Locator(".cr-feed-count")).ToHaveTextAsync("3 allarmi");
            await Expect(page.Locator("li.cr-alert")).ToHaveAttributeAsync("data-count", "3");
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }
}
