using ControlRoom.Tests;
using Microsoft.Playwright;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>One Chromium (Debian's, never a downloaded one) and one web app for the whole class.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public WebAppProcess App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = await WebAppProcess.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = TestEnvironment.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking"],
        });
    }

    /// <summary>A fresh browser context (its own cookies and storage: another operator) on the operations page, once interactive.</summary>
    public async Task<IPage> OpenOperationsAsync(int width = 1920, int height = 1080)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = "it-IT" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(App.BaseAddress.ToString());
        // Blazor prerenders: wait until the circuit has rendered interactively, not just the static HTML.
        await page.Locator(".cr-operations[data-interactive='true']").WaitForAsync(new() { Timeout = 30_000 });
        await page.Locator(".cr-map[data-map-ready='true']").WaitForAsync(new() { Timeout = 30_000 });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null)
            await App.DisposeAsync();
    }
}
