using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// Two operators share one inbox: a sensor firing twice is one row; what one operator decides (false
/// positive, shelve, undo) the other sees at once, and nothing is lost from the "Gestiti" list.
/// </summary>
public sealed class AlertTriageTests : EmbeddedAppTests
{
    [Fact]
    public async Task DuplicatesAreOneRow_AndEachDecisionReachesTheOtherOperator_WithUndo()
    {
        await using var app = await AppProcess.StartWebAsync(Settings);
        var first = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo("operatore"));
        var second = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo("supervisore"), 1366, 768);
        var camera = "cam-" + Guid.NewGuid().ToString("N")[..6];
        await PostAlertAsync(app, Guid.NewGuid().ToString("N"), "Oggetto abbandonato " + camera, "camera", "severe", camera, 9.2, 45.48);
        await PostAlertAsync(app, Guid.NewGuid().ToString("N"), "Oggetto abbandonato " + camera + " (2)", "camera", "severe", camera, 9.2, 45.48);

        var row = first.Locator("li.cr-alert", new() { HasText = "Oggetto abbandonato " + camera });
        var seenBySecond = second.Locator("li.cr-alert", new() { HasText = "Oggetto abbandonato " + camera });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".cr-alert-count")).ToHaveTextAsync("×2");
        await Expect(seenBySecond).ToHaveCountAsync(1);

        // False positive: both alerts of the row leave both inboxes.
        await row.Locator(".cr-alert-ack button").ClickAsync();
        await first.Locator("[data-disposition='FalsePositive']").ClickAsync();
        await Expect(seenBySecond).ToHaveCountAsync(0);
        await Expect(row).ToHaveCountAsync(0);
        await second.Locator("[data-view='handled']").ClickAsync();
        await Expect(second.Locator("li.cr-alert-handled", new() { HasText = camera })).ToHaveCountAsync(2);
        await Expect(second.Locator("li.cr-alert-handled", new() { HasText = camera }).First).ToContainTextAsync("Falso positivo");

        // Undo from the message: back in both inboxes, as one row again.
        await first.GetByRole(AriaRole.Button, new() { Name = "Annulla" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(1);
        await second.Locator("[data-view='inbox']").ClickAsync();
        await Expect(seenBySecond.Locator(".cr-alert-count")).ToHaveTextAsync("×2");

        // Shelved for 15 minutes: out of the inbox, listed with its end time.
        await seenBySecond.Locator(".cr-alert-shelve button").ClickAsync();
        await second.Locator("[data-minutes='15']").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await first.Locator("[data-view='handled']").ClickAsync();
        await Expect(first.Locator("li.cr-alert-handled", new() { HasText = camera }).First).ToContainTextAsync("Accantonato fino a");
    }
}
