using System.Text.Json;
using Microsoft.Playwright;

namespace ControlRoom.Benchmarks;

/// <summary>Operations pages in headless Chromium, each recording when every alert first appears in its feed.</summary>
internal static class Screens
{
    /// <summary>
    /// Notes Date.now() for every data-alert-key the first time it is in the DOM. Blazor may reuse an
    /// existing li for a new alert (Virtualize, no @key), so attribute changes count as well as new nodes.
    /// Runs in the mutation observer's microtask: the DOM has the alert, the frame may not be painted yet.
    /// </summary>
    private const string Recorder = """
        () => {
          if (window.__crSeen) return;
          const seen = window.__crSeen = Object.create(null);
          const scan = () => {
            const now = Date.now();
            for (const li of document.querySelectorAll('li[data-alert-key]')) {
              const key = li.getAttribute('data-alert-key');
              if (!(key in seen)) seen[key] = now;
            }
          };
          scan();
          new MutationObserver(scan).observe(document.body,
            { childList: true, subtree: true, attributes: true, attributeFilter: ['data-alert-key'] });
        }
        """;

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string chromium) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking"],
        });

    /// <summary>A new context and page, signed in, on the operations page: interactive, map ready (if it gets ready), recorder on.</summary>
    public static async Task<(IPage Page, bool MapReady)> OpenAsync(IBrowser browser, WebProcess web)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        // Signed in as the wall screen: a read-only screen, the role these pages play.
        await page.GotoAsync(new Uri(web.BaseAddress, "account/device").ToString());
        await page.FillAsync("[data-testid=device-token]", web.WallScreenToken ?? throw new InvalidOperationException("No wall-screen device token was printed."));
        await page.ClickAsync("[data-testid=signin-submit]");
        await page.WaitForSelectorAsync(".cr-operations[data-interactive=\"true\"]", new() { Timeout = 60_000 });
        var mapReady = true;
        try
        {
            await page.WaitForSelectorAsync("[data-map-ready=\"true\"]", new() { Timeout = 30_000, State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException)
        {
            mapReady = false; // measured anyway; the report says so
        }
        await page.EvaluateAsync(Recorder);
        return (page, mapReady);
    }

    /// <summary>When each key first appeared on the page (Unix ms), null where it has not.</summary>
    public static async Task<long?[]> SeenAsync(IPage page, IReadOnlyList<string> keys)
    {
        var seen = await page.EvaluateAsync<JsonElement>(
            "keys => keys.map(k => (window.__crSeen && k in window.__crSeen) ? window.__crSeen[k] : null)", keys);
        return [.. seen.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetInt64() : (long?)null)];
    }

    public static async Task CloseAsync(IPage page)
    {
        var context = page.Context;
        await page.CloseAsync();
        await context.CloseAsync();
    }
}
