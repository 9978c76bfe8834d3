using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// The critical systems board in the real app and Chromium, with a real probe against a real endpoint: when the
/// endpoint stops, its tile turns red, the systems built on it show as impacted, and the operators' page shows the
/// banner and tints the map, all within the probe interval plus 2 seconds.
/// </summary>
public sealed class SystemsBoardTests : EmbeddedAppTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>A health endpoint on loopback answering 200 "ok" until closed.</summary>
    private static (HttpListener Listener, Uri Address) StartEndpoint()
    {
        var port = AppProcess.FreePort();
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                try
                {
                    var context = await listener.GetContextAsync();
                    context.Response.StatusCode = 200;
                    await context.Response.OutputStream.WriteAsync("ok"u8.ToArray());
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return; // stopped
                }
            }
        });
        return (listener, new Uri($"http://127.0.0.1:{port}/health"));
    }

    [Fact]
    public async Task StoppingAProbedEndpoint_TurnsItsTileRed_MarksDependantsImpacted_AndShowsTheBanner_WithinTheIntervalPlus2s()
    {
        var (endpoint, address) = StartEndpoint();
        var settings = Settings;
        settings["Systems__Probes__0__System"] = "wso2-interop";
        settings["Systems__Probes__0__Target"] = address.ToString();
        settings["Systems__Probes__0__Interval"] = Interval.ToString();
        settings["Systems__Probes__0__Timeout"] = "00:00:01";
        await using var app = await AppProcess.StartWebAsync(settings);

        var board = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo("it"), 1920, 1080);
        await board.GotoAsync(new Uri(app.BaseAddress, "systems").ToString());
        var tile = board.Locator("a.cr-tile[data-system='wso2-interop']");
        await Expect(tile).ToHaveAttributeAsync("data-status", "operational", new() { Timeout = 15_000 });
        var operations = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo("operatore"), 1366, 768);
        await Expect(operations.Locator("[data-testid=outage-banner]")).ToHaveCountAsync(0);
        await operations.WaitForTimeoutAsync((float)Interval.TotalMilliseconds); // both pages settled on an operational report

        endpoint.Close();
        var deadline = DateTimeOffset.UtcNow + Interval + TimeSpan.FromSeconds(2);
        float Left() => (float)Math.Max(1, (deadline - DateTimeOffset.UtcNow).TotalMilliseconds);

        await Expect(tile).ToHaveAttributeAsync("data-status", "major-outage", new() { Timeout = Left() });
        await Expect(board.Locator("a.cr-tile[data-system='pdnd-eservices']")).ToHaveAttributeAsync("data-impacted", "true", new() { Timeout = Left() });
        var banner = operations.Locator("[data-testid=outage-banner]");
        await Expect(banner).ToHaveAttributeAsync("data-root", "wso2-interop", new() { Timeout = Left() });
        await Expect(banner).ToContainTextAsync("Fuori servizio: Piattaforma di interoperabilità");
        await Expect(operations.Locator(".crm-map")).ToHaveAttributeAsync("data-impact", "city", new() { Timeout = Left() });
        await Expect(board.Locator("a.cr-tile[data-system='pagopa']")).ToHaveAttributeAsync("data-impacted", "false");
        var folder = Path.Combine(ControlRoom.Tests.TestEnvironment.RepositoryRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await board.ScreenshotAsync(new() { Path = Path.Combine(folder, "systems-outage-1920x1080.png") });
        await operations.ScreenshotAsync(new() { Path = Path.Combine(folder, "operations-outage-1366x768.png") });

        // The detail names the cause of a dependant's trouble and lists what the probe found.
        await board.GotoAsync(new Uri(app.BaseAddress, "systems/pdnd-eservices").ToString());
        await Expect(board.Locator(".cr-system-cause")).ToContainTextAsync("Impattato da Piattaforma di interoperabilità");
        await board.GotoAsync(new Uri(app.BaseAddress, "systems/wso2-interop").ToString());
        await Expect(board.Locator("[data-testid=findings] li").First).ToContainTextAsync("Irraggiungibile");
    }
}
