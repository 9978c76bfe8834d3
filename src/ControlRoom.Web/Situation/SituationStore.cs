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
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private StreamId? _lastSeen;
    private bool _hubConnected;
    private bool _everConnected;
    private bool? _streamAvailable; // unknown until the gateway says, after each (re)connection
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
        var evicted = new List<string>();
        lock (_gate)
        {
            var alerts = _alerts;
            foreach (var wire in batch.Events)
            {
                var id = StreamId.Parse(wire.StreamId);
                if (_lastSeen is { } last && id <= last)
                    continue; // already applied: at-least-once delivery, shown once
                _lastSeen = id;
                _eventsReceived++;
                if (wire.Event.Type != EventTypes.SensorAlertRaised)
                    continue;
                var view = ToView(wire.StreamId, wire.Event);
                if (!_keys.Add(view.Key))
                {
                    // The same source and id again (re-sent after the dedupe window): it replaces the earlier one.
                    alerts = alerts.RemoveAll(a => a.Key == view.Key);
                    added.RemoveAll(a => a.Key == view.Key);
                    evicted.Add(view.Key);
                }
                alerts = alerts.Insert(0, view);
                added.Add(view);
            }
            if (added.Count == 0)
                return;

            var overflow = alerts.Count - options.Value.MaxAlerts;
            if (overflow > 0)
            {
                var gone = alerts.GetRange(alerts.Count - overflow, overflow).Select(a => a.Key).ToHashSet();
                alerts = alerts.RemoveRange(alerts.Count - overflow, overflow);
                _keys.ExceptWith(gone);
                evicted.AddRange(gone);
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
            _streamAvailable = null; // a new subscription: live only once the gateway has read its stream
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
        : _streamAvailable switch
        {
            true => ConnectionStatus.Live,
            false => ConnectionStatus.StreamDown,
            null => _everConnected && _lastSeen is not null ? ConnectionStatus.Reconnecting : ConnectionStatus.Connecting,
        };

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
        ZoneInfo zone;
        try
        {
            zone = zones.Resolve(e.Location);
        }
        catch (Exception ex) when (ex is ArgumentException or TopologyException)
        {
            zone = ZoneInfo.Outside; // a geometry NTS cannot place: show the alert without its zone
        }
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
