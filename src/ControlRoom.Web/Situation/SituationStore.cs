using System.Collections.Immutable;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Geography;
using ControlRoom.EventStream;
using ControlRoom.Gateway.Hubs;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace ControlRoom.Web.Situation;

/// <summary>
/// The current picture in this web process, fed by its one hub connection and fanned out to every
/// circuit. Applies each stream entry once (by stream id), keeps the newest alerts and knows the last
/// id seen, which the gateway link sends back to resume exactly after a reconnect.
/// </summary>
public sealed class SituationStore(ZoneIndex zones, IOptions<SituationOptions> options)
{
    private readonly Lock _gate = new();
    private readonly List<SituationSubscription> _subscribers = [];
    private ImmutableList<AlertView> _alerts = []; // newest first
    private StreamId? _lastSeen;
    private bool _hubConnected;
    private bool _everConnected;
    private bool _streamAvailable = true;
    private long _eventsReceived;

    public string? LastSeenStreamId
    {
        get { lock (_gate) return _lastSeen?.ToString(); }
    }

    public SituationSnapshot Snapshot()
    {
        lock (_gate)
            return new SituationSnapshot(_alerts, Status, _eventsReceived);
    }

    public SituationSubscription Subscribe()
    {
        lock (_gate)
        {
            var subscription = new SituationSubscription(
                new SituationSnapshot(_alerts, Status, _eventsReceived), options.Value.SubscriberCapacity, Unsubscribe);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    private void Unsubscribe(SituationSubscription subscription)
    {
        lock (_gate)
            _subscribers.Remove(subscription);
    }

    public void Apply(EventBatch batch)
    {
        var added = new List<AlertView>();
        lock (_gate)
        {
            foreach (var wire in batch.Events)
            {
                var id = StreamId.Parse(wire.StreamId);
                if (_lastSeen is { } last && id <= last)
                    continue; // already applied: at-least-once delivery, shown once
                _lastSeen = id;
                _eventsReceived++;
                if (wire.Event.Type == EventTypes.SensorAlertRaised)
                    added.Add(ToView(wire.StreamId, wire.Event));
            }
            if (added.Count == 0)
                return;

            List<string> evicted = [];
            var alerts = _alerts.InsertRange(0, Enumerable.Reverse(added));
            var overflow = alerts.Count - options.Value.MaxAlerts;
            if (overflow > 0)
            {
                evicted = alerts.GetRange(alerts.Count - overflow, overflow).Select(a => a.Key).ToList();
                alerts = alerts.RemoveRange(alerts.Count - overflow, overflow);
                var gone = evicted.ToHashSet();
                added.RemoveAll(a => gone.Contains(a.Key)); // a burst larger than the window: never shown
            }
            _alerts = alerts;
            Publish(new AlertsChanged(added, evicted));
        }
    }

    public void SetHubConnected(bool connected)
    {
        lock (_gate)
        {
            var before = Status;
            _hubConnected = connected;
            _everConnected |= connected;
            if (connected)
                _streamAvailable = true; // until the gateway says otherwise
            PublishIfChanged(before);
        }
    }

    public void SetStreamAvailable(bool available)
    {
        lock (_gate)
        {
            var before = Status;
            _streamAvailable = available;
            PublishIfChanged(before);
        }
    }

    private ConnectionStatus Status =>
        !_hubConnected ? (_everConnected ? ConnectionStatus.Reconnecting : ConnectionStatus.Connecting)
        : _streamAvailable ? ConnectionStatus.Live
        : ConnectionStatus.StreamDown;

    private void PublishIfChanged(ConnectionStatus before)
    {
        if (Status != before)
            Publish(new ConnectionChanged(Status));
    }

    private void Publish(SituationChange change)
    {
        foreach (var subscriber in _subscribers)
            subscriber.Publish(change);
    }

    private AlertView ToView(string streamId, EventEnvelope e)
    {
        var zone = zones.Resolve(e.Location);
        var point = e.Location as Point ?? e.Location?.InteriorPoint;
        return new AlertView(
            Key: e.Source + "\n" + e.Id,
            StreamId: streamId,
            Type: e.Type,
            Severity: e.Severity,
            Time: e.Time,
            Title: e.Title ?? e.Subject ?? e.Type,
            SensorKind: e.TryGetString("kind"),
            Lon: point?.X,
            Lat: point?.Y,
            Municipio: zone.Municipio,
            Nil: zone.Nil);
    }
}
