namespace ControlRoom.Simulator.Sinks;

/// <summary>
/// The ingest edge refused the events themselves (invalid, too large, unknown type): sending them again
/// cannot succeed. Any other failure of <see cref="IEventSink.PublishAsync"/> may be transient.
/// </summary>
public sealed class EventsRejectedException(string reason) : Exception($"The events were refused at ingest: {reason}")
{
    public string Reason { get; } = reason;
}
