using ControlRoom.Domain.Access;
using ControlRoom.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ControlRoom.Web.Tests.Access;

/// <summary>The audit trail's "from where": the forwarded client address only when the proxy sending it is trusted.</summary>
public sealed class TrustedProxyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, "127.0.0.1")] // nobody trusted: a client cannot pick its own address
    [InlineData("127.0.0.1", "203.0.113.9")]
    [InlineData("10.9.9.9", "127.0.0.1")] // another proxy is trusted, not this caller
    public async Task TheSignInIsAuditedFromTheForwardedAddress_OnlyThroughATrustedProxy(string? trusted, string origin)
    {
        await using var app = await SignedInApp.StartAsync(trusted is null ? null : new Dictionary<string, string?> { ["Hosting:TrustedProxies:0"] = trusted });
        using var client = app.Client();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");

        await SignedInApp.PostSignInAsync(client, Role.PoliceOperator.ToCode(), SignedInApp.Password, Ct);

        var signedIn = (await app.Services.GetRequiredService<IIncidentStore>().ReadAuditAsync(new AuditQuery(Action: "auth.signed-in"), Ct)).Single();
        signedIn.Entry.Origin.ShouldBe(origin);
    }
}
