using ControlRoom.EventStream.Redis;
using ControlRoom.Tests;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ControlRoom.EventStream.Tests;

/// <summary>The contract on a real Redis (started by scripts/test.sh); each test gets its own stream.</summary>
public sealed class RedisEventStreamTests : EventStreamContract, IAsyncLifetime
{
    private static readonly Lazy<ConnectionMultiplexer> Redis = new(() => ConnectionMultiplexer.Connect(TestEnvironment.Redis));
    private RedisEventStream? _stream;

    protected override IEventStream Stream => _stream!;

    public ValueTask InitializeAsync()
    {
        _stream = new RedisEventStream(
            Redis.Value,
            Options.Create(new EventStreamOptions { Name = TestEnvironment.UniqueStreamName(), MaxLength = 1_000 }),
            TimeProvider.System);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _stream?.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Append_BeyondMaxLength_TrimsApproximately()
    {
        for (var chunk = 0; chunk < 30; chunk++)
            await Stream.AppendBatchAsync([.. Enumerable.Range(chunk * 100, 100).Select(i => Event($"m{i}"))], Ct);

        // MAXLEN ~ trims whole radix-tree nodes: never below the limit, a little above it.
        (await Stream.GetInfoAsync(Ct)).Length.ShouldBeInRange(1_000, 1_200);
    }
}
