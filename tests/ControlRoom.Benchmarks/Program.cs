using System.Globalization;
using System.Runtime.InteropServices;
using ControlRoom.Benchmarks;
using Microsoft.Playwright;
using StackExchange.Redis;

// The benchmark command: scripts/bench.sh builds in Release, starts Redis and runs this. See docs/BENCHMARKS.md.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

try
{
    return await RunAsync(options, args);
}
catch (Exception ex)
{
    Console.Error.WriteLine($"FAILED: {ex}");
    return 1;
}

static async Task<int> RunAsync(BenchOptions o, string[] args)
{
    var started = DateTimeOffset.UtcNow;
    using var redis = await ConnectionMultiplexer.ConnectAsync(o.Redis);
    var redisVersion = redis.GetServers().First().Version;
    Console.WriteLine($"ControlRoom benchmark: N={o.Events}, screens={o.Screens}, {o.Alerts} alerts at {o.Rate}/s, Redis {redisVersion} at {o.Redis}");

    // (a) and (b), after a small warm-up of each (JIT, connection, scripts loaded).
    var warm = Enumerable.Range(0, 2000).Select(i => BenchEvents.Observation($"warm-{Guid.NewGuid():N}", i)).ToList();
    await RedisThroughput.RawAsync(redis, warm);
    await RedisThroughput.SeamAsync(redis, warm);
    var events = Enumerable.Range(0, o.Events).Select(i => BenchEvents.Observation($"seam-{Guid.NewGuid():N}", i)).ToList();
    Console.WriteLine("(a) raw XADD → XREAD ...");
    var raw = await RedisThroughput.RawAsync(redis, events);
    Console.WriteLine("(b) RedisEventStream ...");
    var seam = await RedisThroughput.SeamAsync(redis, events);
    events.Clear();

    // (c) and (d) against the web app as a child process, on a stream of its own.
    var streamName = "bench-web-" + Guid.NewGuid().ToString("N")[..12];
    EndToEndResult e2e;
    LatencyResult latency;
    var mapsReady = 0;
    Console.WriteLine($"starting the web app ({o.WebDll}) ...");
    await using (var web = await WebProcess.StartAsync(o.WebDll, o.Redis, streamName, Math.Max(100_000, o.Events * 2)))
    {
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Screens.LaunchAsync(playwright, o.Chromium);

            // Warm-up: one batch through the whole path, seen by the web (feed) and then our hub client.
            using (var http = WebProcess.Client(web.BaseAddress))
            {
                var warmId = "warm-" + Guid.NewGuid().ToString("N")[..8];
                await EndToEnd.PostAsync(http, BenchEvents.BatchJson(Enumerable.Range(0, EndToEnd.BatchSize)
                    .Select(i => BenchEvents.Observation($"{warmId}-{i}", i))), BenchEvents.BatchMediaType);
                var lastWarm = await EndToEnd.PostAsync(http,
                    BenchEvents.Json(BenchEvents.Alert(warmId + "-alert", 0, DateTimeOffset.UtcNow)), BenchEvents.SingleMediaType);
                await using var probe = await HubProbe.ConnectAsync(web.BaseAddress, lastWarm);
                var (e2ePage, _) = await Screens.OpenAsync(browser, web);
                Console.WriteLine($"(c) end to end, {o.Clients} HTTP clients ...");
                e2e = await EndToEnd.RunAsync(web.BaseAddress, probe, e2ePage, o.Events, o.Clients, TimeSpan.FromSeconds(180));
                await Screens.CloseAsync(e2ePage);

                Console.WriteLine($"(d) alert to screen, {o.Screens} pages ...");
                var pages = new List<IPage>();
                for (var i = 0; i < o.Screens; i++)
                {
                    var (page, mapReady) = await Screens.OpenAsync(browser, web);
                    pages.Add(page);
                    mapsReady += mapReady ? 1 : 0;
                }
                // Alerts before: the warm-up alert and the end-to-end sentinel.
                latency = await ScreenLatency.RunAsync(web.BaseAddress, probe, pages, o.Alerts, o.Rate, alertsBefore: 2);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}web app {web.State}; its output (tail):{Environment.NewLine}{web.OutputTail}", ex);
        }
    }
    await RedisThroughput.DeleteStreamAsync(redis, streamName);

    Report.Print(o, args, started, redisVersion.ToString(), raw, seam, e2e, latency, mapsReady);
    if (!latency.FeedsComplete || latency.HubClient.Missing > 0)
    {
        Console.Error.WriteLine($"FAILED: feed counts {string.Join(", ", latency.FeedCounts)} (expected {latency.ExpectedFeedCount} on every screen); "
            + $"{latency.HubClient.Missing} alerts never reached our hub client.");
        return 1;
    }
    return 0;
}

internal sealed record BenchOptions(string Redis, int Events, int Screens, int Alerts, double Rate, int Clients, string Chromium, string WebDll, bool Quick)
{
    public const string Usage = """
        usage: ControlRoom.Benchmarks --redis host:port [--events N] [--screens K] [--quick]
                                      [--alerts A] [--rate PER_SECOND] [--clients C] [--chromium PATH] [--web PATH/ControlRoom.Web.dll]
          --events   events for the throughput measures (default 50000; --quick 5000)
          --screens  browser pages open during the latency measure (default 4; --quick 2)
          --alerts   alerts posted one at a time for latency (default 200; --quick 40), at --rate per second (default 20)
          --clients  concurrent HTTP clients posting batches of 500 (default 4)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var o = new BenchOptions("", quick ? 5_000 : 50_000, quick ? 2 : 4, quick ? 40 : 200, 20, 4,
            Environment.GetEnvironmentVariable("CONTROLROOM_TEST_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium",
            "", quick);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
                continue;
            if (i + 1 >= args.Length)
                throw new ArgumentException($"{args[i]} needs a value.");
            var value = args[++i];
            o = args[i - 1] switch
            {
                "--redis" => o with { Redis = value },
                "--events" => o with { Events = Positive(value, "--events") },
                "--screens" => o with { Screens = Positive(value, "--screens") },
                "--alerts" => o with { Alerts = Positive(value, "--alerts") },
                "--rate" => o with { Rate = Positive(value, "--rate") },
                "--clients" => o with { Clients = Positive(value, "--clients") },
                "--chromium" => o with { Chromium = value },
                "--web" => o with { WebDll = value },
                _ => throw new ArgumentException($"Unknown argument {args[i - 1]}."),
            };
        }
        if (o.Redis.Length == 0)
            throw new ArgumentException("--redis host:port is required.");
        return o.WebDll.Length > 0 ? o : o with { WebDll = FindWebDll() };
    }

    private static int Positive(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} needs a positive whole number, not '{value}'.");

    /// <summary>The web app built beside this benchmark: same configuration first (Release, else Debug).</summary>
    private static string FindWebDll()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ControlRoom.sln")))
            root = root.Parent;
        if (root is null)
            throw new ArgumentException("ControlRoom.sln not found above the benchmark; pass --web PATH.");
        var own = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Debug" : "Release";
        foreach (var configuration in new[] { own, own == "Release" ? "Debug" : "Release" })
        {
            var dll = Path.Combine(root.FullName, "src", "ControlRoom.Web", "bin", configuration, "net10.0", "ControlRoom.Web.dll");
            if (File.Exists(dll))
                return dll;
        }
        throw new ArgumentException("ControlRoom.Web.dll not built: run dotnet build ControlRoom.sln -c Release, or pass --web PATH.");
    }
}

internal static class Report
{
    public static void Print(BenchOptions o, string[] args, DateTimeOffset started, string redisVersion,
        Throughput raw, Throughput seam, EndToEndResult e2e, LatencyResult latency, int mapsReady)
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        Console.WriteLine();
        Console.WriteLine($"ControlRoom benchmark, {started:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"command : ControlRoom.Benchmarks {string.Join(' ', args)}");
        Console.WriteLine($"machine : {Environment.ProcessorCount} logical cores, {memory:0.0} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, Redis {redisVersion} on loopback");
        Console.WriteLine($"load    : {LoadAverage()} (1/5/15-minute load average when the report was printed; other work on the machine skews every figure)");
        Console.WriteLine($"sizes   : N={o.Events} events; ingest batches of {EndToEnd.BatchSize} from {o.Clients} HTTP clients; {latency.Alerts} alerts at {o.Rate}/s to {latency.Pages} screens (map ready on {mapsReady})");
        Console.WriteLine();
        Console.WriteLine("throughput                                                 events  seconds     events/s  vs (a)");
        Row("(a) raw XADD (pipelined) + XREAD COUNT 1000", raw.Events, raw.Total, raw.Rate, raw.Rate);
        Row("      append only", raw.Events, raw.Append, raw.AppendRate, raw.AppendRate);
        Row("      read only", raw.Events, raw.Read, raw.ReadRate, raw.ReadRate);
        Row("(b) RedisEventStream AppendBatch + ReadAfter", seam.Events, seam.Total, seam.Rate, raw.Rate);
        Row("      append only (vs raw append)", seam.Events, seam.Append, seam.AppendRate, raw.AppendRate);
        Row("      read only (vs raw read)", seam.Events, seam.Read, seam.ReadRate, raw.ReadRate);
        Row("(c) POST /api/events, all 202", e2e.Events, e2e.Ingest, e2e.IngestRate, raw.Rate);
        Row("(c) POST → stream → hub → our hub client", e2e.Events, e2e.HubClient, e2e.HubClientRate, raw.Rate);
        Row("(c) POST → stream → hub → web store → feed", e2e.Events, e2e.WebStore, e2e.WebStoreRate, raw.Rate);
        Console.WriteLine();
        Console.WriteLine("latency from POST (ms)                           samples  missing     p50     p95     p99     max");
        LatencyRow("(d) alert → our hub client", latency.HubClient);
        LatencyRow($"(d) alert → row in feed, {latency.Pages} screens", latency.Screens);
        if (latency.Screens.Missing > 0)
        {
            var pages = latency.NeverRendered.Select((never, p) => never.Length == 0 ? null : $"screen {p + 1}: alerts {string.Join(' ', never)}")
                .Where(s => s is not null);
            Console.WriteLine($"    missing = rows never in that screen's DOM, though every feed lists every alert "
                + $"(counts {string.Join(", ", latency.FeedCounts)}): {string.Join("; ", pages)}");
        }
        Console.WriteLine();
        Console.WriteLine($"ratios  : seam/raw {seam.Rate / raw.Rate:0.00}; end to end (web store)/raw {e2e.WebStoreRate / raw.Rate:0.00}; "
            + $"end to end (hub client)/raw {e2e.HubClientRate / raw.Rate:0.00}; ingest/raw {e2e.IngestRate / raw.Rate:0.00}");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static void Row(string name, int events, TimeSpan time, double rate, double baseline) =>
        Console.WriteLine($"{name,-55} {events,8} {time.TotalSeconds,8:0.000} {rate,12:N0}  {rate / baseline,6:0.00}");

    private static void LatencyRow(string name, Latencies l) =>
        Console.WriteLine($"{name,-48} {l.Samples.Count,8} {l.Missing,8} {l.Percentile(50),7:0} {l.Percentile(95),7:0} {l.Percentile(99),7:0} {l.Percentile(100),7:0}");
}
