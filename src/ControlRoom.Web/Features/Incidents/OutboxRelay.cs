using ControlRoom.Domain.Events;
using ControlRoom.EventStream;
using ControlRoom.Simulator.Sinks;
using ControlRoom.Storage;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// Publishes committed outbox messages to the stream, oldest first, then marks them published. Woken
/// right after each commit; polls as a fallback. Publishing twice (a crash between publish and mark)
/// is harmless: envelope ids are deterministic and the stream accepts a source+id once. A message the
/// stream refuses for good is set aside (dead letter, with the reason) so it cannot block the others.
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
        try
        {
            await sink.PublishAsync([.. pending.Select(m => CloudEventJson.Parse(m.Payload, now))], cancellationToken);
            await store.MarkPublishedAsync([.. pending.Select(m => m.Sequence)], cancellationToken);
        }
        catch (Exception ex) when (IsPermanent(ex))
        {
            // One bad message must not hold back the rest forever: find it, set it aside, publish the others.
            foreach (var message in pending)
                await PublishOneAsync(message, now, cancellationToken);
        }
        return pending.Count;
    }

    private async Task PublishOneAsync(OutboxMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await sink.PublishAsync([CloudEventJson.Parse(message.Payload, now)], cancellationToken);
            await store.MarkPublishedAsync([message.Sequence], cancellationToken);
        }
        catch (Exception ex) when (IsPermanent(ex))
        {
            LogRejected(message.Sequence, message.Type, ex);
            await store.MarkRejectedAsync(message.Sequence, ex.Message, cancellationToken);
        }
    }

    /// <summary>Refused by the stream, or not even an event: trying again cannot help.</summary>
    private static bool IsPermanent(Exception ex) => ex is EventsRejectedException or FormatException or System.Text.Json.JsonException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox messages could not be published; retrying")]
    private partial void LogPublishFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Sequence} ({Type}) was refused by the stream and set aside; screens will not see it")]
    private partial void LogRejected(long sequence, string type, Exception exception);
}
