namespace ControlRoom.EventStream;

/// <summary>A task that completes at the next pulse and is then replaced: a lossless wake-up for followers.</summary>
internal sealed class AppendSignal
{
    private TaskCompletionSource _next = New();

    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
