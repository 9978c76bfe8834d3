using System.Net;
using System.Text;

namespace ControlRoom.Gateway.Tests;

/// <summary>With Redis unreachable the gateway stays up and says so: health, hub status and ingest all tell the truth.</summary>
public sealed class StreamDownTests
{
    // Port 1 on loopback: nothing listens there, so every Redis call fails fast.
    private const string DeadRedis = "127.0.0.1:1,connectTimeout=300,asyncTimeout=1000,syncTimeout=1000,connectRetry=0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RedisDown_ReadyIsUnhealthy_ScreensAreToldAndIngestAnswers503()
    {
        await using var host = await GatewayHost.StartAsync(DeadRedis);
        await using var screen = await host.ConnectAsync();

        var ready = await host.Http.GetAsync("health/ready", Ct);
        var ingest = await host.Http.PostAsync("api/events",
            new StringContent(GatewayContract.Event("x"), Encoding.UTF8, "application/cloudevents+json"), Ct);

        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await host.Http.GetAsync("health/live", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        ingest.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await ingest.Content.ReadAsStringAsync(Ct)).ShouldContain("Stream unavailable");
        await screen.WaitUntilAsync(s => s.StreamStatus.Contains(false));
        screen.StreamStatus.ShouldNotContain(true);
    }
}
