using System.Globalization;
using System.ComponentModel.DataAnnotations;
using ControlRoom.Domain.Systems;

namespace ControlRoom.Gateway.Systems;

/// <summary>The health inputs the gateway runs for the catalogue's systems: probes, expected heartbeats, planned maintenance.</summary>
public sealed class SystemsOptions
{
    public const string Section = "Systems";

    /// <summary>A deployment's own catalogue file; the seed built into the binaries when empty.</summary>
    public string? CataloguePath { get; set; }

    public List<ProbeSettings> Probes { get; set; } = [];

    public List<HeartbeatSettings> Heartbeats { get; set; } = [];

    /// <summary>Planned work: a system's alarms are silenced (shown as under maintenance) within its windows.</summary>
    public List<MaintenanceWindow> Maintenance { get; set; } = [];

    /// <summary>Probe results in a row needed before a better status is shown (worse is shown at once).</summary>
    [Range(1, 100)]
    public int RecoverAfter { get; set; } = 2;

    /// <summary>Changes within <see cref="FlapWindow"/> that make a probed system flapping (held at its worst).</summary>
    [Range(2, 1000)]
    public int FlapChanges { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FlapWindow { get; set; } = TimeSpan.FromMinutes(10);

    public DampingOptions Damping => new() { RecoverAfter = RecoverAfter, FlapChanges = FlapChanges, FlapWindow = FlapWindow };

    /// <summary>The window silencing <paramref name="system"/> at <paramref name="at"/>, if any.</summary>
    public MaintenanceWindow? MaintenanceAt(string system, DateTimeOffset at) =>
        Maintenance.FirstOrDefault(w => w.System == system && w.From <= at && at < w.To);

    /// <summary>Everything wrong with these settings against <paramref name="catalogue"/>, as sentences naming the entry.</summary>
    public IEnumerable<string> Problems(SystemCatalogue catalogue)
    {
        foreach (var (probe, i) in Probes.Select((p, i) => (p, i)))
        {
            foreach (var problem in probe.Problems(catalogue))
                yield return $"Systems:Probes:{i} ({probe.System}): {problem}";
        }
        foreach (var (heartbeat, i) in Heartbeats.Select((h, i) => (h, i)))
        {
            if (!catalogue.Contains(heartbeat.System ?? ""))
                yield return $"Systems:Heartbeats:{i}: '{heartbeat.System}' is not a system of the catalogue.";
            if (heartbeat.Every < TimeSpan.FromMilliseconds(100) || heartbeat.Grace < TimeSpan.Zero)
                yield return $"Systems:Heartbeats:{i} ({heartbeat.System}): Every must be at least 100 ms and Grace not negative.";
        }
        foreach (var duplicate in Probes.GroupBy(p => p.System).Where(g => g.Count() > 1))
            yield return $"Systems:Probes: '{duplicate.Key}' is probed {duplicate.Count()} times; one probe per system (its findings would replace each other).";
        foreach (var duplicate in Heartbeats.GroupBy(h => h.System).Where(g => g.Count() > 1))
            yield return $"Systems:Heartbeats: '{duplicate.Key}' is listed {duplicate.Count()} times.";
        foreach (var (window, i) in Maintenance.Select((w, i) => (w, i)))
        {
            if (!catalogue.Contains(window.System ?? ""))
                yield return $"Systems:Maintenance:{i}: '{window.System}' is not a system of the catalogue.";
            if (window.To <= window.From)
                yield return $"Systems:Maintenance:{i} ({window.System}): the window ends before it starts.";
        }
    }
}

/// <summary>An active check of one system: an HTTP(S) GET (expected status, optional keyword) or a TCP connect.</summary>
public sealed class ProbeSettings
{
    public string? System { get; set; }

    /// <summary>"http" (also for https) or "tcp".</summary>
    public string Kind { get; set; } = "http";

    /// <summary>The URL for http, "host:port" for tcp.</summary>
    public string? Target { get; set; }

    /// <summary>Statuses that count as an answer: "200", "200-299" or a list "200,204"; any 2xx/3xx by default.</summary>
    public string ExpectStatus { get; set; } = "200-399";

    /// <summary>Text the body must contain (case-sensitive); none by default.</summary>
    public string? Keyword { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Immediate retries of a failed check before it counts as failed.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>An answer slower than this is degraded performance.</summary>
    public TimeSpan SlowAfter { get; set; } = TimeSpan.FromSeconds(2);

    internal IEnumerable<string> Problems(SystemCatalogue catalogue)
    {
        if (!catalogue.Contains(System ?? ""))
            yield return $"'{System}' is not a system of the catalogue.";
        if (Kind == "http" && !(Uri.TryCreate(Target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return $"Target must be an http(s) URL, not '{Target}'.";
        else if (Kind == "tcp" && TcpEndpoint() is null)
            yield return $"Target must be host:port, not '{Target}'.";
        else if (Kind is not ("http" or "tcp"))
            yield return $"Kind must be http or tcp, not '{Kind}'.";
        if (ExpectedStatuses() is null)
            yield return $"ExpectStatus must be a status, a range (200-299) or a list (200,204), not '{ExpectStatus}'.";
        if (Interval < TimeSpan.FromMilliseconds(100) || Timeout <= TimeSpan.Zero || Timeout > Interval)
            yield return "Interval must be at least 100 ms and Timeout positive and no longer than Interval.";
        if (Retries is < 0 or > 5)
            yield return "Retries must be 0 to 5.";
    }

    internal (string Host, int Port)? TcpEndpoint()
    {
        var colon = Target?.LastIndexOf(':') ?? -1;
        return colon > 0 && int.TryParse(Target![(colon + 1)..], CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (Target[..colon].Trim('[', ']'), port) : null;
    }

    internal Func<int, bool>? ExpectedStatuses()
    {
        var parts = ExpectStatus.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ranges = new List<(int From, int To)>();
        foreach (var part in parts)
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length > 2 || !bounds.All(b => int.TryParse(b, CultureInfo.InvariantCulture, out var n) && n is >= 100 and <= 599))
                return null;
            ranges.Add((int.Parse(bounds[0], CultureInfo.InvariantCulture), int.Parse(bounds[^1], CultureInfo.InvariantCulture)));
        }
        return ranges.Count == 0 ? null : status => ranges.Any(r => status >= r.From && status <= r.To);
    }
}

/// <summary>A system that calls in (POST /api/systems/{id}/heartbeat) at least every <see cref="Every"/>; silence beyond it plus <see cref="Grace"/> is an outage.</summary>
public sealed class HeartbeatSettings
{
    public string? System { get; set; }

    public TimeSpan Every { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class MaintenanceWindow
{
    public string? System { get; set; }

    public DateTimeOffset From { get; set; }

    public DateTimeOffset To { get; set; }

    public string? Reason { get; set; }
}
