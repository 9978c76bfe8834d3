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

    // KEYS[1] stream, KEYS[2] dedupe key; ARGV[1] payload, ARGV[2] maxlen, ARGV[3] dedupe ttl (s), ARGV[4] channel
    private const string AppendScript = """
        local seen = redis.call('GET', KEYS[2])
        if seen then return {0, seen} end
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[1])
        redis.call('SET', KEYS[2], id, 'EX', ARGV[3])
        redis.call('PUBLISH', ARGV[4], id)
        return {1, id}
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _clock;
    private readonly EventStreamOptions _options;
    private readonly RedisKey _streamKey;
    private readonly string _dedupePrefix;
    private readonly RedisChannel _channel;
    private readonly AppendSignal _signal = new();
    private int _subscribed;

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
        ToResult(await EvaluateAppend(Db, envelope));

    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        // Sent back to back on the multiplexer (pipelined); Redis runs them in order.
        var db = Db;
        var pending = new Task<RedisResult>[envelopes.Count];
        for (var i = 0; i < envelopes.Count; i++)
            pending[i] = EvaluateAppend(db, envelopes[i]);
        var results = new AppendResult[envelopes.Count];
        for (var i = 0; i < pending.Length; i++)
            results[i] = ToResult(await pending[i]);
        return results;
    }

    private Task<RedisResult> EvaluateAppend(IDatabase db, EventEnvelope envelope) =>
        db.ScriptEvaluateAsync(
            AppendScript,
            [_streamKey, _dedupePrefix + DedupeKey.For(envelope)],
            [CloudEventJson.Serialize(envelope), _options.MaxLength, (long)_options.DedupeWindow.TotalSeconds, _channel.ToString()]);

    private static AppendResult ToResult(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        return new AppendResult(StreamId.Parse((string)parts[1]!), Duplicate: (long)parts[0] == 0);
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
            list.Add(new StreamEntry(StreamId.Parse(entry.Id!), CloudEventJson.Parse(payload!, now)));
        }
        return list;
    }

    public void Dispose()
    {
        if (Volatile.Read(ref _subscribed) == 1)
            _redis.GetSubscriber().Unsubscribe(_channel, null, CommandFlags.FireAndForget);
    }
}
