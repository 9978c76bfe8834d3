using System.Diagnostics;
using System.Text;
using ControlRoom.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// Single sign-on for real: a certified OpenID Connect provider (panva/oidc-provider, tests/oidc-provider)
/// on loopback, the web app configured for it, and Chromium signing in through the provider's own pages.
/// The provider's "roles" claim decides the ControlRoom role; an account without one gets no session.
/// </summary>
public sealed class OidcSignInTests : EmbeddedAppTests
{
    private const string Users = """
        {"m.rossi":{"name":"Mario Rossi","roles":["pl-supervisor"]},"l.verdi":{"name":"Luca Verdi","roles":["coc-staff"]},"ospite":{"name":"Ospite","roles":["visitor"]}}
        """;

    [Fact]
    public async Task APersonSignsInThroughTheProvider_WithTheRoleItsTokenGives_AndAnAccountWithoutOneIsTurnedAway()
    {
        var providerPort = AppProcess.FreePort();
        var webPort = AppProcess.FreePort();
        var secret = Guid.NewGuid().ToString("N");
        using var provider = await StartProviderAsync(providerPort, $"http://127.0.0.1:{webPort}/signin-oidc", secret);
        var settings = Settings;
        settings["Oidc__Authority"] = $"http://127.0.0.1:{providerPort}";
        settings["Oidc__ClientId"] = "controlroom";
        settings["Oidc__ClientSecret"] = secret;
        settings["Oidc__DisplayName"] = "Comune di Milano";
        settings["Oidc__RequireHttpsMetadata"] = "false"; // loopback only
        await using var app = await AppProcess.StartWebAsync(settings, webPort);

        var supervisor = await SignInThroughProviderAsync(app, "m.rossi");
        await supervisor.Locator(".cr-operations[data-interactive='true']").WaitForAsync(new() { Timeout = 30_000 });
        await Expect(supervisor.Locator("[data-testid=user]")).ToContainTextAsync("Mario Rossi");
        await Expect(supervisor.Locator("[data-testid=user]")).ToContainTextAsync("Supervisore PL");
        await Expect(supervisor.Locator("[data-testid=audit-link]")).ToHaveCountAsync(1); // a supervisor's right
        await Expect(supervisor.Locator("[data-testid=password-link]")).ToHaveCountAsync(0); // the provider's password, not ours
        await supervisor.Locator("[data-testid=audit-link]").ClickAsync();
        await Expect(supervisor.Locator(".cr-audit-row[data-sequence]", new() { HasText = "auth.signed-in" }).First).ToContainTextAsync("m.rossi");

        var coc = await SignInThroughProviderAsync(app, "l.verdi");
        await coc.Locator(".cr-operations[data-interactive='true']").WaitForAsync(new() { Timeout = 30_000 });
        await Expect(coc.Locator("[data-testid=user]")).ToContainTextAsync("Protezione civile (COC)");
        await Expect(coc.Locator("[data-testid=audit-link]")).ToHaveCountAsync(0);

        var guest = await SignInThroughProviderAsync(app, "ospite");
        await guest.WaitForURLAsync(url => url.Contains("/account/signin?sso=failed", StringComparison.Ordinal));
        await Expect(guest.Locator("[data-testid=signin-error]")).ToContainTextAsync("non ha un ruolo in ControlRoom");
        await guest.GotoAsync(app.BaseAddress.ToString());
        guest.Url.ShouldContain("/account/signin"); // no session
    }

    /// <summary>From the sign-in page, through the provider's login and consent pages, back to the app.</summary>
    private async Task<IPage> SignInThroughProviderAsync(AppProcess app, string user)
    {
        var context = await Browser.NewContextAsync(new() { Locale = "it-IT", ViewportSize = new() { Width = 1366, Height = 768 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "account/signin").ToString());
        await page.Locator("[data-testid=signin-sso]").ClickAsync();
        await page.Locator("input[name=login]").FillAsync(user);
        await page.Locator("input[name=password]").FillAsync("qualsiasi");
        await page.Locator("button[type=submit]").ClickAsync();
        await page.Locator("button[type=submit]", new() { HasText = "Continue" }).ClickAsync(); // consent
        return page;
    }

    private static async Task<IDisposable> StartProviderAsync(int port, string redirectUri, string secret)
    {
        var folder = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "oidc-provider");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
            throw new InvalidOperationException($"oidc-provider is not installed: run 'npm ci' in {folder} (scripts/test.sh does).");
        var start = new ProcessStartInfo("node", ["provider.mjs"]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["CLIENT_ID"] = "controlroom";
        start.Environment["CLIENT_SECRET"] = secret;
        start.Environment["REDIRECT_URI"] = redirectUri;
        start.Environment["USERS"] = Users;
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
                throw new InvalidOperationException("oidc-provider exited: " + output);
            try
            {
                using var discovery = await http.GetAsync($"http://127.0.0.1:{port}/.well-known/openid-configuration", Ct);
                if (discovery.IsSuccessStatusCode)
                    return new ProviderProcess(process);
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException("oidc-provider did not start: " + output);
    }

    /// <summary>The provider's node process, stopped with the test.</summary>
    private sealed class ProviderProcess(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }
}
