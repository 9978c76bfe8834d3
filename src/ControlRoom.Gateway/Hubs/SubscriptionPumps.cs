using System.Collections.Concurrent;
using ControlRoom.Domain.Events;
using ControlRoom.EventStream;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.SignalR;

namespace ControlRoom.Gateway.Hubs;

/// <summary>
/// One pump per subscribed connection: it follows the stream from the connection's position and awaits
/// each send before reading on, so a connection gets its events once and in order. Connections are
/// few (one per web process), so reading per connection costs little and makes resume exact.
/// </summary>
public sealed partial class SubscriptionPumps(
    IHubContext<EventsHub, IEventsClient> hub, IEventStream stream, IOptions<HubOptions> options, TimeProvider clock,
    ILogger<SubscriptionPumps> logger)
    : IAsyncDisposable
{
    private const int BatchSize = 500;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _pumps = new();

    public int Count => _pumps.Count;

    /// <summary>
    /// Starts (or restarts) the connection's pump, sending only events up to <paramref name="ceiling"/>;
    /// false when the gateway already serves its maximum.
    /// </summary>
    public bool TryStart(string connectionId, StreamId after, Visibility ceiling)
    {
        if (_pumps.TryRemove(connectionId, out var previous))
            CancelQuietly(previous);
        else if (_pumps.Count >= options.Value.MaxSubscriptions)
            return false;
        var cts = new CancellationTokenSource();
        _pumps[connectionId] = cts;
        _ = Task.Run(() => PumpAsync(connectionId, after, ceiling, cts.Token), CancellationToken.None);
        return true;
    }

    public void Stop(string connectionId)
    {
        if (_pumps.TryRemove(connectionId, out var cts))
            CancelQuietly(cts);
    }

    private async Task PumpAsync(string connectionId, StreamId after, Visibility ceiling, CancellationToken cancellationToken)
    {
        var client = hub.Clients.Client(connectionId);
        var position = after;
        bool? available = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await stream.GetInfoAsync(cancellationToken);
                if (available != true)
                {
                    await client.StreamStatusChanged(true, null);
                    available = true;
                }
                await foreach (var batch in stream.FollowAsync(position, BatchSize, clock, cancellationToken))
                {
                    var visible = batch.Where(e => e.Event.Visibility <= ceiling)
                        .Select(e => new WireEvent(e.Id.ToString(), e.Event)).ToList();
                    if (visible.Count > 0)
                        await client.ReceiveEvents(new EventBatch(visible));
                    position = batch[^1].Id;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogStreamUnavailable(connectionId, ex);
                if (available != false)
                    available = await TryTellStreamDownAsync(client) ? false : null;
                await Task.Delay(RetryDelay, clock, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private static async Task<bool> TryTellStreamDownAsync(IEventsClient client)
    {
        try
        {
            await client.StreamStatusChanged(false, "stream unavailable");
            return true;
        }
        catch (Exception)
        {
            return false; // the connection itself is gone; the next attempt or OnDisconnected ends the pump
        }
    }

    // Not disposed: the pump may still be observing the token when it is cancelled.
    private static void CancelQuietly(CancellationTokenSource cts) => cts.Cancel();

    public ValueTask DisposeAsync()
    {
        foreach (var id in _pumps.Keys)
            Stop(id);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream read failed for connection {ConnectionId}; retrying")]
    private partial void LogStreamUnavailable(string connectionId, Exception exception);
}
