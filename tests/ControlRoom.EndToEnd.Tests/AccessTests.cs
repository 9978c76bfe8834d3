using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// Signing in as each demo role shows what that role may see and do; lockout, sign-out, a password change
/// ending the account's other screens, and a session ending at its time, all through the real pages.
/// </summary>
public sealed class AccessTests : EmbeddedAppTests
{
    private static ILocator Row(IPage page, string text) => page.Locator("li.cr-alert", new() { HasText = text });

    [Fact]
    public async Task EachRole_SignsIn_AndSeesWhatItMay()
    {
        await using var app = await AppProcess.StartWebAsync(Settings);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var title = "Allagamento sottopasso " + suffix;
        var restricted = "Aggressione in metropolitana " + suffix;
        await PostAlertAsync(app, Guid.NewGuid().ToString("N"), restricted, visibility: "restricted", lon: 9.19, lat: 45.46);
        await PostAlertAsync(app, Guid.NewGuid().ToString("N"), title, caller: "Mario Rossi");

        // user → (role label, may act on alerts, may open the audit trail, cleared for restricted, reads personal data)
        var roles = new (string User, string Label, bool Acts, bool Audit, bool Restricted, bool Personal)[]
        {
            ("operatore", "Operatore PL", true, false, true, true),
            ("supervisore", "Supervisore PL", true, true, true, true),
            ("coc", "Protezione civile (COC)", true, false, true, true),
            ("it", "Operazioni IT", false, false, true, false),
            ("eventi", "Coordinamento eventi", false, false, false, false),
            ("schermo", "Schermo a parete", false, false, false, false),
            ("admin", "Amministratore", false, true, false, false),
        };
        foreach (var (user, label, acts, audit, seesRestricted, readsPersonal) in roles)
        {
            var page = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo(user), 1366, 768);
            await Expect(page.Locator("[data-testid=user]")).ToContainTextAsync(label);
            await Expect(Row(page, title)).ToBeVisibleAsync();
            await Expect(Row(page, title).Locator(".cr-alert-ack")).ToHaveCountAsync(acts ? 1 : 0);
            await Expect(Row(page, restricted)).ToHaveCountAsync(seesRestricted ? 1 : 0);
            await Expect(Row(page, title).Locator(readsPersonal ? "[data-testid=personal-data]" : "[data-testid=personal-hidden]"))
                .ToContainTextAsync(readsPersonal ? "Mario Rossi" : "dati personali nascosti");
            (await page.ContentAsync()).Contains("Mario Rossi", StringComparison.Ordinal).ShouldBe(readsPersonal, user);
            await Expect(page.Locator("[data-testid=audit-link]")).ToHaveCountAsync(audit ? 1 : 0);

            var response = await page.GotoAsync(new Uri(app.BaseAddress, "audit").ToString());
            if (audit)
                await page.Locator(".cr-audit[data-interactive='true']").WaitForAsync();
            else
            {
                response!.Status.ShouldBe(403, user);
                await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
            }
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task WrongPasswords_LockTheAccount_SignOutEndsTheSession_AndAPasswordChangeEndsTheOtherScreens()
    {
        var settings = Settings;
        settings["Accounts__MaxFailedSignIns"] = "3";
        settings["Accounts__Revalidation"] = "00:00:01";
        await using var app = await AppProcess.StartWebAsync(settings);
        var context = await Browser.NewContextAsync(new() { Locale = "it-IT" });
        var page = await context.NewPageAsync();

        // Lockout: the third wrong password locks; then even the right one is refused.
        for (var i = 0; i < 3; i++)
            await BrowserFixture.SignInAsync(page, app.BaseAddress, new Credentials("eventi", "sbagliata-" + i), expectSuccess: false);
        await Expect(page.Locator("[data-testid=signin-error]")).ToContainTextAsync("account bloccato fino alle");
        await BrowserFixture.SignInAsync(page, app.BaseAddress, app.Demo("eventi"), expectSuccess: false);
        await Expect(page.Locator("[data-testid=signin-error]")).ToContainTextAsync("account bloccato");

        // Sign-out: back to the sign-in page, and the operations page asks to sign in again.
        await BrowserFixture.SignInAsync(page, app.BaseAddress, app.Demo("operatore"));
        await page.Locator(".cr-operations[data-interactive='true']").WaitForAsync();
        await page.Locator("[data-testid=signout]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/signin", StringComparison.Ordinal));
        await page.GotoAsync(app.BaseAddress.ToString());
        page.Url.ShouldContain("/account/signin");

        // A password change: this screen carries on, the account's other open screen is sent to sign in.
        var other = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo("operatore"));
        await BrowserFixture.SignInAsync(page, app.BaseAddress, app.Demo("operatore"));
        await page.GotoAsync(new Uri(app.BaseAddress, "account/password").ToString());
        await page.Locator("[data-testid=password-current]").FillAsync(app.Demo("operatore").Password);
        await page.Locator("[data-testid=password-new]").FillAsync("troppo-corta");
        await page.Locator("[data-testid=password-confirm]").FillAsync("troppo-corta-");
        await page.Locator("[data-testid=password-submit]").ClickAsync();
        await Expect(page.Locator("[data-testid=password-error]")).ToContainTextAsync("non coincidono");
        await page.Locator("[data-testid=password-current]").FillAsync(app.Demo("operatore").Password);
        await page.Locator("[data-testid=password-new]").FillAsync("Navigli-Seveso-2026");
        await page.Locator("[data-testid=password-confirm]").FillAsync("Navigli-Seveso-2026");
        await page.Locator("[data-testid=password-submit]").ClickAsync();
        await Expect(page.Locator("[data-testid=password-changed]")).ToBeVisibleAsync();

        await other.WaitForURLAsync(url => url.Contains("/account/signin", StringComparison.Ordinal), new() { Timeout = 15_000 });
        await page.GotoAsync(app.BaseAddress.ToString());
        await page.Locator(".cr-operations[data-interactive='true']").WaitForAsync(); // still signed in here
        await BrowserFixture.SignInAsync(other, app.BaseAddress, new Credentials("operatore", "Navigli-Seveso-2026"));
        await other.Locator(".cr-operations[data-interactive='true']").WaitForAsync();
        await context.CloseAsync();
        await other.Context.CloseAsync();
    }

    [Fact]
    public async Task AnOpenScreen_IsSentToSignIn_WhenItsSessionEnds()
    {
        var settings = Settings;
        settings["Accounts__DeviceSessionLifetime"] = "00:00:12"; // the wall screen's device session
        settings["Accounts__Revalidation"] = "00:00:01";
        await using var app = await AppProcess.StartWebAsync(settings);

        var page = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo("schermo"));

        await page.WaitForURLAsync(url => url.Contains("/account/signin", StringComparison.Ordinal), new() { Timeout = 30_000 });
        page.Url.ShouldContain("ReturnUrl=%2F");
        await page.Context.CloseAsync();
    }
}
