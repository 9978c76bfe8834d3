using System.Net;
using ControlRoom.Domain.Access;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;

namespace ControlRoom.Web.Tests.Access;

/// <summary>
/// Role × endpoint: each role signed in for real, each page and endpoint asked for, allowed or refused as
/// the permission matrix says; without a session, a browser is sent to sign in and a program gets 401.
/// </summary>
public sealed class AccessMatrixTests : IAsyncLifetime
{
    private SignedInApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await SignedInApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Each protected path and the permission it needs (null: any signed-in account).</summary>
    private static readonly (string Path, Permission? Permission)[] Protected =
    [
        ("", Permission.ViewOperations),
        ("systems", Permission.ViewSystems),
        ("systems/wso2-interop", Permission.ViewSystems),
        ("audit", Permission.ReadAudit),
        ("audit/export.csv", Permission.ReadAudit),
        ("admin/accounts", Permission.ManageAccounts),
        ("api/situation", Permission.ViewOperations),
        ("api/situation/alerts.csv", Permission.ViewOperations),
        ("account/password", null),
    ];

    public static TheoryData<string> Paths => [.. Protected.Select(p => p.Path)];

    public static TheoryData<Role> Roles => [.. Enum.GetValues<Role>()];

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EachRole_GetsExactlyWhatItsPermissionsAllow(Role role)
    {
        using var client = await _app.SignedInAsync(role, Ct);
        using var program = await _app.SignedInAsync(role, Ct, browser: false);

        foreach (var (path, permission) in Protected)
        {
            var allowed = permission is not { } p || AccessPolicy.Allows(role, p);
            using var page = await client.GetAsync(path, Ct);
            using var api = await program.GetAsync(path, Ct);
            if (allowed)
            {
                page.StatusCode.ShouldBe(HttpStatusCode.OK, $"{role} {path}");
                api.StatusCode.ShouldBe(HttpStatusCode.OK, $"{role} {path}");
            }
            else
            {
                (page.StatusCode, page.Headers.Location?.AbsolutePath).ShouldBe((HttpStatusCode.Redirect, AccountEndpoints.DeniedPath), $"{role} {path}");
                api.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{role} {path}");
                api.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WithoutASession_ABrowserIsSentToSignIn_AndAProgramGets401(string path)
    {
        using var browser = _app.Client();
        using var program = _app.Client(browser: false);

        using var page = await browser.GetAsync(path, Ct);
        using var api = await program.GetAsync(path, Ct);

        (page.StatusCode, page.Headers.Location?.AbsolutePath).ShouldBe((HttpStatusCode.Redirect, AccountEndpoints.SignInPath));
        api.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PublicPaths_NeedNoSession()
    {
        using var client = _app.Client();
        foreach (var path in new[] { "account/signin", "account/device", "health/live", "css/app.css", "seed/geo/municipi.geojson" })
        {
            using var response = await client.GetAsync(path, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
    }

    [Fact]
    public async Task SignOut_NeedsTheFormsAntiforgeryToken_EndsTheSession_AndIsAudited()
    {
        using var client = await _app.SignedInAsync(Role.PoliceOperator, Ct);

        using (var forged = await client.PostAsync("account/signout", new FormUrlEncodedContent([]), Ct))
            forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest); // a cross-site form cannot sign anyone out
        (await client.GetAsync("", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var token = await SignedInApp.AntiforgeryTokenAsync(client, "account/password", Ct);
        using (var signOut = await client.PostAsync("account/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Ct))
            (signOut.StatusCode, signOut.Headers.Location?.OriginalString).ShouldBe((HttpStatusCode.Redirect, AccountEndpoints.SignInPath));

        (await client.GetAsync("", Ct)).Headers.Location!.AbsolutePath.ShouldBe(AccountEndpoints.SignInPath);
        var audit = await ((IIncidentStore)_app.Services.GetService(typeof(IIncidentStore))!).ReadAuditAsync(new AuditQuery(Actor: Role.PoliceOperator.ToCode()), Ct);
        audit.Select(r => r.Entry.Action).ShouldBe(["auth.signed-out", "auth.signed-in"]);
    }
}
