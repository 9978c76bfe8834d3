using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;

namespace ControlRoom.Benchmarks;

/// <summary>
/// (c) POST /api/events (batches, concurrent clients) → Redis stream → hub → (our hub client | the web's
/// situation store). The web store is seen from outside through a sentinel alert posted after the last
/// batch: the store applies the stream in order, so the sentinel in the feed means all N were applied.
/// </summary>
internal sealed record EndToEndResult(int Events, TimeSpan Ingest, TimeSpan HubClient, TimeSpan WebStore)
{
    public double IngestRate => Events / Ingest.TotalSeconds;
    public double HubClientRate => Events / HubClient.TotalSeconds;
    public double WebStoreRate => Events / WebStore.TotalSeconds;
}

internal static class EndToEnd
{
    public const int BatchSize = 500;

    public static async Task<EndToEndResult> RunAsync(Uri baseAddress, HubProbe probe, IPage page, int events, int clients, TimeSpan timeout)
    {
        var run = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        // Bodies are made before the clock starts: the load generator's JSON is not the product's cost.
        var bodies = Enumerable.Range(0, (events + BatchSize - 1) / BatchSize)
            .Select(b => BenchEvents.BatchJson(Enumerable.Range(b * BatchSize, Math.Min(BatchSize, events - b * BatchSize))
                .Select(i => BenchEvents.Observation($"{run}-{i}", i))))
            .ToArray();
        var sentinelId = $"{run}-sentinel";

        probe.ResetCount();
        var http = Enumerable.Range(0, clients).Select(_ => WebProcess.Client(baseAddress, timeout)).ToArray();
        try
        {
            var startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var clock = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(http.Select(async client =>
            {
                int b;
                while ((b = Interlocked.Increment(ref next)) < bodies.Length)
                    await PostAsync(client, bodies[b], BenchEvents.BatchMediaType);
            }));
            var ingest = clock.Elapsed;

            var sentinel = BenchEvents.Alert(sentinelId, events, DateTimeOffset.UtcNow);
            var hubArrival = probe.ArrivalOf(sentinelId);
            await PostAsync(http[0], BenchEvents.Json(sentinel), BenchEvents.SingleMediaType);

            await hubArrival.WaitAsync(timeout);
            var hubClient = clock.Elapsed;
            if (probe.Events != events + 1)
                throw new InvalidOperationException($"Our hub client received {probe.Events} of {events + 1} benchmark events.");

            var key = BenchEvents.Key(sentinelId);
            await page.WaitForFunctionAsync("k => window.__crSeen && k in window.__crSeen", key,
                new() { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 20 });
            var seen = (await Screens.SeenAsync(page, [key]))[0]!.Value;
            var webStore = TimeSpan.FromMilliseconds(seen - startMs);
            return new EndToEndResult(events, ingest, hubClient, webStore);
        }
        finally
        {
            foreach (var client in http)
                client.Dispose();
        }
    }

    /// <summary>Posts and insists on 202; returns the stream id of the last event accepted.</summary>
    public static async Task<string> PostAsync(HttpClient client, byte[] body, string mediaType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await client.PostAsync(new Uri("api/events", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"POST /api/events answered {(int)response.StatusCode}: {text}");
        using var json = System.Text.Json.JsonDocument.Parse(text);
        var accepted = json.RootElement.GetProperty("events");
        return accepted[accepted.GetArrayLength() - 1].GetProperty("streamId").GetString()!;
    }
}
