using ControlRoom.EventStream;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ControlRoom.Gateway.Hubs;

/// <summary>
/// Pushes the event stream to screens. A client calls <see cref="Subscribe"/> with the last id it saw
/// (null on first start) and receives exactly what came after it, then everything new.
/// </summary>
// Consumers connect with an API key scoped to subscribe; each is sent events up to its key's ceiling.
[Authorize(Policy = Access.GatewayAccess.SubscribePolicy)]
public sealed class EventsHub(SubscriptionPumps pumps) : Hub<IEventsClient>
{
    public const string Path = "/hubs/events";

    public Task Subscribe(string? lastSeenId)
    {
        var after = StreamId.Zero;
        if (lastSeenId is not null && !StreamId.TryParse(lastSeenId, out after))
            throw new HubException($"'{lastSeenId}' is not a stream id (expected ms-seq).");
        if (!pumps.TryStart(Context.ConnectionId, after, Access.ApiKeyAuthentication.CeilingOf(Context.User)))
            throw new HubException("Too many subscribed connections; try again later.");
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        pumps.Stop(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
