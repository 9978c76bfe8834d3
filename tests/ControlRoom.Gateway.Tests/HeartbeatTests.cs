using System.Net;
using System.Text;
using ControlRoom.Domain.Events;
using ControlRoom.EventStream;
using ControlRoom.Tests;

namespace ControlRoom.Gateway.Tests;

/// <summary>Push heartbeats on real gateways sharing one Redis stream: calls become health events, a silence becomes one outage.</summary>
public sealed class HeartbeatTests
{
    private static readonly TestApiKey Sensors = TestApiKey.Create("sensors-only", scopes: "ingest", types: "it.milano.nco.sensor.");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Expecting(string stream) => new(Sensors.Settings)
    {
        ["EventStream:Name"] = stream,
        ["Systems:Heartbeats:0:System"] = "crm-020202",
        ["Systems:Heartbeats:0:Every"] = "00:00:00.5",
        ["Systems:Heartbeats:0:Grace"] = "00:00:00.3",
    };

    private static async Task<HttpResponseMessage> BeatAsync(GatewayHost host, string system, string? body = null, string? key = null)
    {
        using var client = host.Client(key ?? GatewayHost.Key.Key);
        return await client.PostAsync($"api/systems/{system}/heartbeat",
            body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"), Ct);
    }

    private static async Task<List<EventEnvelope>> HealthAsync(GatewayHost host) =>
        [.. (await host.Stream.ReadAfterAsync(StreamId.Zero, 1000, Ct)).Select(e => e.Event).Where(e => e.Type == EventTypes.SystemHealthReported)];

    [Fact]
    public async Task AHeartbeat_IsAHealthEvent_AndASilence_IsOneOutageEvenWithTwoGateways()
    {
        var stream = TestEnvironment.UniqueStreamName();
        await using var first = await GatewayHost.StartAsync(TestEnvironment.Redis, Expecting(stream));
        await using var second = await GatewayHost.StartAsync(TestEnvironment.Redis, Expecting(stream));

        (await BeatAsync(first, "crm-020202", """{ "status": "degraded-performance", "latencyMs": 850, "message": "Code lente" }""")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var beat = (await HealthAsync(first)).ShouldHaveSingleItem();
        (beat.Subject, beat.Source, beat.TryGetString("status"), beat.TryGetString("input"), beat.Title)
            .ShouldBe(("crm-020202", "/heartbeats", "degraded-performance", "heartbeat", "Code lente"));

        // Then nothing for longer than Every + Grace: both gateways notice, the stream keeps one report.
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var silence = (await HealthAsync(second)).Skip(1).ShouldHaveSingleItem();
        silence.TryGetString("status").ShouldBe("major-outage");
        silence.Data.GetProperty("missing").GetBoolean().ShouldBeTrue();
        silence.Title!.ShouldStartWith("Nessun heartbeat dalle");

        (await BeatAsync(second, "crm-020202")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await HealthAsync(first))[^1].TryGetString("status").ShouldBe("operational");
    }

    [Fact]
    public async Task AHeartbeatNobodyExpects_OrMalformed_OrOutsideTheKey_IsRefused_AndNothingIsStored()
    {
        await using var host = await GatewayHost.StartAsync(TestEnvironment.Redis, Expecting(TestEnvironment.UniqueStreamName()));

        var unexpected = await BeatAsync(host, "pagopa");
        var notJson = await BeatAsync(host, "crm-020202", "{ status: ");
        var badStatus = await BeatAsync(host, "crm-020202", """{ "status": "rotto" }""");
        var badLatency = await BeatAsync(host, "crm-020202", """{ "latencyMs": -3 }""");
        var textLatency = await BeatAsync(host, "crm-020202", """{ "latencyMs": "veloce" }""");
        var ownMaintenance = await BeatAsync(host, "crm-020202", """{ "status": "under-maintenance" }""");
        var outsideScope = await BeatAsync(host, "crm-020202", key: Sensors.Key);
        var anonymous = await BeatAsync(host, "crm-020202", key: "");

        unexpected.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unexpected.Content.ReadAsStringAsync(Ct)).ShouldContain("Systems:Heartbeats");
        unexpected.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        notJson.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        badStatus.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badStatus.Content.ReadAsStringAsync(Ct)).ShouldContain("status must be one of");
        badLatency.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        textLatency.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ownMaintenance.StatusCode.ShouldBe(HttpStatusCode.BadRequest); // maintenance is planned in Systems:Maintenance, not declared by the system
        outsideScope.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await HealthAsync(host)).ShouldBeEmpty();
    }
}
