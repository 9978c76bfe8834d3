using System.Runtime.CompilerServices;

namespace ControlRoom.EventStream;

public static class EventStreamFollowing
{
    /// <summary>How long a follower waits for an append signal before reading again anyway.</summary>
    public static readonly TimeSpan PollFallback = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Every entry after <paramref name="after"/>, in order, then each new one as it is appended, in
    /// batches. Ends only with cancellation; read errors propagate to the caller, which decides to retry.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<StreamEntry>> FollowAsync(
        this IEventStream stream, StreamId after, int batchSize, TimeProvider clock,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var position = after;
        while (!cancellationToken.IsCancellationRequested)
        {
            var appended = stream.NextAppend;
            var batch = await stream.ReadAfterAsync(position, batchSize, cancellationToken);
            if (batch.Count > 0)
            {
                position = batch[^1].Id;
                yield return batch;
                continue;
            }
            try
            {
                await appended.WaitAsync(PollFallback, clock, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Fall back to polling: a notification can be lost while a connection recovers.
            }
        }
    }
}
