using System.Net;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// Two operators share one inbox: a sensor firing twice is one row; what one operator decides (false
/// positive, shelve, undo) the other sees at once, and nothing is lost from the "Gestiti" list.
/// </summary>
public sealed class AlertTriageTests : IAsyncLifetime
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"controlroom-e2e-{Guid.NewGuid():N}.db");
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await BrowserFixture.LaunchAsync(_playwright);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_database)!, Path.GetFileName(_database) + "*"))
            File.Delete(file);
    }

    private static async Task PostAlertAsync(AppProcess app, string subject, string title)
    {
        var json = "{\"specversion\":\"1.0\",\"id\":\"" + Guid.NewGuid().ToString("N") + "\",\"source\":\"/e2e\",\"subject\":\"" + subject + "\","
            + "\"type\":\"it.milano.nco.sensor.alert.raised\",\"severity\":\"severe\","
            + "\"data\":{\"title\":\"" + title + "\",\"kind\":\"camera\",\"location\":{\"type\":\"Point\",\"coordinates\":[9.2,45.48]}}}";
        using var response = await app.Http.PostAsync("api/events", new StringContent(json, Encoding.UTF8, "application/cloudevents+json"), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task DuplicatesAreOneRow_AndEachDecisionReachesTheOtherOperator_WithUndo()
    {
        await using var app = await AppProcess.StartWebAsync(new Dictionary<string, string> { ["Storage__EmbeddedPath"] = _database });
        var first = await BrowserFixture.OpenOperationsAsync(_browser, app.BaseAddress);
        var second = await BrowserFixture.OpenOperationsAsync(_browser, app.BaseAddress, 1366, 768);
        var camera = "cam-" + Guid.NewGuid().ToString("N")[..6];
        await PostAlertAsync(app, camera, "Oggetto abbandonato " + camera);
        await PostAlertAsync(app, camera, "Oggetto abbandonato " + camera + " (2)");

        var row = first.Locator("li.cr-alert", new() { HasText = "Oggetto abbandonato " + camera });
        var seenBySecond = second.Locator("li.cr-alert", new() { HasText = "Oggetto abbandonato " + camera });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".cr-alert-count")).ToHaveTextAsync("×2");
        await Expect(seenBySecond).ToHaveCountAsync(1);

        // False positive: both alerts of the row leave both inboxes.
        await row.Locator(".cr-alert-ack button").ClickAsync();
        await first.Locator("[data-disposition='FalsePositive']").ClickAsync();
        await Expect(seenBySecond).ToHaveCountAsync(0, new() { Timeout = 1_000 });
        await Expect(row).ToHaveCountAsync(0);
        await second.Locator("[data-view='handled']").ClickAsync();
        await Expect(second.Locator("li.cr-alert-handled", new() { HasText = camera })).ToHaveCountAsync(2);
        await Expect(second.Locator("li.cr-alert-handled", new() { HasText = camera }).First).ToContainTextAsync("Falso positivo");

        // Undo from the message: back in both inboxes, as one row again.
        await first.GetByRole(AriaRole.Button, new() { Name = "Annulla" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(1);
        await second.Locator("[data-view='inbox']").ClickAsync();
        await Expect(seenBySecond.Locator(".cr-alert-count")).ToHaveTextAsync("×2", new() { Timeout = 1_000 });

        // Shelved for 15 minutes: out of the inbox, listed with its end time.
        await seenBySecond.Locator(".cr-alert-shelve button").ClickAsync();
        await second.Locator("[data-minutes='15']").ClickAsync();
        await Expect(row).ToHaveCountAsync(0, new() { Timeout = 1_000 });
        await first.Locator("[data-view='handled']").ClickAsync();
        await Expect(first.Locator("li.cr-alert-handled", new() { HasText = camera }).First).ToContainTextAsync("Accantonato fino a");
    }
}
