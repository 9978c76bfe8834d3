using System.Security.Claims;
using ControlRoom.Domain.Access;
using ControlRoom.Storage;
using ControlRoom.Storage.Embedded;
using ControlRoom.Web.Features.Access;
using Microsoft.Extensions.Options;

namespace ControlRoom.Web.Tests.Access;

/// <summary>How a provider's token becomes a session: one role from the role claim (mapped or by code), or none.</summary>
public sealed class OidcSignInTests : IAsyncDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"controlroom-oidc-{Guid.NewGuid():N}.db");
    private readonly SqliteIncidentStore _store;

    public OidcSignInTests() => _store = new SqliteIncidentStore(_database, TimeProvider.System);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<ClaimsPrincipal?> SessionAsync(params Claim[] claims)
    {
        await _store.MigrateAsync(Ct);
        var oidc = new OidcOptions { Authority = "https://idp.example", RoleMap = { ["ControlRoom.Supervisor"] = "pl-supervisor" } };
        return await new OidcSignIn(_store, Options.Create(oidc), Options.Create(new AccountOptions()), TimeProvider.System)
            .SessionForAsync(new ClaimsPrincipal(new ClaimsIdentity(claims, "token")), "10.0.0.7", Ct);
    }

    [Theory]
    [InlineData("pl-operator", Role.PoliceOperator)]
    [InlineData("ControlRoom.Supervisor", Role.PoliceSupervisor)]
    [InlineData("[\"visitor\",\"coc-staff\"]", Role.CivilProtection)]
    public async Task TheFirstRecognisedRole_IsTheSessionsRole(string roles, Role expected)
    {
        var session = await SessionAsync(new Claim("sub", "123"), new Claim("preferred_username", "M.Rossi"), new Claim("name", "Mario Rossi"), new Claim("roles", roles));

        session.ShouldNotBeNull();
        session.Identity!.Name.ShouldBe("m.rossi");
        AccountClaims.RoleOf(session).ShouldBe(expected);
        session.FindFirstValue(AccountClaims.DisplayName).ShouldBe("Mario Rossi");
        session.Identity.AuthenticationType.ShouldBe(OidcSignIn.AuthenticationType);
    }

    [Theory]
    [InlineData("visitor")]
    [InlineData("integrator")] // a producer's role, never a person's session
    public async Task WithoutAControlRoomRole_ThereIsNoSession_AndTheRefusalIsAudited(string roles)
    {
        (await SessionAsync(new Claim("sub", "123"), new Claim("preferred_username", "ospite"), new Claim("roles", roles))).ShouldBeNull();

        (await _store.ReadAuditAsync(new AuditQuery(), Ct)).Single().Entry.Action.ShouldBe("auth.sign-in-refused");
    }

    [Fact]
    public async Task AUserNameThatIsNotSafe_IsReplacedByAStableOneFromIssuerAndSubject()
    {
        var first = await SessionAsync(new Claim("sub", "abc"), new Claim("preferred_username", "mario rossi <x>"), new Claim("roles", "pl-operator"));
        var again = await SessionAsync(new Claim("sub", "abc"), new Claim("preferred_username", "Mario Rossi"), new Claim("roles", "pl-operator"), new Claim("iss", "https://idp.example"));

        first!.Identity!.Name.ShouldStartWith("oidc-");
        Account.IsValidUserName(first.Identity.Name).ShouldBeTrue();
        again!.Identity!.Name.ShouldBe(first.Identity.Name);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
            File.Delete(file);
        return ValueTask.CompletedTask;
    }
}
