using System.Collections.Immutable;
using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Systems;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Storage;

namespace ControlRoom.Web.Features.Systems;

/// <summary>One health event as the board keeps it.</summary>
public sealed record SystemFinding(DateTimeOffset At, SystemStatus Status, string Input, string Title, double? LatencyMs, bool Flapping, string? Silenced);

/// <summary>
/// A system on the board now: its status (null while nothing was heard), the latest finding, and the root causes
/// it is impacted by (empty when it is fine, or is itself the root cause), and since when it has been out of service
/// (partial or major outage; the time of the report that began the spell, the same in every process).
/// </summary>
public sealed record SystemState(CriticalSystem System, SystemStatus? Status, SystemFinding? Last, IReadOnlyList<string> ImpactedBy, DateTimeOffset? DownSince = null)
{
    public bool Flapping => Last?.Flapping ?? false;
}

public sealed record BoardSnapshot(IReadOnlyList<SystemState> Systems, ImpactAssessment Impact)
{
    public static readonly BoardSnapshot Empty = new([], ImpactAssessment.None);

    /// <summary>Root causes that alarm (not planned maintenance), most critical first.</summary>
    public IReadOnlyList<RootCause> Outages => [.. Impact.RootCauses.Where(r => !r.Planned)];
}

/// <summary>A system's detail: availability over the board's windows, latency samples and the latest findings.</summary>
public sealed record SystemDetail(SystemState State, IReadOnlyList<(TimeSpan Window, Availability Availability, LatencySummary Latency)> Uptime,
    IReadOnlyList<(DateTimeOffset At, double Ms)> Latency, IReadOnlyList<SystemFinding> Recent);

/// <summary>
/// The critical systems as the health events on the stream describe them, in this web process. Each input (the
/// probe, the heartbeat, each Alertmanager alert) keeps its latest word; a system's status is the worst of them,
/// or under maintenance when one of them says so (maintenance silences). Root cause and impact come from the
/// catalogue's dependency graph. History lives as long as the stream's retained window replays it at start.
/// </summary>
public sealed class SystemsBoard(SystemCatalogue catalogue, TimeProvider clock)
{
    private const int MaxSamples = 2_880; // a day of 30-second probes
    private const int MaxRecent = 50;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Tracked> _tracked = catalogue.Systems.ToDictionary(s => s.Id, _ => new Tracked(), StringComparer.Ordinal);
    private readonly List<SystemStatusChange> _unsaved = [];
    private BoardSnapshot? _snapshot;

    /// <summary>Raised (on the caller's thread) after a batch changed the board; take <see cref="Snapshot"/> again.</summary>
    public event Action? Changed;

    public SystemCatalogue Catalogue => catalogue;

    public void Apply(EventBatch batch)
    {
        var changed = false;
        lock (_gate)
        {
            foreach (var wire in batch.Events)
            {
                var e = wire.Event;
                if (e.Type != EventTypes.SystemHealthReported || e.Subject is not { } id || !_tracked.TryGetValue(id, out var tracked)
                    || Read(e) is not { } finding)
                    continue;
                if (tracked.Add(e.Source + "\n" + (e.TryGetString("fingerprint") ?? ""), finding) is { } change)
                    _unsaved.Add(new SystemStatusChange(id, change.At, change.Status.ToWire()));
                changed = true;
            }
            if (changed)
                _snapshot = null;
        }
        if (changed)
            Changed?.Invoke();
    }

    /// <summary>The status changes seen since the last call, for the store to keep beyond the stream's window.</summary>
    public IReadOnlyList<SystemStatusChange> TakeUnsaved()
    {
        lock (_gate)
        {
            var unsaved = _unsaved.ToList();
            _unsaved.Clear();
            return unsaved;
        }
    }

    /// <summary>Finished hours of latency not handed to the store yet.</summary>
    public IReadOnlyList<SystemLatencyHour> TakeFinishedLatency()
    {
        lock (_gate)
            return [.. _tracked.SelectMany(t => t.Value.Hours.TakeFinished(t.Key))];
    }

    /// <summary>Hourly latency kept by the store, for the windows beyond what the stream replays.</summary>
    public void SeedLatency(IReadOnlyList<SystemLatencyHour> kept)
    {
        lock (_gate)
        {
            foreach (var hour in kept)
            {
                if (_tracked.TryGetValue(hour.System, out var tracked))
                    tracked.Hours.Seed(hour);
            }
        }
        Changed?.Invoke();
    }

    /// <summary>
    /// History kept by the store (older than the stream's window, after a restart): changes before what this board
    /// has seen go in front of it; later ones are already known from the stream. It does not set current statuses.
    /// </summary>
    public void Seed(IReadOnlyList<SystemStatusChange> kept)
    {
        lock (_gate)
        {
            foreach (var group in kept.GroupBy(c => c.System))
            {
                var known = group.Select(c => (c.At, Known: SystemStatusNames.TryParse(c.Status, out var status), status)).Where(c => c.Known);
                if (_tracked.TryGetValue(group.Key, out var tracked))
                    tracked.SeedHistory([.. known.Select(c => (c.At, c.status))]);
            }
            _snapshot = null;
        }
        Changed?.Invoke();
    }

    public BoardSnapshot Snapshot()
    {
        lock (_gate)
        {
            if (_snapshot is not null)
                return _snapshot;
            var statuses = _tracked.Where(t => t.Value.Status is not null).ToDictionary(t => t.Key, t => t.Value.Status!.Value, StringComparer.Ordinal);
            var impact = catalogue.Assess(statuses);
            return _snapshot = new BoardSnapshot(
                [.. catalogue.Systems.Select(s => new SystemState(s, _tracked[s.Id].Status, _tracked[s.Id].Last, impact.CausesOf(s.Id), _tracked[s.Id].DownSince))], impact);
        }
    }

    public SystemDetail? Detail(string id)
    {
        if (!catalogue.Contains(id))
            return null;
        var state = Snapshot().Systems.First(s => s.System.Id == id);
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var tracked = _tracked[id];
            return new SystemDetail(state, [.. StatusHistory.Windows.Select(w => (w, tracked.History.Over(now - w, now), tracked.Hours.Over(now - w, now)))],
                [.. tracked.Latency], [.. tracked.Recent]);
        }
    }

    private static SystemFinding? Read(EventEnvelope e)
    {
        if (!SystemStatusNames.TryParse(e.TryGetString("status"), out var status))
            return null;
        double? latency = e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("latencyMs", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetDouble(out var ms) ? ms : null;
        var flapping = e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("flapping", out var f) && f.ValueKind == JsonValueKind.True;
        return new SystemFinding(e.Time, status, e.TryGetString("input") ?? "", e.Title ?? "", latency, flapping, e.TryGetString("silenced"));
    }

    private sealed class Tracked
    {
        private readonly Dictionary<string, SystemStatus> _inputs = new(StringComparer.Ordinal);

        public StatusHistory History { get; private set; } = new();
        public Queue<(DateTimeOffset At, double Ms)> Latency { get; } = new();
        public LatencyHours Hours { get; } = new();
        public LinkedList<SystemFinding> Recent { get; } = new();
        public SystemStatus? Status { get; private set; }
        public SystemFinding? Last { get; private set; }
        public DateTimeOffset? DownSince { get; private set; }
        private DateTimeOffset _lastChange = DateTimeOffset.MinValue;
        private DateTimeOffset _keptUntil = DateTimeOffset.MinValue;

        /// <summary>Takes in <paramref name="finding"/>; returns the status change it made to the history, if it made one.</summary>
        public (DateTimeOffset At, SystemStatus Status)? Add(string input, SystemFinding finding)
        {
            var before = History.Changes.Count > 0 ? History.Changes[^1] : default;
            _inputs[input] = finding.Status;
            // Maintenance silences while it is the latest word; once a report without it comes (the window ended),
            // the worst of the other inputs counts again.
            Status = finding.Status == SystemStatus.UnderMaintenance ? SystemStatus.UnderMaintenance
                : _inputs.Values.Where(v => v != SystemStatus.UnderMaintenance).MaxBy(SystemStatusNames.Badness);
            Last = finding;
            // Reports older than the history kept in the store are the stream's window replayed after a restart:
            // they set the current word of their input, not the history nor when an outage began.
            if (finding.At < _keptUntil)
                return RecordLatency(finding);
            // Inputs report on their own clocks: history is never rewritten, a late report counts from the last change.
            _lastChange = finding.At > _lastChange ? finding.At : _lastChange;
            History.Record(_lastChange, Status!.Value);
            var after = History.Changes[^1];
            var outage = Status is SystemStatus.PartialOutage or SystemStatus.MajorOutage;
            DownSince = !outage ? null : DownSince ?? _lastChange;
            History.Forget(_lastChange - StatusHistory.Windows[^1]);
            RecordLatency(finding);
            return after != before ? after : null;
        }

        private (DateTimeOffset, SystemStatus)? RecordLatency(SystemFinding finding)
        {
            if (finding.LatencyMs is { } ms)
            {
                Latency.Enqueue((finding.At, ms));
                if (Latency.Count > MaxSamples)
                    Latency.Dequeue();
                Hours.Add(finding.At, ms);
            }
            Recent.AddFirst(finding);
            if (Recent.Count > MaxRecent)
                Recent.RemoveLast();
            return null;
        }

        public void SeedHistory(IReadOnlyList<(DateTimeOffset At, SystemStatus Status)> kept)
        {
            var known = History.Changes;
            var merged = new StatusHistory();
            foreach (var (at, status) in kept.Where(k => known.Count == 0 || k.At < known[0].At).OrderBy(k => k.At).Concat(known))
                merged.Record(at, status);
            History = merged;
            if (merged.Changes.Count == 0 || merged.Changes[^1].At <= _lastChange)
                return;
            _keptUntil = _lastChange = merged.Changes[^1].At;
            // An outage still going on when the history was kept began at the first change of its run.
            var run = merged.Changes.Reverse().TakeWhile(c => c.Status is SystemStatus.PartialOutage or SystemStatus.MajorOutage).ToList();
            if (run.Count > 0)
                DownSince ??= run[^1].At;
        }
    }
}
