using System.Net;
using System.Text;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Tests;
using Microsoft.AspNetCore.SignalR.Client;

namespace ControlRoom.Gateway.Tests;

/// <summary>
/// Ingest and the hub take API keys: unknown, revoked or mis-scoped keys are refused with a reason and
/// leave nothing on the stream; each key has its own request budget (the hub's ceiling per key: GatewayContract).
/// </summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private static readonly TestApiKey Sensors = TestApiKey.Create("sensors", scopes: "ingest", types: "it.milano.nco.sensor.", maxVisibility: "restricted", permitsPerMinute: 3);
    private static readonly TestApiKey Revoked = TestApiKey.Create("old");
    private GatewayHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _host = await GatewayHost.StartAsync(null, new Dictionary<string, string?>(Sensors.Settings.Concat(Revoked.Settings))
        {
            ["ApiKeys:old:Revoked"] = "true",
        });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static string Event(string id, string type = "it.milano.nco.sensor.alert.raised", string visibility = "operations") =>
        GatewayContract.Event(id, type: type).Replace("\"specversion\"", $"\"visibility\":\"{visibility}\",\"specversion\"", StringComparison.Ordinal);

    private async Task<HttpResponseMessage> PostAsync(string? key, string body)
    {
        using var client = _host.Client(key);
        return await client.PostAsync("api/events", new StringContent(body, Encoding.UTF8, "application/cloudevents+json"), Ct);
    }

    private async Task<long> StreamLengthAsync() => (await _host.Stream.GetInfoAsync(Ct)).Length;

    [Theory]
    [InlineData(null)]
    [InlineData("crk_sensors_not-the-key")]
    [InlineData("crk_nobody_whatever")]
    [InlineData("not-even-a-key")]
    public async Task Ingest_WithoutAValidKey_Is401WithAReason_AndAppendsNothing(string? key)
    {
        using var response = await PostAsync(key, Event("k1"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("API key");
        (await StreamLengthAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task ARevokedKey_IsRefused()
    {
        using var response = await PostAsync(Revoked.Key, Event("k2"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AKeyWithoutTheIngestScope_Is403()
    {
        using var response = await PostAsync(GatewayHost.ScreenKey.Key, Event("k3"));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await StreamLengthAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData("it.milano.nco.incident.updated", "operations", "may not send events of type")]
    [InlineData("it.milano.nco.sensor.alert.raised", "confidential", "up to 'restricted', not 'confidential'")]
    public async Task EventsOutsideTheKeysScope_Are403_NamingWhy_AndNothingOfTheBatchIsAppended(string type, string visibility, string reason)
    {
        var batch = "[" + Event("ok-1") + "," + Event("bad", type, visibility) + "]";
        using var client = _host.Client(Sensors.Key);

        using var response = await client.PostAsync("api/events", new StringContent(batch, Encoding.UTF8, "application/cloudevents-batch+json"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var problem = await response.Content.ReadAsStringAsync(Ct);
        problem.ShouldContain("[1]");
        problem.ShouldContain(reason);
        (await StreamLengthAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task EachKey_HasItsOwnBudget_AndTheExcessIs429WithRetryAfter()
    {
        for (var i = 0; i < 3; i++)
            (await PostAsync(Sensors.Key, Event("r" + i))).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        using var over = await PostAsync(Sensors.Key, Event("r3"));
        using var otherKey = await PostAsync(GatewayHost.Key.Key, Event("r4"));

        over.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        over.Headers.RetryAfter.ShouldNotBeNull();
        (await over.Content.ReadAsStringAsync(Ct)).ShouldContain("More requests than allowed per minute");
        otherKey.StatusCode.ShouldBe(HttpStatusCode.Accepted); // the budget is per key
        (await StreamLengthAsync()).ShouldBe(4);
    }

    [Fact]
    public async Task ARevokedKey_IsRefusedAtOnce_AndItsOpenHubConnectionIsClosedAtTheNextRecheck()
    {
        var watcher = TestApiKey.Create("watcher", scopes: "subscribe");
        await using var host = await GatewayHost.StartAsync(null, new Dictionary<string, string?>(watcher.Settings) { ["Hub:KeyRecheck"] = "00:00:01" });
        var reconnects = 0;
        await using var screen = new HubConnectionBuilder()
            .WithUrl(new Uri(host.BaseAddress, EventsHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(watcher.Key))
            .WithAutomaticReconnect([TimeSpan.Zero, .. Enumerable.Repeat(TimeSpan.FromMilliseconds(200), 100)])
            .Build();
        screen.Reconnected += _ => { Interlocked.Increment(ref reconnects); return Task.CompletedTask; };
        await screen.StartAsync(Ct);

        await WaitForAsync(() => reconnects >= 1 && screen.State == HubConnectionState.Connected); // closed at the recheck, back at once: the key holds
        host.Revoke("watcher");
        await Task.Delay(2500, Ct); // past the next recheck

        screen.State.ShouldNotBe(HubConnectionState.Connected); // closed, and every reconnect is refused
        await Should.ThrowAsync<Exception>(() => host.ConnectAsync(key: watcher.Key));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
            await Task.Delay(100, Ct);
        condition().ShouldBeTrue();
    }

    [Fact]
    public async Task TheHub_RefusesAConnectionWithoutASubscribeKey()
    {
        await Should.ThrowAsync<Exception>(() => _host.ConnectAsync(key: Sensors.Key));
        await Should.ThrowAsync<Exception>(() => _host.ConnectAsync(key: "crk_nobody_x"));
    }
}
