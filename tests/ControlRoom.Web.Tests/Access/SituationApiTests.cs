using System.Net;
using System.Text.Json;
using ControlRoom.Domain.Access;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Geography;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Storage;
using ControlRoom.Web.Situation;
using Microsoft.Extensions.DependencyInjection;

namespace ControlRoom.Web.Tests.Access;

/// <summary>
/// The query API and the CSV export over HTTP, signed in as each role: the same rule as the screens, so a
/// wall screen or an event coordinator never receives a restricted alert or a caller's name by either.
/// </summary>
public sealed class SituationApiTests : IAsyncLifetime
{
    private SignedInApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = await SignedInApp.StartAsync();
        var t0 = DateTimeOffset.UtcNow;
        _app.Services.GetRequiredService<SituationStore>().Apply(new EventBatch([.. Enum.GetValues<Visibility>().Select((v, i) =>
            new WireEvent($"{i + 1}-0", new EventEnvelope
            {
                Id = "alert-" + v.ToWire(),
                Source = "/test",
                Type = EventTypes.SensorAlertRaised,
                Time = t0,
                Severity = Severity.Severe,
                Visibility = v,
                Location = Milan.Point(9.19, 45.46),
                Data = JsonSerializer.SerializeToElement(new { title = "Allarme " + v.ToWire(), caller = "Mario Rossi" }),
                PersonalData = ["caller"],
            }))]));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<Role, string[], bool> Seen => new()
    {
        { Role.PoliceOperator, ["alert-operations", "alert-public", "alert-restricted"], true },
        { Role.PoliceSupervisor, ["alert-confidential", "alert-operations", "alert-public", "alert-restricted"], true },
        { Role.ItOperations, ["alert-operations", "alert-public", "alert-restricted"], false },
        { Role.EventCoordinator, ["alert-operations", "alert-public"], false },
        { Role.WallScreen, ["alert-operations", "alert-public"], false },
        { Role.Administrator, ["alert-operations", "alert-public"], false },
    };

    [Theory]
    [MemberData(nameof(Seen))]
    public async Task TheQueryAndTheExport_GiveEachRoleOnlyWhatItsScreenShows(Role role, string[] expected, bool readsPersonal)
    {
        using var client = await _app.SignedInAsync(role, Ct, browser: false);

        var json = await client.GetStringAsync("api/situation", Ct);
        var csv = await client.GetStringAsync("api/situation/alerts.csv", Ct);

        using var document = JsonDocument.Parse(json);
        document.RootElement.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("key").GetString()!.Split('\n')[1]).Order()
            .ShouldBe(expected);
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1..];
        rows.Select(r => r.Split(',')[1].Trim('"')).Order().ShouldBe(expected);
        foreach (var hidden in Enum.GetValues<Visibility>().Select(v => "alert-" + v.ToWire()).Except(expected))
            (json + csv).ShouldNotContain(hidden);
        (json + csv).Contains("Mario Rossi", StringComparison.Ordinal).ShouldBe(readsPersonal);
        var exported = (await _app.Services.GetRequiredService<IIncidentStore>().ReadAuditAsync(new AuditQuery(Action: "situation.exported"), Ct)).Single();
        exported.Entry.Actor.ShouldBe(role.ToCode());
    }

    [Fact]
    public async Task AnIntegrator_GetsNeither()
    {
        using var client = await _app.SignedInAsync(Role.Integrator, Ct, browser: false);

        (await client.GetAsync("api/situation", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("api/situation/alerts.csv", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
