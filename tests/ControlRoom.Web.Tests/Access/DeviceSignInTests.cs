using System.Net;
using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;
using Microsoft.Extensions.DependencyInjection;

namespace ControlRoom.Web.Tests.Access;

/// <summary>Wall screens sign in with a device token, never a password; deleting the device ends its session.</summary>
public sealed class DeviceSignInTests : IAsyncLifetime
{
    private SignedInApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IIncidentStore Store => _app.Services.GetRequiredService<IIncidentStore>();

    private static readonly string Screen = Role.WallScreen.ToCode();

    public async ValueTask InitializeAsync() =>
        _app = await SignedInApp.StartAsync(new Dictionary<string, string?> { ["Accounts:MaxFailedSignIns"] = "2" });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IReadOnlyList<AuditRecord>> AuditedAsync(string actor) => await Store.ReadAuditAsync(new AuditQuery(Actor: actor), Ct);

    [Fact]
    public async Task TheDeviceToken_SignsTheWallScreenIn_WithAPersistentCookieForTheDeviceLifetime()
    {
        using var client = _app.Client();

        using var response = await SignedInApp.PostDeviceSignInAsync(client, SignedInApp.WallScreenToken, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AccessRegistration.CookieName + "=", StringComparison.Ordinal));
        var expires = DateTimeOffset.Parse(cookie.Split("expires=", StringSplitOptions.None)[1].Split(';')[0], System.Globalization.CultureInfo.InvariantCulture);
        (expires - DateTimeOffset.UtcNow).TotalDays.ShouldBeInRange(29.9, 30.1); // Accounts:DeviceSessionLifetime, kept across browser restarts
        (await client.GetAsync("", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var signedIn = (await AuditedAsync(Screen)).Single();
        signedIn.Entry.Action.ShouldBe("auth.signed-in");
        signedIn.Entry.Details.ShouldContain("\"device\":true");
    }

    [Fact]
    public async Task TheWallScreen_CannotUseThePasswordForm_AndStrangersCannotLockItOut()
    {
        using var client = _app.Client();

        for (var i = 0; i < 4; i++) // twice the lock limit, once with the token itself as the password
        {
            using var refused = await SignedInApp.PostSignInAsync(client, Screen, i == 0 ? SignedInApp.WallScreenToken : "indovina", Ct);
            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var account = (await ((IAccountStore)Store).FindAccountAsync(Screen, Ct))!;
        (account.FailedSignIns, account.LockedUntil).ShouldBe((0, null));
        (await AuditedAsync(Screen)).ShouldAllBe(r => r.Entry.Action == "auth.sign-in-failed" && r.Entry.Details.Contains("device-account"));
        (await SignedInApp.PostDeviceSignInAsync(client, SignedInApp.WallScreenToken, Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Theory]
    [InlineData("crd_wall-screen_abcdefghijkmnpqrstuvwxyz23456788", "wrong-token")] // one character off
    [InlineData("crd_pl-operator_abcdefghijkmnpqrstuvwxyz23456789", "unknown-device")] // a person's account is no device
    [InlineData("crd_nessuno_abcdefghijkmnpqrstuvwxyz23456789", "unknown-device")]
    public async Task AWrongToken_Is401_OpensNoSession_AndIsAudited(string token, string reason)
    {
        using var client = _app.Client();

        using var response = await SignedInApp.PostDeviceSignInAsync(client, token, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("Token non valido, sostituito o revocato.");
        (await client.GetAsync("", Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var audited = (await Store.ReadAuditAsync(new AuditQuery(Action: "auth."), Ct)).Single();
        audited.Entry.Details.ShouldContain(reason);
    }

    [Fact]
    public async Task ATokenPastedAsAUserName_IsRefused_AndNeverWrittenToTheAuditTrail()
    {
        using var response = await SignedInApp.PostSignInAsync(_app.Client(), SignedInApp.WallScreenToken, "qualsiasi", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Store.ReadAuditAsync(new AuditQuery(), Ct)).ShouldAllBe(r => !r.Entry.Actor.StartsWith("crd_") && !r.Entry.Subject.StartsWith("crd_"));
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("crd_wall-screen_troppo-corto", HttpStatusCode.Unauthorized)]
    [InlineData("Password-di-prova-1", HttpStatusCode.Unauthorized)]
    public async Task MalformedTokens_AreRefused_AndLeaveNoTrace(string token, HttpStatusCode status)
    {
        using var response = await SignedInApp.PostDeviceSignInAsync(_app.Client(), token, Ct);

        response.StatusCode.ShouldBe(status);
        (await Store.ReadAuditAsync(new AuditQuery(), Ct)).Select(r => r.Entry.Action).ShouldBe(["accounts.seeded"]);
    }

    [Fact]
    public async Task DeletingTheDevice_EndsItsSession_AtTheNextRequest()
    {
        using var client = await _app.SignedInAsync(Role.WallScreen, Ct);
        (await client.GetAsync("", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await ((IAccountStore)Store).DeleteAccountAsync(Screen, Role.WallScreen, new AuditEntry(DateTimeOffset.UtcNow, "admin", "account.deleted", Screen, "{}", "127.0.0.1"), Ct);

        (await client.GetAsync("", Ct)).Headers.Location!.AbsolutePath.ShouldBe(AccountEndpoints.SignInPath);
        (await SignedInApp.PostDeviceSignInAsync(client, SignedInApp.WallScreenToken, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
