using ControlRoom.Domain.Events;
using Microsoft.Extensions.Options;

namespace ControlRoom.EventStream.InMemory;

/// <summary>
/// The embedded stream: the Redis Streams semantics in one process (ordered ms-seq ids from the clock,
/// approximate trimming, idempotent append, consumer groups with pending entries and reclaim).
/// </summary>
public sealed class InMemoryEventStream(IOptions<EventStreamOptions> options, TimeProvider clock) : IEventStream
{
    private readonly Lock _gate = new();
    private readonly List<StreamEntry> _entries = [];
    private readonly Dictionary<string, (StreamId Id, DateTimeOffset Expires)> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset Expires)> _seenExpiry = new();
    private readonly Dictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    private readonly PulseSignal _signal = new();
    private readonly EventStreamOptions _options = options.Value;
    private StreamId _last = StreamId.Zero;

    public Task NextAppend => _signal.Next;

    public Task<AppendResult> AppendAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        AppendResult result;
        lock (_gate)
            result = AppendLocked(envelope);
        if (!result.Duplicate)
            _signal.Pulse();
        return Task.FromResult(result);
    }

    public Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        var results = new AppendResult[envelopes.Count];
        lock (_gate)
        {
            for (var i = 0; i < envelopes.Count; i++)
                results[i] = AppendLocked(envelopes[i]);
        }
        if (results.Any(r => !r.Duplicate))
            _signal.Pulse();
        return Task.FromResult<IReadOnlyList<AppendResult>>(results);
    }

    private AppendResult AppendLocked(EventEnvelope envelope)
    {
        var now = clock.GetUtcNow();
        ExpireSeen(now);
        var key = DedupeKey.For(envelope);
        if (_seen.TryGetValue(key, out var seen))
            return new AppendResult(seen.Id, Duplicate: true);

        var ms = now.ToUnixTimeMilliseconds();
        // Like Redis: ids never go backwards, even if the clock does.
        _last = ms > _last.Milliseconds ? new StreamId(ms, 0) : new StreamId(_last.Milliseconds, _last.Sequence + 1);
        _entries.Add(new StreamEntry(_last, envelope));
        var expires = now + _options.DedupeWindow;
        _seen[key] = (_last, expires);
        _seenExpiry.Enqueue((key, expires));

        // Approximate MAXLEN: trim in chunks, as Redis does with "~".
        if (_entries.Count > _options.MaxLength + (_options.MaxLength / 10))
            _entries.RemoveRange(0, _entries.Count - _options.MaxLength);
        return new AppendResult(_last, Duplicate: false);
    }

    private void ExpireSeen(DateTimeOffset now)
    {
        while (_seenExpiry.TryPeek(out var head) && head.Expires <= now)
        {
            _seenExpiry.Dequeue();
            if (_seen.TryGetValue(head.Key, out var current) && current.Expires <= now)
                _seen.Remove(head.Key);
        }
    }

    public Task<IReadOnlyList<StreamEntry>> ReadAfterAsync(StreamId after, int count, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var start = FirstIndexAfter(after);
            var take = Math.Min(count, _entries.Count - start);
            return Task.FromResult<IReadOnlyList<StreamEntry>>(take > 0 ? _entries.GetRange(start, take) : []);
        }
    }

    public Task<StreamInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult(new StreamInfo(_entries.Count, _last));
    }

    public Task EnsureGroupAsync(string group, StreamId? startAfter, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_groups.ContainsKey(group))
                _groups[group] = new ConsumerGroup { LastDelivered = startAfter ?? _last };
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StreamEntry>> ReadGroupAsync(string group, string consumer, int count, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var state = Group(group);
            var start = FirstIndexAfter(state.LastDelivered);
            var take = Math.Min(count, _entries.Count - start);
            if (take <= 0)
                return Task.FromResult<IReadOnlyList<StreamEntry>>([]);
            var batch = _entries.GetRange(start, take);
            var now = clock.GetUtcNow();
            foreach (var entry in batch)
                state.Pending[entry.Id] = new PendingEntry(consumer, now);
            state.LastDelivered = batch[^1].Id;
            return Task.FromResult<IReadOnlyList<StreamEntry>>(batch);
        }
    }

    public Task AcknowledgeAsync(string group, IReadOnlyList<StreamId> ids, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var state = Group(group);
            foreach (var id in ids)
                state.Pending.Remove(id);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StreamEntry>> ClaimIdleAsync(string group, string consumer, TimeSpan minIdle, int count, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var state = Group(group);
            var now = clock.GetUtcNow();
            var claimed = new List<StreamEntry>();
            foreach (var id in state.Pending.Keys.Order().ToList())
            {
                if (claimed.Count == count)
                    break;
                if (now - state.Pending[id].DeliveredAt < minIdle)
                    continue;
                var index = FirstIndexAfter(new StreamId(id.Milliseconds, id.Sequence - 1));
                if (index < _entries.Count && _entries[index].Id == id)
                {
                    state.Pending[id] = new PendingEntry(consumer, now);
                    claimed.Add(_entries[index]);
                }
                else
                {
                    state.Pending.Remove(id); // trimmed away: nothing left to deliver, as XAUTOCLAIM does
                }
            }
            return Task.FromResult<IReadOnlyList<StreamEntry>>(claimed);
        }
    }

    public Task<long> PendingCountAsync(string group, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult((long)Group(group).Pending.Count);
    }

    private ConsumerGroup Group(string group) =>
        _groups.TryGetValue(group, out var state)
            ? state
            : throw new InvalidOperationException($"Consumer group '{group}' does not exist.");

    private int FirstIndexAfter(StreamId after)
    {
        int lo = 0, hi = _entries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_entries[mid].Id <= after) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private sealed class ConsumerGroup
    {
        public StreamId LastDelivered { get; set; }
        public Dictionary<StreamId, PendingEntry> Pending { get; } = [];
    }

    private sealed record PendingEntry(string Consumer, DateTimeOffset DeliveredAt);
}
