using ControlRoom.Tests;
using Microsoft.Playwright;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>One Chromium (Debian's, never a downloaded one) and one embedded web app for the whole class.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public AppProcess App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = await AppProcess.StartWebAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync(_playwright);
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = TestEnvironment.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking"],
        });

    public Task<IPage> OpenOperationsAsync(int width = 1920, int height = 1080, string user = "operatore") =>
        OpenOperationsAsync(Browser, App.BaseAddress, App.Demo(user), width, height);

    /// <summary>A fresh browser context (its own cookies and storage: another operator), signed in, on the operations page once interactive.</summary>
    public static async Task<IPage> OpenOperationsAsync(IBrowser browser, Uri app, Credentials who, int width = 1920, int height = 1080)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = "it-IT" });
        var page = await context.NewPageAsync();
        await SignInAsync(page, app, who);
        // Blazor prerenders: wait until the circuit has rendered interactively, not just the static HTML.
        await page.Locator(".cr-operations[data-interactive='true']").WaitForAsync(new() { Timeout = 30_000 });
        await page.Locator(".cr-map[data-map-ready='true']").WaitForAsync(new() { Timeout = 30_000 });
        return page;
    }

    /// <summary>
    /// Signs in through the sign-in page as a person would, or through the device page with a wall screen's
    /// token (and, unless told otherwise, gets past it).
    /// </summary>
    public static async Task SignInAsync(IPage page, Uri app, Credentials who, bool expectSuccess = true)
    {
        if (who.IsDeviceToken)
        {
            await page.GotoAsync(new Uri(app, "account/device").ToString());
            await page.Locator("[data-testid=device-token]").FillAsync(who.Password);
        }
        else
        {
            await page.GotoAsync(new Uri(app, "account/signin").ToString());
            await page.Locator("[data-testid=signin-user]").FillAsync(who.User);
            await page.Locator("[data-testid=signin-password]").FillAsync(who.Password);
        }
        await page.Locator("[data-testid=signin-submit]").ClickAsync();
        if (expectSuccess)
            await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal), new() { Timeout = 30_000 });
        else
            await page.Locator("[data-testid=signin-error]").WaitForAsync();
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
