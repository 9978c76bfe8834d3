using ControlRoom.Domain.Events;
using ControlRoom.Gateway.Ingest;
using ControlRoom.Simulator.Sinks;

namespace ControlRoom.Web.Hosting;

/// <summary>The embedded simulator's and outbox's way in: the same ingest rules as POST /api/events, without the HTTP hop.</summary>
public sealed class InProcessIngestSink(EventIngestor ingestor) : IEventSink
{
    public async Task PublishAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        var outcome = await ingestor.IngestAsync(CloudEventBatch.ToJson(events), refuse: null, cancellationToken); // this process itself: no key scope
        if (!outcome.IsValid)
            throw new EventsRejectedException(string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
    }
}
