using ControlRoom.Domain.Events;

namespace ControlRoom.Gateway.Hubs;

/// <summary>An event as delivered to a screen: the envelope and its position, which the screen echoes back to resume.</summary>
public sealed record WireEvent(string StreamId, EventEnvelope Event);

public sealed record EventBatch(IReadOnlyList<WireEvent> Events);

/// <summary>What the gateway pushes to a hub client.</summary>
public interface IEventsClient
{
    /// <summary>The next events after the client's last-seen id, in stream order, never repeated within a subscription.</summary>
    Task ReceiveEvents(EventBatch batch);

    /// <summary>Whether the gateway can read its stream (Redis may be down while the hub is up).</summary>
    Task StreamStatusChanged(bool available, string? reason);
}
