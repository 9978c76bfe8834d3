using ControlRoom.Domain.Events;

namespace ControlRoom.Simulator.Sinks;

/// <summary>Where the simulator's events go: the gateway's ingest API, or the in-process ingestor when embedded.</summary>
public interface IEventSink
{
    Task PublishAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken);
}
