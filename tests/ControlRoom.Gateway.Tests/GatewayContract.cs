using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ControlRoom.EventStream;
using Microsoft.AspNetCore.SignalR;

namespace ControlRoom.Gateway.Tests;

/// <summary>Ingest → stream → hub, end to end through real HTTP and real SignalR, on each stream implementation.</summary>
public abstract class GatewayContract : IAsyncLifetime
{
    private GatewayHost? _host;

    protected abstract string? Redis { get; }

    protected GatewayHost Host => _host!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await GatewayHost.StartAsync(Redis);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public static string Event(string id, double lon = 9.19, double lat = 45.46, string type = "it.milano.nco.sensor.alert.raised") =>
        "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/test\",\"type\":\"" + type
        + "\",\"severity\":\"severe\",\"data\":{\"title\":\"" + id + "\",\"location\":{\"type\":\"Point\",\"coordinates\":["
        + lon.ToString(CultureInfo.InvariantCulture) + "," + lat.ToString(CultureInfo.InvariantCulture) + "]}}}";

    protected Task<HttpResponseMessage> PostAsync(string body, string mediaType = "application/cloudevents+json") =>
        Host.Http.PostAsync("api/events", new StringContent(body, Encoding.UTF8, mediaType), Ct);

    protected Task<HttpResponseMessage> PostBatchAsync(params string[] ids) =>
        PostAsync("[" + string.Join(",", ids.Select(id => Event(id))) + "]", "application/cloudevents-batch+json");

    [Fact]
    public async Task Ingest_SingleEvent_ReachesASubscribedScreen()
    {
        await using var screen = await Host.ConnectAsync();

        var response = await PostAsync(Event("one"));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await screen.WaitUntilAsync(s => s.Received.Count == 1);
        var received = screen.Received.Single();
        received.Event.Id.ShouldBe("one");
        received.Event.Location.ShouldNotBeNull().Coordinate.Y.ShouldBe(45.46);
        screen.StreamStatus.ShouldContain(true);
    }

    [Fact]
    public async Task Ingest_Batch_ReachesEveryScreenOnceInStreamOrder()
    {
        await using var first = await Host.ConnectAsync();
        await using var second = await Host.ConnectAsync();
        var ids = Enumerable.Range(1, 40).Select(i => $"b{i}").ToArray();

        (await PostBatchAsync(ids[..20])).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await PostBatchAsync(ids[20..])).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        foreach (var screen in new[] { first, second })
        {
            await screen.WaitUntilAsync(s => s.Received.Count >= 40);
            screen.ReceivedIds.ShouldBe(ids);
            var streamIds = screen.Received.Select(e => StreamId.Parse(e.StreamId)).ToList();
            streamIds.ShouldBe(streamIds.Order());
        }
    }

    [Fact]
    public async Task Subscribe_WithALastSeenId_ReplaysExactlyTheGap()
    {
        string lastSeen;
        await using (var screen = await Host.ConnectAsync())
        {
            await PostBatchAsync("g1", "g2", "g3");
            await screen.WaitUntilAsync(s => s.Received.Count == 3);
            lastSeen = screen.Received.Last().StreamId;
        }

        // While the screen is away.
        await PostBatchAsync("g4", "g5", "g6");

        await using var back = await Host.ConnectAsync(lastSeen);
        await PostAsync(Event("g7"));
        await back.WaitUntilAsync(s => s.ReceivedIds.Contains("g7"));

        back.ReceivedIds.ShouldBe(["g4", "g5", "g6", "g7"]);
    }

    [Fact]
    public async Task Subscribe_WithoutALastSeenId_ReplaysTheRetainedWindow()
    {
        await PostBatchAsync("w1", "w2");

        await using var screen = await Host.ConnectAsync();

        await screen.WaitUntilAsync(s => s.Received.Count == 2);
        screen.ReceivedIds.ShouldBe(["w1", "w2"]);
    }

    [Fact]
    public async Task Subscribe_WithAMalformedId_IsRefused()
    {
        await using var screen = await Host.ConnectAsync();

        var error = await Should.ThrowAsync<HubException>(() => screen.InvokeSubscribeAsync("yesterday"));

        error.Message.ShouldContain("not a stream id");
    }

    private static readonly string[] Visibilities = ["public", "restricted", "operations", "confidential"];

    [Fact]
    public async Task Hub_SendsAScreenOnlyEventsUpToItsKeysCeiling()
    {
        await using var screen = await Host.ConnectAsync(key: GatewayHost.ScreenKey.Key); // ceiling: operations
        await using var full = await Host.ConnectAsync(); // ceiling: confidential
        var batch = "[" + string.Join(",",
            Visibilities.Select(v =>
                Event("v-" + v).Replace("\"severity\":", "\"visibility\":\"" + v + "\",\"severity\":", StringComparison.Ordinal))) + "]";

        (await PostAsync(batch, "application/cloudevents-batch+json")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await PostAsync(Event("marker"));

        await screen.WaitUntilAsync(s => s.ReceivedIds.Contains("marker"));
        await full.WaitUntilAsync(s => s.ReceivedIds.Contains("marker"));
        screen.ReceivedIds.ShouldBe(["v-public", "v-operations", "marker"]);
        full.ReceivedIds.Count.ShouldBe(5);
    }

    [Fact]
    public async Task Ingest_SameIdTwice_IsAcceptedOnce()
    {
        var first = await PostAsync(Event("again"));
        var second = await PostAsync(Event("again"));

        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        second.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        using var body = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Ct));
        body.RootElement.GetProperty("duplicates").GetInt32().ShouldBe(1);
        body.RootElement.GetProperty("accepted").GetInt32().ShouldBe(0);
        (await Host.Stream.GetInfoAsync(Ct)).Length.ShouldBe(1);
    }

    public static TheoryData<string, string, string, HttpStatusCode, string> BadRequests => new()
    {
        { "malformed JSON", "{\"specversion\":\"1.0\",", "application/cloudevents+json", HttpStatusCode.BadRequest, "Malformed JSON" },
        { "unknown type", Event("u1", type: "com.example.nope"), "application/cloudevents+json", HttpStatusCode.BadRequest, "Unknown event type" },
        { "missing id", Event("u2").Replace("\"id\":\"u2\",", "", StringComparison.Ordinal), "application/cloudevents+json", HttpStatusCode.BadRequest, "'id'" },
        { "longitude out of range", Event("u3", lon: 181), "application/cloudevents+json", HttpStatusCode.BadRequest, "outside WGS84" },
        { "latitude out of range", Event("u4", lat: 91), "application/cloudevents+json", HttpStatusCode.BadRequest, "outside WGS84" },
        { "oversized event", Event("u5").Replace("\"title\":\"u5\"", "\"title\":\"" + new string('x', 5000) + "\"", StringComparison.Ordinal), "application/cloudevents+json", HttpStatusCode.BadRequest, "at most 4096" },
        { "oversized body", "[" + string.Join(",", Enumerable.Range(0, 40).Select(i => Event($"big{i}").Replace("\"title\":", "\"pad\":\"" + new string('y', 2000) + "\",\"title\":", StringComparison.Ordinal))) + "]", "application/cloudevents-batch+json", HttpStatusCode.RequestEntityTooLarge, "at most 65536 bytes" },
        { "one bad event spoils the batch", "[" + Event("ok1") + "," + Event("bad", lat: -100) + "]", "application/cloudevents-batch+json", HttpStatusCode.BadRequest, "[1]" },
        { "empty batch", "[]", "application/cloudevents-batch+json", HttpStatusCode.BadRequest, "at least one event" },
        { "batch too long", "[" + string.Join(",", Enumerable.Range(0, 51).Select(i => Event($"n{i}"))) + "]", "application/cloudevents-batch+json", HttpStatusCode.BadRequest, "at most 50 events" },
        { "not JSON at all", "id=1", "text/plain", HttpStatusCode.UnsupportedMediaType, "Unsupported media type" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Ingest_BadInput_IsRefusedWithProblemDetails_AndLeavesTheStreamUntouched(
        string name, string body, string mediaType, HttpStatusCode expected, string reason)
    {
        await using var screen = await Host.ConnectAsync();
        var before = await Host.Stream.GetInfoAsync(Ct);

        var response = await PostAsync(body, mediaType);

        response.StatusCode.ShouldBe(expected, name);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain(reason);
        (await Host.Stream.GetInfoAsync(Ct)).ShouldBe(before);
        await Task.Delay(200, Ct);
        screen.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task Health_Ready_ReportsTheStream()
    {
        var live = await Host.Http.GetAsync("health/live", Ct);
        var ready = await Host.Http.GetFromJsonAsync<JsonElement>("health/ready", Ct);

        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        ready.GetProperty("status").GetString().ShouldBe("Healthy");
        ready.GetProperty("checks").GetProperty("stream").GetProperty("status").GetString().ShouldBe("Healthy");
    }
}

public sealed class InMemoryGatewayTests : GatewayContract
{
    protected override string? Redis => null;
}

public sealed class RedisGatewayTests : GatewayContract
{
    protected override string? Redis => ControlRoom.Tests.TestEnvironment.Redis;
}
