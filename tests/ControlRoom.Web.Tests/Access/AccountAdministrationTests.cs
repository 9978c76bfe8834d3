using System.Net;
using System.Text.Json;
using ControlRoom.Domain.Access;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;
using ControlRoom.Web.Features.Administration;
using Microsoft.Extensions.DependencyInjection;

namespace ControlRoom.Web.Tests.Access;

/// <summary>
/// The administrator's commands against the real app and store: each refused with its reason when it must
/// be, each audited with the administrator as actor, and their effect on sign-in and open sessions.
/// </summary>
public sealed class AccountAdministrationTests : IAsyncLifetime
{
    private SignedInApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Operator Admin = new(Role.Administrator.ToCode(), Role.Administrator, "10.0.0.7");

    private AccountAdministration Administration => _app.Services.GetRequiredService<AccountAdministration>();

    private IIncidentStore Store => _app.Services.GetRequiredService<IIncidentStore>();

    private IAccountStore Accounts => (IAccountStore)Store;

    public async ValueTask InitializeAsync() => _app = await SignedInApp.StartAsync(new Dictionary<string, string?> { ["Accounts:MaxFailedSignIns"] = "1" });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IReadOnlyList<Domain.Audit.AuditRecord>> AuditedAsync(string action) =>
        await Store.ReadAuditAsync(new AuditQuery(Action: action), Ct);

    public static TheoryData<Role> NotAdministrators => [.. Enum.GetValues<Role>().Where(r => r != Role.Administrator)];

    [Theory]
    [MemberData(nameof(NotAdministrators))]
    public async Task EveryCommand_IsRefusedToOtherRoles_AndWritesNothing(Role role)
    {
        var by = new Operator(role.ToCode(), role, "10.0.0.8");
        var target = Role.PoliceOperator.ToCode();

        (await Administration.ListAsync(by, Ct)).ShouldBeEmpty();
        foreach (var change in new[]
        {
            await Administration.CreateAsync(by, new NewAccount("nuovo", "Nuovo", Role.Administrator, null), Ct),
            await Administration.SetRoleAsync(by, target, Role.Administrator, null, Ct),
            await Administration.UnlockAsync(by, target, Ct),
            await Administration.ReissueSecretAsync(by, target, Ct),
            await Administration.DeleteAsync(by, target, Ct),
        })
        {
            change.Refusal!.Code.ShouldBe(Operator.NotPermittedCode);
            change.Secret.ShouldBeNull();
        }
        (await Accounts.ListAccountsAsync(Ct)).Count.ShouldBe(Enum.GetValues<Role>().Length);
        (await Accounts.FindAccountAsync(target, Ct))!.Role.ShouldBe(Role.PoliceOperator);
        (await Store.ReadAuditAsync(new AuditQuery(Action: "account."), Ct)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Con Spazi", "Nome", Role.PoliceOperator, null, "invalid-user-name")]
    [InlineData("", "Nome", Role.PoliceOperator, null, "invalid-user-name")]
    [InlineData("crd_nuovo", "Nome", Role.PoliceOperator, null, "invalid-user-name")] // would read as a device token
    [InlineData("pl-operator", "Nome", Role.PoliceOperator, null, "name-taken")]
    [InlineData("nuovo", " ", Role.PoliceOperator, null, "invalid-display-name")]
    [InlineData("nuovo", "a\u0007b", Role.PoliceOperator, null, "invalid-display-name")]
    [InlineData("nuovo", "Nome", Role.Integrator, null, "integrator-has-api-key")]
    [InlineData("nuovo", "Nome", Role.CivilProtection, null, "invalid-support-function")]
    [InlineData("nuovo", "Nome", Role.CivilProtection, "F10", "invalid-support-function")]
    [InlineData("nuovo", "Nome", (Role)42, null, "invalid-role")]
    public async Task BadNewAccounts_AreRefusedWithTheirReason_AndLeaveNoTrace(string user, string name, Role role, string? function, string code)
    {
        var change = await Administration.CreateAsync(Admin, new NewAccount(user, name, role, function), Ct);

        change.Refusal!.Code.ShouldBe(code);
        (await Accounts.ListAccountsAsync(Ct)).Count.ShouldBe(Enum.GetValues<Role>().Length);
        (await AuditedAsync("account.")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ANewPerson_GetsAOneTimePassword_ThatSignsIn_AndTheCreationIsAudited()
    {
        var change = await Administration.CreateAsync(Admin, new NewAccount(" Giulia.Bianchi ", "Giulia Bianchi", Role.CivilProtection, "F3"), Ct);

        change.Done.ShouldBeTrue();
        var account = (await Accounts.FindAccountAsync("giulia.bianchi", Ct))!;
        (account.DisplayName, account.Role, account.SupportFunction).ShouldBe(("Giulia Bianchi", Role.CivilProtection, "F3"));
        account.PasswordHash.ShouldNotContain(change.Secret!);
        var audited = (await AuditedAsync("account.created")).Single().Entry;
        (audited.Actor, audited.Subject, audited.Origin).ShouldBe((Admin.Name, "giulia.bianchi", "10.0.0.7"));
        audited.Details.ShouldNotContain(change.Secret!);
    }

    [Fact]
    public async Task APasswordTheAdministratorSaw_OpensOnlyThePasswordPage_UntilItsOwnerReplacesIt()
    {
        var change = await Administration.CreateAsync(Admin, new NewAccount("giulia.bianchi", "Giulia Bianchi", Role.PoliceSupervisor, null), Ct);
        using var browser = _app.Client();
        using var program = _app.Client(browser: false);
        (await SignedInApp.PostSignInAsync(browser, "giulia.bianchi", change.Secret!, Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await SignedInApp.PostSignInAsync(program, "giulia.bianchi", change.Secret!, Ct);

        (await browser.GetAsync("", Ct)).Headers.Location!.OriginalString.ShouldBe(AccountEndpoints.PasswordPath);
        (await browser.GetAsync("audit", Ct)).Headers.Location!.OriginalString.ShouldBe(AccountEndpoints.PasswordPath);
        using (var api = await program.GetAsync("api/situation", Ct))
        {
            api.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await api.Content.ReadAsStringAsync(Ct)).ShouldContain("/account/password");
        }
        (await browser.GetStringAsync("account/password", Ct)).ShouldContain("data-testid=\"password-must-change\"");

        using var same = await browser.PostAsync("account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "password",
            ["__RequestVerificationToken"] = await SignedInApp.AntiforgeryTokenAsync(browser, "account/password", Ct),
            ["Input.Current"] = change.Secret!,
            ["Input.Replacement"] = change.Secret!,
            ["Input.Confirmation"] = change.Secret!,
        }), Ct);
        same.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await same.Content.ReadAsStringAsync(Ct)).ShouldContain("deve essere diversa"); // the administrator's password cannot be kept
        var token = await SignedInApp.AntiforgeryTokenAsync(browser, "account/password", Ct);
        using var changed = await browser.PostAsync("account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "password",
            ["__RequestVerificationToken"] = token,
            ["Input.Current"] = change.Secret!,
            ["Input.Replacement"] = "Solo-Giulia-la-conosce",
            ["Input.Confirmation"] = "Solo-Giulia-la-conosce",
        }), Ct);

        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await browser.GetAsync("", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await browser.GetAsync("audit", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Accounts.FindAccountAsync("giulia.bianchi", Ct))!.MustChangePassword.ShouldBeFalse();
        (await program.GetAsync("api/situation", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized); // the other session ended with the change
    }

    [Fact]
    public async Task ANewWallScreen_GetsADeviceToken_ForTheDeviceForm_NotThePasswordForm()
    {
        var change = await Administration.CreateAsync(Admin, new NewAccount("schermo-sala-2", "Sala operativa, parete 2", Role.WallScreen, null), Ct);

        change.Secret!.ShouldStartWith("crd_schermo-sala-2_");
        (await SignedInApp.PostSignInAsync(_app.Client(), "schermo-sala-2", change.Secret!, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await SignedInApp.PostDeviceSignInAsync(_app.Client(), change.Secret!, Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task ARoleChange_EndsTheAccountsSessions_TakesEffectAtTheNextSignIn_AndIsAuditedFromTo()
    {
        var user = Role.PoliceOperator.ToCode();
        using var session = await _app.SignedInAsync(Role.PoliceOperator, Ct);

        (await Administration.SetRoleAsync(Admin, user, Role.CivilProtection, "F9", Ct)).Done.ShouldBeTrue();

        (await session.GetAsync("", Ct)).Headers.Location!.AbsolutePath.ShouldBe(AccountEndpoints.SignInPath);
        (await Accounts.FindAccountAsync(user, Ct))!.SupportFunction.ShouldBe("F9");
        using var details = JsonDocument.Parse((await AuditedAsync("account.role-changed")).Single().Entry.Details);
        (details.RootElement.GetProperty("from").GetString(), details.RootElement.GetProperty("to").GetString()).ShouldBe(("pl-operator", "coc-staff"));
        using var again = await _app.SignedInAsync(Role.PoliceOperator, Ct); // the same password still signs in, now as COC staff
        (await again.GetStringAsync("", Ct)).ShouldContain("Protezione civile (COC)");
    }

    [Theory]
    [InlineData("wall-screen", Role.PoliceOperator, "device-role-fixed")]
    [InlineData("pl-operator", Role.WallScreen, "device-role-fixed")]
    [InlineData("administrator", Role.PoliceOperator, "own-account")]
    [InlineData("pl-operator", Role.Integrator, "integrator-has-api-key")]
    [InlineData("nessuno", Role.PoliceOperator, "not-found")]
    public async Task RoleChanges_ThatCannotBe_AreRefused(string user, Role role, string code)
    {
        (await Administration.SetRoleAsync(Admin, user, role, null, Ct)).Refusal!.Code.ShouldBe(code);
        (await AuditedAsync("account.")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Unlock_LetsALockedAccountSignInAgain()
    {
        var user = Role.PoliceSupervisor.ToCode();
        await SignedInApp.PostSignInAsync(_app.Client(), user, "sbagliata", Ct); // the limit here is one
        (await SignedInApp.PostSignInAsync(_app.Client(), user, SignedInApp.Password, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await Administration.UnlockAsync(Admin, user, Ct)).Done.ShouldBeTrue();

        (await SignedInApp.PostSignInAsync(_app.Client(), user, SignedInApp.Password, Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AuditedAsync("account.unlocked")).Single().Entry.Actor.ShouldBe(Admin.Name);
        (await Administration.UnlockAsync(Admin, new string('x', 2_000), Ct)).Refusal!.Code.ShouldBe("not-found");
    }

    [Fact]
    public async Task ANewPassword_ReplacesTheOldOne_AndEndsOpenSessions()
    {
        var user = Role.ItOperations.ToCode();
        using var session = await _app.SignedInAsync(Role.ItOperations, Ct);

        var change = await Administration.ReissueSecretAsync(Admin, user, Ct);

        (await session.GetAsync("", Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await SignedInApp.PostSignInAsync(_app.Client(), user, change.Secret!, Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await SignedInApp.PostSignInAsync(_app.Client(), user, SignedInApp.Password, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Accounts.FindAccountAsync(user, Ct))!.MustChangePassword.ShouldBeTrue();
        (await AuditedAsync("account.password-reset")).Count.ShouldBe(1);
        (await Administration.ReissueSecretAsync(Admin, Admin.Name, Ct)).Refusal!.Code.ShouldBe("own-account");
    }

    [Fact]
    public async Task RevokingTheWallScreen_EndsItsSession_AndItsTokenNoLongerWorks()
    {
        using var screen = await _app.SignedInAsync(Role.WallScreen, Ct);

        (await Administration.DeleteAsync(Admin, Role.WallScreen.ToCode(), Ct)).Done.ShouldBeTrue();

        (await screen.GetAsync("", Ct)).Headers.Location!.AbsolutePath.ShouldBe(AccountEndpoints.SignInPath);
        (await SignedInApp.PostDeviceSignInAsync(_app.Client(), SignedInApp.WallScreenToken, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AuditedAsync("account.device-revoked")).Single().Entry.Subject.ShouldBe(Role.WallScreen.ToCode());
        (await Administration.DeleteAsync(Admin, Admin.Name, Ct)).Refusal!.Code.ShouldBe("own-account");
        (await Administration.DeleteAsync(Admin, "nessuno", Ct)).Refusal!.Code.ShouldBe("not-found");
    }
}
