using System.Net.Sockets;
using ControlRoom.Domain.Systems;

namespace ControlRoom.Gateway.Systems;

/// <summary>One check's finding: the raw status, how long the answer took (none when there was no answer), and why, for the operators (in Italian).</summary>
public sealed record ProbeResult(SystemStatus Status, double? LatencyMs, string Detail);

/// <summary>
/// One active check of a system, retried at once when it fails: no answer (refused, timed out) is a major outage,
/// a wrong status or a missing keyword a partial outage (it answers, but not as it should), an answer slower than
/// <see cref="ProbeSettings.SlowAfter"/> degraded performance.
/// </summary>
public sealed class ProbeCheck(IHttpClientFactory clients, TimeProvider clock)
{
    public const string HttpClientName = "probes";
    private const int MaxBodyBytes = 1024 * 1024; // a keyword further in is not looked for

    public async Task<ProbeResult> RunAsync(ProbeSettings probe, CancellationToken cancellationToken)
    {
        var result = await OnceAsync(probe, cancellationToken);
        for (var retry = 0; retry < probe.Retries && result.Status.IsDown(); retry++)
            result = await OnceAsync(probe, cancellationToken);
        return result;
    }

    private async Task<ProbeResult> OnceAsync(ProbeSettings probe, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(probe.Timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var started = clock.GetTimestamp();
        double Elapsed() => clock.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            var (status, detail) = probe.Kind == "tcp"
                ? await ConnectAsync(probe, linked.Token)
                : await GetAsync(probe, linked.Token);
            var latency = Elapsed();
            if (status == SystemStatus.Operational && latency > probe.SlowAfter.TotalMilliseconds)
                return new ProbeResult(SystemStatus.DegradedPerformance, latency, $"{detail}, lenta: {latency:0} ms (oltre {probe.SlowAfter.TotalMilliseconds:0} ms)");
            return new ProbeResult(status, latency, $"{detail} in {latency:0} ms");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(SystemStatus.MajorOutage, null, $"Nessuna risposta entro {probe.Timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException)
        {
            return new ProbeResult(SystemStatus.MajorOutage, null, $"Irraggiungibile: {(e.InnerException ?? e).Message}");
        }
    }

    private static async Task<(SystemStatus, string)> ConnectAsync(ProbeSettings probe, CancellationToken cancellationToken)
    {
        var (host, port) = probe.TcpEndpoint()!.Value;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port, cancellationToken);
        return (SystemStatus.Operational, $"TCP {host}:{port} connesso");
    }

    private async Task<(SystemStatus, string)> GetAsync(ProbeSettings probe, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(HttpClientName);
        using var response = await http.GetAsync(probe.Target, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var code = (int)response.StatusCode;
        if (!probe.ExpectedStatuses()!(code))
            return (SystemStatus.PartialOutage, $"HTTP {code}, atteso {probe.ExpectStatus}");
        if (probe.Keyword is { Length: > 0 } keyword && !(await ReadStartAsync(response, cancellationToken)).Contains(keyword, StringComparison.Ordinal))
            return (SystemStatus.PartialOutage, $"HTTP {code} senza «{keyword}»");
        return (SystemStatus.Operational, $"HTTP {code}");
    }

    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            read += n;
        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }
}
