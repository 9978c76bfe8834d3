using System.Diagnostics;
using Microsoft.Playwright;

namespace ControlRoom.Benchmarks;

/// <summary>Latency samples in milliseconds, with nearest-rank percentiles.</summary>
internal sealed record Latencies(IReadOnlyList<double> Samples, int Expected)
{
    public int Missing => Expected - Samples.Count;

    public double Percentile(double p)
    {
        if (Samples.Count == 0)
            return double.NaN;
        var sorted = Samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <param name="FeedCounts">Each page's feed count (.cr-feed-count) at the end: alerts in its list, rendered or not.</param>
/// <param name="NeverRendered">Per page, the alerts (by index) whose row never entered the DOM.</param>
internal sealed record LatencyResult(
    Latencies HubClient, Latencies Screens, int Alerts, int Pages, int ExpectedFeedCount, int[] FeedCounts, int[][] NeverRendered)
{
    public bool FeedsComplete => FeedCounts.All(c => c == ExpectedFeedCount);
}

/// <summary>
/// (d) Alerts posted one at a time at a steady rate while K operations pages are open; each page notes
/// when each alert's row appears. Latency = appeared (browser Date.now()) − posted (our clock), same host.
/// </summary>
internal static class ScreenLatency
{
    /// <param name="alertsBefore">Alerts already on this stream (each page's feed count starts there).</param>
    public static async Task<LatencyResult> RunAsync(Uri baseAddress, HubProbe probe, IReadOnlyList<IPage> pages, int alerts, double perSecond, int alertsBefore)
    {
        var run = "lat-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, alerts).Select(i => $"{run}-{i}").ToArray();
        var keys = ids.Select(BenchEvents.Key).ToArray();
        var posted = new long[alerts];
        using var http = WebProcess.Client(baseAddress);

        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < alerts; i++)
        {
            var wait = interval * i - clock.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            var now = DateTimeOffset.UtcNow;
            posted[i] = now.ToUnixTimeMilliseconds();
            await EndToEnd.PostAsync(http, BenchEvents.Json(BenchEvents.Alert(ids[i], i, now)), BenchEvents.SingleMediaType);
        }

        // Let the stragglers arrive: every page has every key, or 15 s pass.
        var settle = Stopwatch.StartNew();
        var seen = new long?[pages.Count][];
        while (true)
        {
            for (var p = 0; p < pages.Count; p++)
                seen[p] = await Screens.SeenAsync(pages[p], keys);
            if (seen.All(s => s.All(t => t is not null)) || settle.Elapsed > TimeSpan.FromSeconds(15))
                break;
            await Task.Delay(250);
        }

        var screen = new List<double>();
        foreach (var pageSeen in seen)
        {
            for (var i = 0; i < alerts; i++)
            {
                if (pageSeen[i] is { } t)
                    screen.Add(t - posted[i]);
            }
        }
        var hub = new List<double>();
        for (var i = 0; i < alerts; i++)
        {
            if (probe.AlertArrivals.TryGetValue(ids[i], out var t))
                hub.Add(t - posted[i]);
        }
        // A row the page never rendered may still be in its list, below the rendered window (Virtualize):
        // the feed count tells a lagging screen (alert scrolled past unseen) from a lost alert.
        var counts = new int[pages.Count];
        for (var p = 0; p < pages.Count; p++)
        {
            var text = await pages[p].EvaluateAsync<string>("() => document.querySelector('.cr-feed-count')?.textContent ?? ''");
            var digits = new string([.. text.Where(char.IsAsciiDigit)]);
            counts[p] = digits.Length > 0 ? int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) : -1;
        }
        var never = seen.Select(s => Enumerable.Range(0, alerts).Where(i => s[i] is null).ToArray()).ToArray();
        return new LatencyResult(new Latencies(hub, alerts), new Latencies(screen, alerts * pages.Count), alerts, pages.Count,
            alertsBefore + alerts, counts, never);
    }
}
