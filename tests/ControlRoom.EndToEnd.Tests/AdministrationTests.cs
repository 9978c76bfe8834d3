using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// The administration page driven as an administrator would: a role change sends that user's open screen
/// to sign-in; a new wall screen's token signs a screen in, and revoking the device sends it back.
/// </summary>
public sealed class AdministrationTests : EmbeddedAppTests
{
    private static ILocator AccountRow(IPage page, string user) => page.Locator($"tr[data-user='{user}']");

    private static async Task ConfirmAsync(IPage page, string action) =>
        await page.Locator(".mud-dialog button", new() { HasText = action }).ClickAsync();

    private static async Task<IPage> OpenAdministrationAsync(IBrowser browser, AppProcess app)
    {
        var page = await BrowserFixture.OpenOperationsAsync(browser, app.BaseAddress, app.Demo("admin"), 1366, 768);
        await page.Locator("[data-testid=admin-link]").ClickAsync();
        await page.Locator(".cr-admin[data-interactive='true']").WaitForAsync();
        return page;
    }

    [Fact]
    public async Task ARoleChange_SendsThatUsersOpenScreenToSignIn_AndTheNextSignInHasTheNewRole()
    {
        var settings = Settings;
        settings["Accounts__Revalidation"] = "00:00:01";
        await using var app = await AppProcess.StartWebAsync(settings);
        var operatorScreen = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo("operatore"));
        var admin = await OpenAdministrationAsync(Browser, app);

        var row = AccountRow(admin, "operatore");
        await row.Locator("[data-testid=admin-role]").SelectOptionAsync("CivilProtection");
        await row.Locator("[data-testid=admin-function]").SelectOptionAsync("F2");
        await row.Locator("[data-testid=admin-apply-role]").ClickAsync();
        await ConfirmAsync(admin, "Cambia ruolo");

        await Expect(admin.Locator(".mud-snackbar")).ToContainTextAsync("Ruolo di «operatore» cambiato.");
        await Expect(row.Locator("[data-testid=admin-apply-role]")).ToHaveCountAsync(0); // nothing left to apply: saved
        await operatorScreen.WaitForURLAsync(url => url.Contains("/account/signin", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await BrowserFixture.SignInAsync(operatorScreen, app.BaseAddress, app.Demo("operatore"));
        await Expect(operatorScreen.Locator("[data-testid=user]")).ToContainTextAsync("Protezione civile (COC)");
        await admin.Context.CloseAsync();
        await operatorScreen.Context.CloseAsync();
    }

    [Fact]
    public async Task ANewWallScreen_SignsInWithItsToken_AndRevokingItSendsTheScreenToSignIn()
    {
        var settings = Settings;
        settings["Accounts__Revalidation"] = "00:00:01";
        await using var app = await AppProcess.StartWebAsync(settings);
        var admin = await OpenAdministrationAsync(Browser, app);

        await admin.Locator("[data-testid=admin-new-user]").FillAsync("parete-sala-2");
        await admin.Locator("[data-testid=admin-new-name]").FillAsync("Sala operativa, parete 2");
        await admin.Locator("[data-testid=admin-new-role]").SelectOptionAsync("WallScreen");
        await admin.Locator("[data-testid=admin-create]").ClickAsync();
        var token = (await admin.Locator("[data-testid=admin-secret-value]").InnerTextAsync()).Trim();
        token.ShouldStartWith("crd_parete-sala-2_");
        await admin.Locator("[data-testid=admin-secret-hide]").ClickAsync();
        await Expect(admin.Locator("[data-testid=admin-secret]")).ToHaveCountAsync(0); // shown once, then gone

        var wall = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, new Credentials("parete-sala-2", token));
        await Expect(wall.Locator("[data-testid=user]")).ToContainTextAsync("Sala operativa, parete 2");
        await Expect(wall.Locator("[data-testid=password-link]")).ToHaveCountAsync(0); // a device has no password

        await AccountRow(admin, "parete-sala-2").Locator("[data-testid=admin-delete]").ClickAsync();
        await ConfirmAsync(admin, "Revoca");
        await Expect(AccountRow(admin, "parete-sala-2")).ToHaveCountAsync(0);

        await wall.WaitForURLAsync(url => url.Contains("/account/signin", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await BrowserFixture.SignInAsync(wall, app.BaseAddress, new Credentials("parete-sala-2", token), expectSuccess: false);
        await admin.Context.CloseAsync();
        await wall.Context.CloseAsync();
    }
}
