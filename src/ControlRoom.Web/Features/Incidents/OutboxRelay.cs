using ControlRoom.Domain.Events;
using ControlRoom.EventStream;
using ControlRoom.Simulator.Sinks;
using ControlRoom.Storage;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// Publishes committed outbox messages to the stream, oldest first, then marks them published. Woken
/// right after each commit; polls as a fallback. Publishing twice (a crash between publish and mark)
/// is harmless: envelope ids are deterministic and the stream accepts a source+id once.
/// </summary>
public sealed partial class OutboxRelay(IIncidentStore store, IEventSink sink, TimeProvider clock, ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private readonly PulseSignal _wake = new();

    public void Wake() => _wake.Pulse();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = _wake.Next;
            var published = 0;
            try
            {
                published = await PublishPendingAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPublishFailed(ex); // kept in the outbox: the next round tries again
            }
            if (published == 0)
                await woken.WaitAsync(Poll, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        var pending = await store.ReadOutboxAsync(200, cancellationToken);
        if (pending.Count == 0)
            return 0;
        var now = clock.GetUtcNow();
        await sink.PublishAsync([.. pending.Select(m => CloudEventJson.Parse(m.Payload, now))], cancellationToken);
        await store.MarkPublishedAsync([.. pending.Select(m => m.Sequence)], cancellationToken);
        return pending.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox messages could not be published; retrying")]
    private partial void LogPublishFailed(Exception exception);
}
