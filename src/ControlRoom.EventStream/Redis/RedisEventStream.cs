using ControlRoom.Domain.Events;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ControlRoom.EventStream.Redis;

/// <summary>
/// Redis Streams: XADD with approximate MAXLEN (deduplicated by a script that also publishes a wake-up),
/// XREAD from a last id, XREADGROUP/XACK/XAUTOCLAIM for work that must happen once.
/// StackExchange.Redis multiplexes one connection, so it cannot block on XREAD: followers wait on a
/// pub/sub notification published by the append script and fall back to polling.
/// </summary>
public sealed class RedisEventStream : IEventStream, IDisposable
{
    private const string PayloadField = "e";

    // One script per batch, so a batch is all on the stream or none of it (a script runs atomically).
    // KEYS[1] stream, KEYS[2..] dedupe keys; ARGV[1] maxlen, ARGV[2] dedupe ttl (ms), ARGV[3] channel, ARGV[4..] payloads.
    private const string AppendScript = """
        local results = {}
        local last = nil
        for i = 2, #KEYS do
          local seen = redis.call('GET', KEYS[i])
          if seen then
            results[#results + 1] = 0
            results[#results + 1] = seen
          else
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[i + 2])
            redis.call('SET', KEYS[i], id, 'PX', ARGV[2])
            results[#results + 1] = 1
            results[#results + 1] = id
            last = id
          end
        end
        if last then redis.call('PUBLISH', ARGV[3], last) end
        return results
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _clock;
    private readonly EventStreamOptions _options;
    private readonly RedisKey _streamKey;
    private readonly string _dedupePrefix;
    private readonly RedisChannel _channel;
    private readonly PulseSignal _signal = new();
    private int _subscribed;
    private long _unreadable;

    /// <summary>Entries skipped because they could not be read as envelopes.</summary>
    public long UnreadableEntries => Interlocked.Read(ref _unreadable);

    public RedisEventStream(IConnectionMultiplexer redis, IOptions<EventStreamOptions> options, TimeProvider clock)
    {
        _redis = redis;
        _clock = clock;
        _options = options.Value;
        // One hash tag so the stream and its dedupe keys live in the same cluster slot (the script touches both).
        _streamKey = $"controlroom:{{{_options.Name}}}";
        _dedupePrefix = $"controlroom:{{{_options.Name}}}:seen:";
        _channel = RedisChannel.Literal($"controlroom:{_options.Name}:appended");
    }

    public Task NextAppend
    {
        get
        {
            EnsureSubscribed();
            return _signal.Next;
        }
    }

    /// <summary>
    /// Subscribes to append notifications once Redis answers. Never throws: while Redis is down,
    /// followers fall back to polling and the next call tries again.
    /// </summary>
    private void EnsureSubscribed()
    {
        if (Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0)
            return;
        _redis.GetSubscriber().SubscribeAsync(_channel, (_, _) => _signal.Pulse())
            .ContinueWith(t => Interlocked.Exchange(ref _subscribed, 0), CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private IDatabase Db => _redis.GetDatabase();

    public async Task<AppendResult> AppendAsync(EventEnvelope envelope, CancellationToken cancellationToken = default) =>
        (await AppendBatchAsync([envelope], cancellationToken))[0];

    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        if (envelopes.Count == 0)
            return [];
        var keys = new RedisKey[envelopes.Count + 1];
        var values = new RedisValue[envelopes.Count + 3];
        keys[0] = _streamKey;
        values[0] = _options.MaxLength;
        values[1] = (long)_options.DedupeWindow.TotalMilliseconds;
        values[2] = _channel.ToString();
        for (var i = 0; i < envelopes.Count; i++)
        {
            keys[i + 1] = _dedupePrefix + DedupeKey.For(envelopes[i]);
            values[i + 3] = CloudEventJson.Serialize(envelopes[i]);
        }
        var flat = (RedisResult[])(await Db.ScriptEvaluateAsync(AppendScript, keys, values))!;
        var results = new AppendResult[envelopes.Count];
        for (var i = 0; i < results.Length; i++)
            results[i] = new AppendResult(StreamId.Parse((string)flat[(2 * i) + 1]!), Duplicate: (long)flat[2 * i] == 0);
        return results;
    }

    public async Task<IReadOnlyList<StreamEntry>> ReadAfterAsync(StreamId after, int count, CancellationToken cancellationToken = default)
    {
        var entries = await Db.StreamReadAsync(_streamKey, after.ToString(), count);
        return ToEntries(entries);
    }

    public async Task<StreamInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        var db = Db;
        var length = await db.StreamLengthAsync(_streamKey);
        var last = await db.StreamRangeAsync(_streamKey, "-", "+", 1, Order.Descending);
        return new StreamInfo(length, last.Length == 0 ? StreamId.Zero : StreamId.Parse(last[0].Id!));
    }

    public async Task EnsureGroupAsync(string group, StreamId? startAfter, CancellationToken cancellationToken = default)
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(
                _streamKey, group, startAfter?.ToString() ?? StreamPosition.NewMessages, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Already there: creating a group is idempotent for callers.
        }
    }

    public async Task<IReadOnlyList<StreamEntry>> ReadGroupAsync(string group, string consumer, int count, CancellationToken cancellationToken = default) =>
        ToEntries(await Guard(() => Db.StreamReadGroupAsync(_streamKey, group, consumer, StreamPosition.NewMessages, count), group));

    public async Task AcknowledgeAsync(string group, IReadOnlyList<StreamId> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
            return;
        await Guard(() => Db.StreamAcknowledgeAsync(_streamKey, group, ids.Select(id => (RedisValue)id.ToString()).ToArray()), group);
    }

    public async Task<IReadOnlyList<StreamEntry>> ClaimIdleAsync(string group, string consumer, TimeSpan minIdle, int count, CancellationToken cancellationToken = default)
    {
        var result = await Guard(
            () => Db.StreamAutoClaimAsync(_streamKey, group, consumer, (long)minIdle.TotalMilliseconds, "0-0", count), group);
        return ToEntries(result.ClaimedEntries);
    }

    public async Task<long> PendingCountAsync(string group, CancellationToken cancellationToken = default) =>
        (await Guard(() => Db.StreamPendingAsync(_streamKey, group), group)).PendingMessageCount;

    private static async Task<T> Guard<T>(Func<Task<T>> call, string group)
    {
        try
        {
            return await call();
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Consumer group '{group}' does not exist.", ex);
        }
    }

    private List<StreamEntry> ToEntries(global::StackExchange.Redis.StreamEntry[] entries)
    {
        var list = new List<StreamEntry>(entries.Length);
        var now = _clock.GetUtcNow();
        foreach (var entry in entries)
        {
            if (entry.IsNull)
                continue; // trimmed while pending
            var payload = entry[PayloadField];
            if (payload.IsNull)
                continue;
            try
            {
                list.Add(new StreamEntry(StreamId.Parse(entry.Id!), CloudEventJson.Parse(payload!, now)));
            }
            catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
            {
                // Not written by a gateway (only one writes here, and it writes valid envelopes): skip it
                // rather than stall every follower on it. The readiness check reports the count.
                Interlocked.Increment(ref _unreadable);
            }
        }
        return list;
    }

    public void Dispose()
    {
        if (Volatile.Read(ref _subscribed) == 1)
            _redis.GetSubscriber().Unsubscribe(_channel, null, CommandFlags.FireAndForget);
    }
}
