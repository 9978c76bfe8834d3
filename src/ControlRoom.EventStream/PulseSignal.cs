namespace ControlRoom.EventStream;

/// <summary>
/// A task that completes at the next pulse and is then replaced: a lossless wake-up. Take <see cref="Next"/>
/// before looking for work, await it only if there was none.
/// </summary>
public sealed class PulseSignal
{
    private TaskCompletionSource _next = New();

    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
