using System.Net;
using ControlRoom.Domain.Access;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;
using Microsoft.Extensions.DependencyInjection;

namespace ControlRoom.Web.Tests.Access;

/// <summary>The sign-in form over HTTP: refusals with their status, lockout, and every attempt in the audit trail.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private SignedInApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IIncidentStore Store => _app.Services.GetRequiredService<IIncidentStore>();

    public async ValueTask InitializeAsync() =>
        _app = await SignedInApp.StartAsync(new Dictionary<string, string?> { ["Accounts:MaxFailedSignIns"] = "3" });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IReadOnlyList<string>> AuditedAsync(string actor) =>
        [.. (await Store.ReadAuditAsync(new AuditQuery(Actor: actor), Ct)).Select(r => r.Entry.Action)];

    [Fact]
    public async Task WrongPasswords_Are401_TheLimitLocks_AndEvenTheRightPasswordIsThenRefused()
    {
        using var client = _app.Client();
        var user = Role.EventCoordinator.ToCode();

        for (var i = 0; i < 2; i++)
        {
            using var wrong = await SignedInApp.PostSignInAsync(client, user, "sbagliata", Ct);
            wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await wrong.Content.ReadAsStringAsync(Ct)).ShouldContain("Nome utente o password non validi.");
        }
        using (var third = await SignedInApp.PostSignInAsync(client, user, "sbagliata", Ct))
            (await third.Content.ReadAsStringAsync(Ct)).ShouldContain("account bloccato fino alle");
        using (var right = await SignedInApp.PostSignInAsync(client, user, SignedInApp.Password, Ct))
        {
            right.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await right.Content.ReadAsStringAsync(Ct)).ShouldContain("account bloccato");
        }

        (await client.GetAsync("", Ct)).Headers.Location!.AbsolutePath.ShouldBe(AccountEndpoints.SignInPath); // no session
        (await AuditedAsync(user)).ShouldBe(["auth.sign-in-refused", "auth.sign-in-failed", "auth.sign-in-failed", "auth.sign-in-failed"]);
        (await ((IAccountStore)Store).FindAccountAsync(user, Ct))!.LockedUntil.ShouldNotBeNull();
    }

    [Fact]
    public async Task SignInPosts_HaveABudgetPerAddress_AndTheExcessIs429()
    {
        await using var app = await SignedInApp.StartAsync(new Dictionary<string, string?> { ["Accounts:SignInAttemptsPerMinute"] = "3" });
        using var client = app.Client();

        for (var i = 0; i < 3; i++)
            (await SignedInApp.PostSignInAsync(client, "nessuno", "x", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var over = await SignedInApp.PostSignInAsync(client, Role.PoliceOperator.ToCode(), SignedInApp.Password, Ct);

        over.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        over.Headers.RetryAfter.ShouldNotBeNull();
        (await client.GetAsync("account/signin", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK); // the page itself still opens
        (await ((IIncidentStore)app.Services.GetService(typeof(IIncidentStore))!).ReadAuditAsync(new AuditQuery(Action: "auth."), Ct)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task OutsideDevelopment_TheSessionCookieIsSecureHttpOnlyAndSameSiteLax()
    {
        await using var app = await SignedInApp.StartAsync(environment: "Production");

        using var response = await SignedInApp.PostSignInAsync(app.Client(), Role.PoliceOperator.ToCode(), SignedInApp.Password, Ct);

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AccessRegistration.CookieName + "=", StringComparison.Ordinal));
        cookie.ShouldContain("secure", Case.Insensitive);
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=lax", Case.Insensitive); // Strict would be lost on the way back from the identity provider
    }

    [Fact]
    public async Task SingleSignOn_WhenTheProviderDoesNotAnswer_SendsBackToSignInSayingSo()
    {
        await using var app = await SignedInApp.StartAsync(new Dictionary<string, string?>
        {
            ["Oidc:Authority"] = $"http://127.0.0.1:{ControlRoom.Tests.TestPorts.Closed()}",
            ["Oidc:ClientId"] = "controlroom",
            ["Oidc:RequireHttpsMetadata"] = "false",
        });
        using var client = app.Client();

        using var sso = await client.GetAsync("account/signin/sso?returnUrl=%2F", Ct);

        (sso.StatusCode, sso.Headers.Location?.OriginalString).ShouldBe((HttpStatusCode.Redirect, "/account/signin?sso=unavailable"));
        (await client.GetStringAsync(sso.Headers.Location, Ct)).ShouldContain("non risponde"); // accents are HTML-encoded
    }

    [Fact]
    public async Task UnknownUsers_AreRefusedLikeWrongPasswords_AndAudited_ButNothingIsCreated()
    {
        using var client = _app.Client();

        using var response = await SignedInApp.PostSignInAsync(client, "nessuno", SignedInApp.Password, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("Nome utente o password non validi.");
        (await AuditedAsync("nessuno")).ShouldBe(["auth.sign-in-failed"]);
        (await ((IAccountStore)Store).FindAccountAsync("nessuno", Ct)).ShouldBeNull();
    }

    [Theory]
    [InlineData("", "x", HttpStatusCode.BadRequest)]
    [InlineData("pl-operator", "", HttpStatusCode.BadRequest)]
    [InlineData("Robert'); DROP TABLE accounts;--", "x", HttpStatusCode.Unauthorized)]
    public async Task MalformedInput_IsRefusedWithAReason_AndLeavesNoTrace(string user, string password, HttpStatusCode status)
    {
        using var client = _app.Client();
        var before = (await Store.ReadAuditAsync(new AuditQuery(), Ct)).Count;

        using var response = await SignedInApp.PostSignInAsync(client, user, password, Ct);

        response.StatusCode.ShouldBe(status);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("data-testid=\"signin-error\"");
        (await Store.ReadAuditAsync(new AuditQuery(), Ct)).Count.ShouldBe(before);
    }

    [Fact]
    public async Task ASignInPostWithoutTheFormsToken_IsRefused()
    {
        using var client = _app.Client();

        using var response = await client.PostAsync("account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["Input.UserName"] = Role.PoliceOperator.ToCode(),
            ["Input.Password"] = SignedInApp.Password,
        }), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Fact]
    public async Task WrongCurrentPasswords_OnThePasswordPage_CountTowardsTheLock()
    {
        using var unattended = await _app.SignedInAsync(Role.EventCoordinator, Ct);
        for (var i = 0; i < 3; i++)
        {
            var token = await SignedInApp.AntiforgeryTokenAsync(unattended, "account/password", Ct);
            using var guess = await unattended.PostAsync("account/password", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "password",
                ["__RequestVerificationToken"] = token,
                ["Input.Current"] = "indovino-" + i,
                ["Input.Replacement"] = "Nuova-password-lunga",
                ["Input.Confirmation"] = "Nuova-password-lunga",
            }), Ct);
            guess.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        (await ((IAccountStore)Store).FindAccountAsync(Role.EventCoordinator.ToCode(), Ct))!.LockedUntil.ShouldNotBeNull();
        (await AuditedAsync(Role.EventCoordinator.ToCode())).Count(a => a == "account.password-change-failed").ShouldBe(3);
    }

    [Fact]
    public async Task AChangedPassword_EndsTheAccountsOtherSessions_AndTheOldPasswordNoLongerWorks()
    {
        using var here = await _app.SignedInAsync(Role.PoliceSupervisor, Ct);
        using var elsewhere = await _app.SignedInAsync(Role.PoliceSupervisor, Ct);
        var token = await SignedInApp.AntiforgeryTokenAsync(here, "account/password", Ct);

        using var change = await here.PostAsync("account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "password",
            ["__RequestVerificationToken"] = token,
            ["Input.Current"] = SignedInApp.Password,
            ["Input.Replacement"] = "Nuova-password-lunga",
            ["Input.Confirmation"] = "Nuova-password-lunga",
        }), Ct);

        change.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await change.Content.ReadAsStringAsync(Ct)).ShouldContain("data-testid=\"password-changed\"");
        (await here.GetAsync("", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await elsewhere.GetAsync("", Ct)).Headers.Location!.AbsolutePath.ShouldBe(AccountEndpoints.SignInPath);
        using var old = await SignedInApp.PostSignInAsync(_app.Client(), Role.PoliceSupervisor.ToCode(), SignedInApp.Password, Ct);
        old.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AuditedAsync(Role.PoliceSupervisor.ToCode())).ShouldContain("account.password-changed");
    }
}
