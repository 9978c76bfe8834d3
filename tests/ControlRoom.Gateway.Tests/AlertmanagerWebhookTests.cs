using System.Net;
using System.Text;
using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.EventStream;
using ControlRoom.Tests;

namespace ControlRoom.Gateway.Tests;

/// <summary>
/// The Alertmanager webhook against a real gateway: firing and resolved alerts of catalogue systems become
/// health events (once, however often Alertmanager repeats them); bad bodies are 400 and store nothing.
/// </summary>
public sealed class AlertmanagerWebhookTests : IAsyncLifetime
{
    private static readonly TestApiKey Sensors = TestApiKey.Create("sensors-only", scopes: "ingest", types: "it.milano.nco.sensor.");
    private GatewayHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await GatewayHost.StartAsync(TestEnvironment.Redis, new Dictionary<string, string?>(Sensors.Settings));

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static string Notification(string status, params (string Status, string System, string Severity, string Fingerprint)[] alerts) =>
        JsonSerializer.Serialize(new
        {
            version = "4",
            groupKey = "{}:{alertname=\"test\"}",
            truncatedAlerts = 0,
            status,
            receiver = "controlroom",
            groupLabels = new { },
            commonLabels = new { },
            commonAnnotations = new { },
            externalURL = "http://alertmanager:9093",
            alerts = alerts.Select(a => new
            {
                status = a.Status,
                labels = new Dictionary<string, string> { ["alertname"] = "ProbeFailed", ["system"] = a.System, ["severity"] = a.Severity },
                annotations = new { summary = $"{a.System} non risponde" },
                startsAt = "2026-11-23T08:00:00.123456789Z",
                endsAt = a.Status == "resolved" ? "2026-11-23T08:20:00Z" : "0001-01-01T00:00:00Z",
                generatorURL = "http://prometheus:9090/graph",
                fingerprint = a.Fingerprint,
            }),
        });

    private async Task<HttpResponseMessage> PostAsync(string body, string? key = null)
    {
        using var client = _host.Client(key ?? GatewayHost.Key.Key);
        return await client.PostAsync("api/alertmanager", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
    }

    private async Task<IReadOnlyList<EventEnvelope>> StoredAsync() =>
        [.. (await _host.Stream.ReadAfterAsync(StreamId.Zero, 100, Ct)).Select(e => e.Event)];

    [Fact]
    public async Task FiringThenResolved_BecomeHealthEventsOfTheLabelledSystem_AndARepeatIsAcceptedOnce()
    {
        var firing = Notification("firing", ("firing", "sctt", "critical", "fa11ed0000000001"), ("firing", "ufficio-ignoto", "critical", "fa11ed0000000002"));

        using var first = await PostAsync(firing);
        using var repeat = await PostAsync(firing); // Alertmanager repeats at its repeat_interval
        using var resolved = await PostAsync(Notification("resolved", ("resolved", "sctt", "critical", "fa11ed0000000001")));

        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        using (var answer = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Ct)))
        {
            answer.RootElement.GetProperty("accepted").GetInt32().ShouldBe(1);
            answer.RootElement.GetProperty("ignored")[0].GetProperty("reason").GetString().ShouldBe("'ufficio-ignoto' is not in the catalogue");
        }
        using (var answer = JsonDocument.Parse(await repeat.Content.ReadAsStringAsync(Ct)))
            answer.RootElement.GetProperty("duplicates").GetInt32().ShouldBe(1);
        var stored = await StoredAsync();
        stored.Select(e => (e.Type, e.Subject, e.Source)).Distinct().ShouldBe([(EventTypes.SystemHealthReported, "sctt", "/alertmanager")]);
        stored.Select(e => e.Data.GetProperty("status").GetString()).ShouldBe(["major-outage", "operational"]);
        stored.Select(e => e.Severity).ShouldBe([Severity.Severe, Severity.Info]);
        stored[0].Data.GetProperty("title").GetString().ShouldBe("sctt non risponde");
        stored[1].Time.ShouldBe(new DateTimeOffset(2026, 11, 23, 8, 20, 0, TimeSpan.Zero)); // resolved at its end
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{ "version": "3", "alerts": [] }""", "version")]
    [InlineData("""{ "version": "4", "status": "firing", "alerts": [ { "labels": { "system": "sctt" }, "startsAt": "ieri" } ] }""", "Alert 1")]
    public async Task ABadBody_Is400WithTheReason_AndStoresNothing(string body, string reason)
    {
        using var response = await PostAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain(reason);
        (await StoredAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task AKeyNotScopedToHealthEvents_Is403_AndStoresNothing()
    {
        using var response = await PostAsync(Notification("firing", ("firing", "radio", "critical", "fa11ed0000000003")), Sensors.Key);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await StoredAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task WithoutAKey_Is401()
    {
        using var client = _host.Client(null);
        using var response = await client.PostAsync("api/alertmanager", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
