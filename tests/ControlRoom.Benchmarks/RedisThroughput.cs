using System.Diagnostics;
using ControlRoom.Domain.Events;
using ControlRoom.EventStream;
using ControlRoom.EventStream.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ControlRoom.Benchmarks;

/// <summary>Appending N events and reading them back, in two phases, timed separately.</summary>
internal sealed record Throughput(int Events, TimeSpan Append, TimeSpan Read)
{
    public TimeSpan Total => Append + Read;
    public double Rate => Events / Total.TotalSeconds;
    public double AppendRate => Events / Append.TotalSeconds;
    public double ReadRate => Events / Read.TotalSeconds;
}

/// <summary>(a) raw Redis Streams through StackExchange.Redis, the baseline; (b) the same work through the seam.</summary>
internal static class RedisThroughput
{
    /// <summary>Both sides append in windows of this many pipelined commands and read this many per call.</summary>
    public const int Window = 1000;

    /// <summary>XADD (no trimming, no dedupe) pipelined in windows, then XREAD COUNT 1000 from the start.</summary>
    public static async Task<Throughput> RawAsync(IConnectionMultiplexer redis, IReadOnlyList<EventEnvelope> events)
    {
        var db = redis.GetDatabase();
        RedisKey key = $"bench:raw:{Guid.NewGuid():N}";
        // The payload is what the seam stores: the CloudEvents JSON of the envelope.
        var payloads = events.Select(e => (RedisValue)CloudEventJson.Serialize(e)).ToArray();
        try
        {
            var clock = Stopwatch.StartNew();
            var pending = new List<Task<RedisValue>>(Window);
            for (var start = 0; start < payloads.Length; start += Window)
            {
                pending.Clear();
                for (var i = start; i < Math.Min(start + Window, payloads.Length); i++)
                    pending.Add(db.StreamAddAsync(key, "e", payloads[i]));
                await Task.WhenAll(pending);
            }
            var append = clock.Elapsed;

            clock.Restart();
            RedisValue position = "0-0";
            var read = 0;
            long bytes = 0;
            while (read < payloads.Length)
            {
                var entries = await db.StreamReadAsync(key, position, Window);
                if (entries.Length == 0)
                    throw new InvalidOperationException($"Raw XREAD found {read} of {payloads.Length} entries.");
                foreach (var entry in entries)
                    bytes += ((string?)entry["e"])?.Length ?? 0; // materialise the payload as the seam does
                read += entries.Length;
                position = entries[^1].Id;
            }
            var readTime = clock.Elapsed;
            if (bytes == 0)
                throw new InvalidOperationException("Raw XREAD returned empty payloads.");
            return new Throughput(payloads.Length, append, readTime);
        }
        finally
        {
            await db.KeyDeleteAsync(key);
        }
    }

    /// <summary>RedisEventStream.AppendBatchAsync in batches of 1000 (dedupe script, MAXLEN ~, publish), then ReadAfterAsync (parses envelopes).</summary>
    public static async Task<Throughput> SeamAsync(IConnectionMultiplexer redis, IReadOnlyList<EventEnvelope> events)
    {
        var name = "bench-seam-" + Guid.NewGuid().ToString("N")[..12];
        using var stream = new RedisEventStream(redis, Options.Create(new EventStreamOptions
        {
            Name = name,
            MaxLength = Math.Max(100_000, events.Count * 2), // no trimming while we read back
            DedupeWindow = TimeSpan.FromMinutes(10),
        }), TimeProvider.System);
        try
        {
            var clock = Stopwatch.StartNew();
            for (var start = 0; start < events.Count; start += Window)
            {
                var batch = events.Skip(start).Take(Window).ToList();
                var results = await stream.AppendBatchAsync(batch);
                if (results.Any(r => r.Duplicate))
                    throw new InvalidOperationException("The seam reported a duplicate for a fresh event id.");
            }
            var append = clock.Elapsed;

            clock.Restart();
            var position = StreamId.Zero;
            var read = 0;
            while (read < events.Count)
            {
                var entries = await stream.ReadAfterAsync(position, Window);
                if (entries.Count == 0)
                    throw new InvalidOperationException($"ReadAfterAsync found {read} of {events.Count} entries.");
                read += entries.Count;
                position = entries[^1].Id;
            }
            return new Throughput(events.Count, append, clock.Elapsed);
        }
        finally
        {
            await DeleteStreamAsync(redis, name);
        }
    }

    /// <summary>Removes a seam stream and its dedupe keys (the keys RedisEventStream derives from the name).</summary>
    public static async Task DeleteStreamAsync(IConnectionMultiplexer redis, string name)
    {
        var db = redis.GetDatabase();
        var server = redis.GetServers().First();
        var keys = new List<RedisKey> { $"controlroom:{{{name}}}" };
        await foreach (var key in server.KeysAsync(pattern: $"controlroom:{{{name}}}:seen:*", pageSize: 1000))
        {
            keys.Add(key);
            if (keys.Count >= 1000)
            {
                await db.KeyDeleteAsync([.. keys]);
                keys.Clear();
            }
        }
        if (keys.Count > 0)
            await db.KeyDeleteAsync([.. keys]);
    }
}
