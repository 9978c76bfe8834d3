using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// Two operators on the embedded default: one turns an alert into an incident and dispatches the
/// recommended unit, the other sees each change within a second; a stale edit is refused with the
/// conflict message; after a restart of the app the incident and its timeline are still there.
/// </summary>
public sealed class IncidentCoordinationTests : EmbeddedAppTests
{
    /// <summary>Opens an incident from the alert with this title; returns when the confirming click was made (browser clock, ms).</summary>
    private static async Task<double> OpenFromAlertAsync(IPage page, string title)
    {
        await page.Locator(".mud-tab", new() { HasText = "Allarmi" }).ClickAsync();
        var alert = page.Locator("li.cr-alert", new() { HasText = title });
        await alert.GetByRole(AriaRole.Button, new() { Name = "Apri un intervento da questo allarme" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Titolo" })).ToHaveValueAsync(title);
        var clickedAt = await NowAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Conferma" }).ClickAsync();
        await Expect(page.Locator(".cr-detail-title")).ToHaveTextAsync(title);
        return clickedAt;
    }

    private static Task<double> NowAsync(IPage page) => page.EvaluateAsync<double>("() => Date.now()");

    /// <summary>
    /// Watches the other operator's board for the incident with this title (and status): the moment it
    /// appears is taken in that browser by a MutationObserver, so the test's own polling adds nothing.
    /// </summary>
    private static async Task WatchBoardAsync(IPage watcher, string title, string? status = null) => await watcher.EvaluateAsync("""
        ([title, status]) => {
            window.__seenAt = null;
            const seen = () => [...document.querySelectorAll('li.cr-incident')].some(li => li.textContent.includes(title)
                && (!status || li.querySelector('.cr-incident-status')?.textContent.trim() === status));
            if (seen()) { window.__seenAt = Date.now(); return; }
            const observer = new MutationObserver(() => { if (seen()) { window.__seenAt = Date.now(); observer.disconnect(); } });
            observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """, new object?[] { title, status });

    private static async Task SeenWithinOneSecondAsync(IPage watcher, double actedAt)
    {
        await watcher.WaitForFunctionAsync("() => window.__seenAt !== null", null, new() { Timeout = 10_000 });
        var latency = await watcher.EvaluateAsync<double>("() => window.__seenAt") - actedAt;
        latency.ShouldBeLessThan(1_000, "the other operator must see the change within a second");
    }

    private static Task ShowIncidentsAsync(IPage page) => page.Locator(".mud-tab", new() { HasText = "Interventi" }).ClickAsync();

    [Fact]
    public async Task TwoOperators_OpenDispatchConflictAndRestart()
    {
        var app = await AppProcess.StartWebAsync(Settings);
        var supervisor = app.Demo("supervisore"); // printed at the first start only
        try
        {
            var first = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo("operatore"));
            var second = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, supervisor, 1366, 768);
            await ShowIncidentsAsync(second);

            // Untimed: the first command after boot pays for loading and JIT-compiling the whole path;
            // the time limit is about operators' all-day use, so it is measured on a warm process.
            var warmUp = "Allarme di prova " + Guid.NewGuid().ToString("N")[..6];
            await PostAlertAsync(app, "warm-" + Guid.NewGuid().ToString("N")[..8], warmUp);
            await OpenFromAlertAsync(first, warmUp);
            await Expect(second.Locator("li.cr-incident", new() { HasText = warmUp })).ToBeVisibleAsync();

            var title = "Esondazione Seveso via Valfurva " + Guid.NewGuid().ToString("N")[..6];
            await PostAlertAsync(app, "seveso-" + Guid.NewGuid().ToString("N")[..8], title);

            // Operator 1: from the alert to an incident.
            var alert = first.Locator("li.cr-alert", new() { HasText = title });
            await WatchBoardAsync(second, title);
            var openedAt = await OpenFromAlertAsync(first, title);
            var onBoard = second.Locator("li.cr-incident", new() { HasText = title });
            await SeenWithinOneSecondAsync(second, openedAt);
            var status = first.Locator(".cr-detail [data-testid='incident-status']");
            await Expect(status).ToHaveTextAsync("Nuovo");
            await Expect(alert).ToHaveCountAsync(0); // the alert left the inbox with the incident

            // Operator 1 dispatches the recommended unit: the nearest available, in a straight line.
            var recommended = first.Locator(".cr-detail li[data-recommended-unit]").First;
            var unit = await recommended.GetAttributeAsync("data-recommended-unit");
            unit.ShouldNotBeNull();
            await WatchBoardAsync(second, title, "Unità inviate");
            var dispatchedAt = await NowAsync(first);
            await recommended.GetByRole(AriaRole.Button, new() { Name = "Invia" }).ClickAsync();
            await SeenWithinOneSecondAsync(second, dispatchedAt);
            await Expect(status).ToHaveTextAsync("Unità inviate");
            await Expect(first.Locator($".cr-detail li[data-unit-id='{unit}']")).ToBeVisibleAsync();

            // Operator 2 starts a note on what they see; operator 1 records the arrival meanwhile.
            await onBoard.ClickAsync();
            await Expect(second.Locator(".cr-detail [data-testid='incident-status']")).ToHaveTextAsync("Unità inviate");
            await Expect(second.Locator(".cr-viewers")).ToContainTextAsync("operatore");
            await second.GetByRole(AriaRole.Button, new() { Name = "Aggiungi nota" }).ClickAsync();
            await second.GetByRole(AriaRole.Textbox, new() { Name = "Nota" }).FillAsync("Richiesto supporto VVF");
            await first.Locator($".cr-detail li[data-unit-id='{unit}']").GetByRole(AriaRole.Button, new() { Name = "Sul posto" }).ClickAsync();
            await Expect(status).ToHaveTextAsync("Sul posto");
            await second.GetByRole(AriaRole.Button, new() { Name = "Conferma" }).ClickAsync();
            var conflict = second.Locator(".cr-detail [role='alert']");
            await Expect(conflict).ToContainTextAsync("Intervento modificato da un altro operatore");
            await Expect(conflict).ToContainTextAsync("UnitArrived");
            await Expect(second.Locator(".cr-timeline")).Not.ToContainTextAsync("Richiesto supporto VVF"); // nothing overwritten

            await first.Context.CloseAsync();
            await second.Context.CloseAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }

        // A restart keeps the incident and its whole timeline.
        await using var restarted = await AppProcess.StartWebAsync(Settings);
        var page = await BrowserFixture.OpenOperationsAsync(Browser, restarted.BaseAddress, supervisor);
        await ShowIncidentsAsync(page);
        var incident = page.Locator("li.cr-incident", new() { HasText = "Esondazione Seveso via Valfurva" });
        await Expect(incident).ToContainTextAsync("Esondazione Seveso via Valfurva");
        await Expect(incident.Locator(".cr-incident-status")).ToHaveTextAsync("Sul posto");
        await incident.ClickAsync();
        var timeline = page.Locator(".cr-timeline li");
        await Expect(timeline).ToHaveCountAsync(3);
        await Expect(page.Locator(".cr-timeline")).ToContainTextAsync("Intervento aperto");
        await Expect(page.Locator(".cr-timeline")).ToContainTextAsync("Unità inviata");
        await Expect(page.Locator(".cr-timeline")).ToContainTextAsync("Unità sul posto");
    }

    [Fact]
    public async Task Keyboard_NewIncidentAcknowledgeAndDispatch()
    {
        await using var app = await AppProcess.StartWebAsync(Settings);
        var page = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo());
        var title = "Affollamento San Siro " + Guid.NewGuid().ToString("N")[..6];
        await PostAlertAsync(app, "crowd-" + Guid.NewGuid().ToString("N")[..8], title);
        await Expect(page.Locator("li.cr-alert", new() { HasText = title })).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("n"); // from the newest alert
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Titolo" })).ToHaveValueAsync(title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Conferma" }).ClickAsync();
        var status = page.Locator(".cr-detail [data-testid='incident-status']");
        await Expect(status).ToHaveTextAsync("Nuovo");

        await page.Keyboard.PressAsync("a");
        await Expect(status).ToHaveTextAsync("In carico");
        await page.Keyboard.PressAsync("d");
        await Expect(status).ToHaveTextAsync("Unità inviate");
        await Expect(page.Locator(".cr-detail li[data-unit-id]")).ToHaveCountAsync(1);

        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator(".cr-detail")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task CitizenCall_OpenedByHandFromAStreetSearch_LandsAtThatStreet()
    {
        await using var app = await AppProcess.StartWebAsync(Settings);
        var page = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo());
        await ShowIncidentsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Nuovo intervento" }).ClickAsync();
        var street = page.GetByRole(AriaRole.Combobox, new() { Name = "Via o piazza" });
        await street.FillAsync("buenos aires");
        await page.GetByRole(AriaRole.Option, new() { Name = "Corso Buenos Aires" }).ClickAsync();
        await Expect(street).ToHaveValueAsync("Corso Buenos Aires"); // chosen, as the operator sees it
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Titolo" }).FillAsync("Tamponamento con feriti");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Conferma" })).ToBeEnabledAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Conferma" }).ClickAsync();

        await Expect(page.Locator(".cr-detail-title")).ToHaveTextAsync("Tamponamento con feriti");
        await Expect(page.Locator(".cr-detail-facts")).ToContainTextAsync("Incidente stradale");
        await Expect(page.Locator(".cr-detail-facts")).ToContainTextAsync("Municipio 3"); // Corso Buenos Aires
        await Expect(page.Locator("li.cr-incident", new() { HasText = "Tamponamento con feriti" })).ToContainTextAsync("P2");
    }
    [Fact]
    public async Task PatrolReport_OpenedByRightClickOnTheMap_LandsWherePicked()
    {
        await using var app = await AppProcess.StartWebAsync(Settings);
        var page = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo());
        var map = await page.Locator(".cr-map").BoundingBoxAsync();
        map.ShouldNotBeNull();

        // Outside the city (the map's top-left corner): refused at once, no dialog.
        await page.Mouse.ClickAsync(map.X + 5, map.Y + 5, new() { Button = MouseButton.Right });
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("fuori dal Comune di Milano");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        await page.Mouse.ClickAsync(map.X + map.Width / 2, map.Y + map.Height / 2, new() { Button = MouseButton.Right });
        var picked = page.GetByRole(AriaRole.Textbox, new() { Name = "Punto scelto sulla mappa" });
        await Expect(picked).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"^45\.\d{5}, 9\.\d{5} · Municipio \d · NIL .+"));
        var municipio = System.Text.RegularExpressions.Regex.Match(await picked.InputValueAsync(), @"Municipio \d").Value;
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Titolo" }).FillAsync("Veicolo in panne segnalato dalla pattuglia");
        await page.GetByRole(AriaRole.Button, new() { Name = "Conferma" }).ClickAsync();

        await Expect(page.Locator(".cr-detail-title")).ToHaveTextAsync("Veicolo in panne segnalato dalla pattuglia");
        await Expect(page.Locator(".cr-detail-facts")).ToContainTextAsync(municipio);
    }
}
