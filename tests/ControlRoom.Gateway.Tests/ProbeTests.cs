using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.EventStream;
using ControlRoom.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ControlRoom.Gateway.Tests;

/// <summary>
/// The probe engine in a real gateway (real Redis) against real endpoints on loopback: up, slow, wrong answer,
/// stopped, flapping, under maintenance, and TCP. Each finding is a health event on the stream.
/// </summary>
public sealed class ProbeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Probe(string target, string kind = "http", string? keyword = null, int slowAfterMs = 1000,
        int recoverAfter = 2, int flapChanges = 50) => new()
        {
            ["Systems:Probes:0:System"] = "video-surveillance",
            ["Systems:Probes:0:Kind"] = kind,
            ["Systems:Probes:0:Target"] = target,
            ["Systems:Probes:0:Keyword"] = keyword,
            ["Systems:Probes:0:Interval"] = "00:00:00.2",
            ["Systems:Probes:0:Timeout"] = "00:00:00.2",
            ["Systems:Probes:0:Retries"] = "1",
            ["Systems:Probes:0:SlowAfter"] = TimeSpan.FromMilliseconds(slowAfterMs).ToString(),
            ["Systems:RecoverAfter"] = recoverAfter.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Systems:FlapChanges"] = flapChanges.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary>The health events on the host's stream so far, oldest first.</summary>
    private static async Task<List<EventEnvelope>> FindingsAsync(GatewayHost host) =>
        [.. (await host.Stream.ReadAfterAsync(StreamId.Zero, 1000, Ct)).Select(e => e.Event).Where(e => e.Type == EventTypes.SystemHealthReported)];

    /// <summary>Waits for a finding matching <paramref name="match"/>; fails listing what was found.</summary>
    private static async Task<EventEnvelope> WaitForAsync(GatewayHost host, Func<EventEnvelope, bool> match, int seconds = 10)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var findings = await FindingsAsync(host);
            if (findings.FirstOrDefault(match) is { } found)
                return found;
            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(seconds))
                throw new TimeoutException("Not found among: " + string.Join("; ", findings.Select(f => $"{f.TryGetString("status")} ({f.Title})")));
            await Task.Delay(50, Ct);
        }
    }

    private static string Status(EventEnvelope e) => e.TryGetString("status")!;

    [Fact]
    public async Task AnAnswerInTime_IsOperational_WithItsLatency_AndEachCheckIsAnEvent()
    {
        await using var target = await ProbeTarget.StartAsync();
        await using var host = await GatewayHost.StartAsync(TestEnvironment.Redis, Probe(target.Address.ToString(), keyword: "pronto"));

        var finding = await WaitForAsync(host, _ => true);
        await WaitForAsync(host, e => e.Id != finding.Id);

        finding.Subject.ShouldBe("video-surveillance");
        finding.Source.ShouldBe("/probes");
        Status(finding).ShouldBe("operational");
        finding.TryGetString("input").ShouldBe("probe");
        finding.Data.GetProperty("latencyMs").GetDouble().ShouldBeInRange(0, 200);
        finding.Title!.ShouldStartWith("HTTP 200 in ");
    }

    [Fact]
    public async Task ASlowAnswer_IsDegradedPerformance()
    {
        await using var target = await ProbeTarget.StartAsync();
        target.Answer = async context =>
        {
            await Task.Delay(120);
            await context.Response.WriteAsync("servizio pronto");
        };
        await using var host = await GatewayHost.StartAsync(TestEnvironment.Redis, Probe(target.Address.ToString(), slowAfterMs: 60));

        var slow = await WaitForAsync(host, _ => true);

        Status(slow).ShouldBe("degraded-performance");
        slow.Data.GetProperty("latencyMs").GetDouble().ShouldBeGreaterThan(60);
        slow.Title!.ShouldContain("lenta");
    }

    [Fact]
    public async Task AWrongStatusOrAMissingKeyword_IsAPartialOutage()
    {
        await using var target = await ProbeTarget.StartAsync();
        target.Answer = context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return context.Response.WriteAsync("manutenzione");
        };
        await using var host = await GatewayHost.StartAsync(TestEnvironment.Redis, Probe(target.Address.ToString(), keyword: "pronto"));

        var wrongStatus = await WaitForAsync(host, _ => true);
        Status(wrongStatus).ShouldBe("partial-outage");
        wrongStatus.Title!.ShouldStartWith("HTTP 503, atteso 200-399");
        target.Requests.ShouldBeGreaterThanOrEqualTo(2); // the failed check was retried before it counted

        target.Answer = context => context.Response.WriteAsync("avvio in corso");
        var noKeyword = await WaitForAsync(host, e => e.Title!.Contains("senza «pronto»", StringComparison.Ordinal));
        Status(noKeyword).ShouldBe("partial-outage");
    }

    [Fact]
    public async Task AStoppedEndpoint_IsAMajorOutage_WithoutALatency()
    {
        await using var target = await ProbeTarget.StartAsync();
        await using var host = await GatewayHost.StartAsync(TestEnvironment.Redis, Probe(target.Address.ToString()));
        await WaitForAsync(host, e => Status(e) == "operational");

        await target.StopAsync();
        var down = await WaitForAsync(host, e => Status(e) == "major-outage");

        down.Title!.ShouldStartWith("Irraggiungibile");
        down.Severity.ShouldBe(Severity.Severe);
        down.Data.TryGetProperty("latencyMs", out var latency).ShouldBeTrue();
        latency.ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task AHangingEndpoint_TimesOut_AsAMajorOutage()
    {
        await using var target = await ProbeTarget.StartAsync();
        target.Answer = context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        await using var host = await GatewayHost.StartAsync(TestEnvironment.Redis, Probe(target.Address.ToString()));

        var down = await WaitForAsync(host, _ => true);

        Status(down).ShouldBe("major-outage");
        down.Title.ShouldBe("Nessuna risposta entro 200 ms");
    }

    [Fact]
    public async Task AFlappingEndpoint_IsReportedFlapping_AndHeldAtItsWorst()
    {
        await using var target = await ProbeTarget.StartAsync();
        target.Answer = context =>
        {
            // Every other check fails (a check is one request: good ones are not retried, a failed one is retried once and fails again).
            var failing = target.Requests % 3 != 1;
            context.Response.StatusCode = failing ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
            return Task.CompletedTask;
        };
        await using var host = await GatewayHost.StartAsync(TestEnvironment.Redis, Probe(target.Address.ToString(), recoverAfter: 1, flapChanges: 3));

        var flapping = await WaitForAsync(host, e => e.Data.GetProperty("flapping").GetBoolean());
        var after = await WaitForAsync(host, e => e.Data.GetProperty("flapping").GetBoolean() && e.Data.GetProperty("observed").GetString() == "operational");

        Status(flapping).ShouldBe("partial-outage");
        Status(after).ShouldBe("partial-outage"); // a good check while flapping does not bring it back
        var findings = await FindingsAsync(host);
        findings.Select(e => e.Data.GetProperty("observed").GetString()).Distinct().Order().ShouldBe(["operational", "partial-outage"]);
    }

    [Fact]
    public async Task WithinAMaintenanceWindow_AnOutageIsSilenced()
    {
        var settings = Probe($"127.0.0.1:{ProbeTarget.ClosedPort()}", kind: "tcp");
        settings["Systems:Maintenance:0:System"] = "video-surveillance";
        settings["Systems:Maintenance:0:From"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        settings["Systems:Maintenance:0:To"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        settings["Systems:Maintenance:0:Reason"] = "Aggiornamento del VMS";
        await using var host = await GatewayHost.StartAsync(TestEnvironment.Redis, settings);

        var finding = await WaitForAsync(host, _ => true);

        Status(finding).ShouldBe("under-maintenance");
        finding.TryGetString("silenced").ShouldBe("major-outage");
        finding.TryGetString("maintenance").ShouldBe("Aggiornamento del VMS");
        finding.Severity.ShouldBe(Severity.Info);
    }

    [Fact]
    public async Task ATcpProbe_IsOperationalWhileSomethingListens_AndAMajorOutageOnceItStops()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var host = await GatewayHost.StartAsync(TestEnvironment.Redis, Probe($"127.0.0.1:{port}", kind: "tcp"));

        var up = await WaitForAsync(host, _ => true);
        listener.Stop();
        var down = await WaitForAsync(host, e => Status(e) == "major-outage");

        Status(up).ShouldBe("operational");
        up.Title!.ShouldStartWith($"TCP 127.0.0.1:{port} connesso");
        down.Title!.ShouldStartWith("Irraggiungibile");
    }

    [Fact]
    public async Task AProbeOfAnUnknownSystem_OrWithABadTarget_StopsTheGatewayFromStarting()
    {
        var settings = Probe("not a url");
        settings["Systems:Probes:0:System"] = "no-such-system";

        var refused = await Should.ThrowAsync<OptionsValidationException>(() => GatewayHost.StartAsync(TestEnvironment.Redis, settings));

        refused.Message.ShouldContain("'no-such-system' is not a system of the catalogue");
        refused.Message.ShouldContain("Target must be an http(s) URL, not 'not a url'");
    }
}
