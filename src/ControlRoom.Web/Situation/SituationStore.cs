using System.Collections.Immutable;
using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Geography;
using ControlRoom.EventStream;
using System.Text.Json;
using ControlRoom.Domain.Units;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Web.Features.Incidents;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace ControlRoom.Web.Situation;

/// <summary>
/// The current picture in this web process, fed by its one hub connection and fanned out to every
/// circuit. Applies each stream entry once (by stream id), keeps the newest alerts and knows the last
/// id seen, which the gateway link sends back to resume exactly after a reconnect. Operators' triage
/// decides which alerts stay in the inbox; shelved alerts come back by themselves when the shelf ends.
/// </summary>
public sealed partial class SituationStore : IDisposable
{
    private static readonly TimeSpan ShelfCheck = TimeSpan.FromSeconds(5);
    private readonly ZoneIndex zones;
    private readonly IOptions<SituationOptions> options;
    private readonly TimeProvider clock;
    private readonly ITimer _shelfTimer;
    private readonly Lock _gate = new();
    private readonly List<SituationSubscription> _subscribers = [];
    private ImmutableList<AlertView> _alerts = []; // the inbox, newest first
    private ImmutableList<AlertView> _handled = []; // triaged out of the inbox, newest first
    private readonly Dictionary<string, AlertTriage> _triage = new(StringComparer.Ordinal); // latest decision per alert key
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _linkedToIncidents = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, IncidentSnapshot> _incidents = ImmutableDictionary<string, IncidentSnapshot>.Empty;
    private ImmutableDictionary<string, UnitView> _units = ImmutableDictionary<string, UnitView>.Empty;
    private StreamId? _lastSeen;
    private bool _hubConnected;
    private bool _everConnected;
    private bool? _streamAvailable; // unknown until the gateway says, after each (re)connection
    private long _eventsReceived;

    public SituationStore(ZoneIndex zones, IOptions<SituationOptions> options, TimeProvider clock)
    {
        this.zones = zones;
        this.options = options;
        this.clock = clock;
        _shelfTimer = clock.CreateTimer(_ => ReleaseExpiredShelves(), null, ShelfCheck, ShelfCheck);
    }

    public void Dispose() => _shelfTimer.Dispose();

    public string? LastSeenStreamId
    {
        get { lock (_gate) return _lastSeen?.ToString(); }
    }

    /// <summary>The situation as <paramref name="view"/> (a role's clearance) may see it.</summary>
    public SituationSnapshot Snapshot(SituationView view)
    {
        lock (_gate)
            return view.Of(Current());
    }

    /// <summary>The situation and every change after it, as <paramref name="view"/> (a role's clearance) may see them.</summary>
    public SituationSubscription Subscribe(SituationView view)
    {
        lock (_gate)
        {
            var subscription = new SituationSubscription(view.Of(Current()), view, options.Value.SubscriberCapacity, Unsubscribe);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    private SituationSnapshot Current() => new(_alerts, Status, _eventsReceived, _incidents, _units, _handled);

    private void Unsubscribe(SituationSubscription subscription)
    {
        lock (_gate)
            _subscribers.Remove(subscription);
    }

    public void Apply(EventBatch batch)
    {
        var added = new List<AlertView>();
        var evicted = new List<AlertView>();
        var incidents = new Dictionary<string, IncidentSnapshot>();
        var units = new Dictionary<string, UnitView>();
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var handledBefore = _handled;
            var alerts = _alerts;
            foreach (var wire in batch.Events)
            {
                var id = StreamId.Parse(wire.StreamId);
                if (_lastSeen is { } last && id <= last)
                    continue; // already applied: at-least-once delivery, shown once
                _lastSeen = id;
                _eventsReceived++;
                switch (wire.Event.Type)
                {
                    case EventTypes.SensorAlertRaised:
                        alerts = AddAlert(alerts, ToView(wire.StreamId, wire.Event), now, added, evicted);
                        break;
                    case EventTypes.AlertTriaged when Read<AlertTriage>(wire.Event) is { IsWellFormed: true } triage:
                        alerts = ApplyTriage(alerts, triage, now, added, evicted);
                        break;
                    case EventTypes.IncidentUpdated when Read<IncidentSnapshot>(wire.Event) is { } incident:
                        if (_incidents.TryGetValue(incident.Id, out var known) && known.Version >= incident.Version)
                            break;
                        _incidents = _incidents.SetItem(incident.Id, incident);
                        incidents[incident.Id] = incident;
                        Reclassify(incident, units);
                        alerts = LeaveInbox(alerts, incident.AlertKeys, added, evicted);
                        break;
                    case EventTypes.UnitStatusChanged when Read<UnitSnapshot>(wire.Event) is { } unit:
                        var view = _units.TryGetValue(unit.Id, out var seen)
                            ? seen with { Status = unit.Status, Incident = unit.Incident, IncidentVisibility = VisibilityOf(unit.Incident) } // keep the live position
                            : new UnitView(unit.Id, unit.Kind, unit.Base, unit.Status, unit.Incident, unit.Lon, unit.Lat, VisibilityOf(unit.Incident));
                        _units = _units.SetItem(unit.Id, view);
                        units[unit.Id] = view;
                        break;
                    case EventTypes.UnitPositionReported when wire.Event.Subject is { } unitId && wire.Event.Location is Point p:
                        var moved = _units.TryGetValue(unitId, out var before)
                            ? before with { Lon = p.X, Lat = p.Y }
                            : new UnitView(unitId, Enum.TryParse<UnitKind>(wire.Event.TryGetString("kind"), true, out var kind) ? kind : UnitKind.PatrolCar,
                                "", UnitStatus.Available, null, p.X, p.Y);
                        _units = _units.SetItem(unitId, moved);
                        units[unitId] = moved;
                        break;
                }
            }

            _alerts = Trim(alerts, added, evicted);
            if (added.Count > 0 || evicted.Count > 0)
                Publish(new AlertsChanged(added, evicted));
            if (incidents.Count > 0)
                Publish(new IncidentsChanged([.. incidents.Values]));
            if (units.Count > 0)
                Publish(new UnitsChanged([.. units.Values]));
            if (_handled != handledBefore)
                Publish(new HandledAlertsChanged());
        }
    }

    /// <summary>
    /// Keeps the inbox to <see cref="SituationOptions.MaxAlerts"/>: the oldest leave it (and the map), and
    /// so do their decisions, which nothing on screen needs any more. A burst larger than the window is never shown.
    /// </summary>
    private ImmutableList<AlertView> Trim(ImmutableList<AlertView> alerts, List<AlertView> added, List<AlertView> evicted)
    {
        var overflow = alerts.Count - options.Value.MaxAlerts;
        if (overflow <= 0)
            return alerts;
        var goneAlerts = alerts.GetRange(alerts.Count - overflow, overflow);
        var gone = goneAlerts.Select(a => a.Key).ToHashSet();
        _keys.ExceptWith(gone);
        foreach (var key in gone)
            _triage.Remove(key);
        evicted.AddRange(goneAlerts);
        added.RemoveAll(a => gone.Contains(a.Key));
        return alerts.RemoveRange(alerts.Count - overflow, overflow);
    }

    private ImmutableList<AlertView> AddAlert(ImmutableList<AlertView> alerts, AlertView view, DateTimeOffset now, List<AlertView> added, List<AlertView> evicted)
    {
        if (_linkedToIncidents.Contains(view.Key))
            return alerts; // already handled as part of an incident
        if (_triage.TryGetValue(view.Key, out var triage))
        {
            view = view with { Triage = triage };
            if (!triage.KeepsInInbox(now))
            {
                _handled = _handled.RemoveAll(a => a.Key == view.Key);
                Handle(view);
                return alerts;
            }
        }
        if (!_keys.Add(view.Key))
        {
            // The same source and id again (re-sent after the dedupe window): it replaces the earlier one.
            evicted.AddRange(alerts.Where(a => a.Key == view.Key));
            alerts = alerts.RemoveAll(a => a.Key == view.Key);
            added.RemoveAll(a => a.Key == view.Key);
        }
        added.Add(view);
        return alerts.Insert(0, view);
    }

    /// <summary>Alerts linked to an incident leave the inbox: the incident now carries them.</summary>
    private ImmutableList<AlertView> LeaveInbox(ImmutableList<AlertView> alerts, IReadOnlyList<string> keys, List<AlertView> added, List<AlertView> evicted)
    {
        foreach (var key in keys)
        {
            if (!_linkedToIncidents.Add(key))
                continue;
            _handled = _handled.RemoveAll(a => a.Key == key);
            if (!_keys.Remove(key))
                continue;
            evicted.AddRange(alerts.Where(a => a.Key == key));
            alerts = alerts.RemoveAll(a => a.Key == key);
            added.RemoveAll(a => a.Key == key);
        }
        return alerts;
    }

    private static T? Read<T>(EventEnvelope e) where T : class
    {
        try
        {
            return e.Data.Deserialize<T>(IncidentMessages.SerializerOptions);
        }
        catch (JsonException)
        {
            return null; // a shape this version does not know: leave it to the versions that do
        }
    }

    /// <summary>
    /// The picture the system of record holds, at start: the stream may not have it (an in-memory stream
    /// after a restart, or a trimmed Redis window). Stream events later win only if their version is newer.
    /// </summary>
    public void Seed(IReadOnlyList<IncidentSnapshot> incidents, IReadOnlyList<UnitView> units)
    {
        lock (_gate)
        {
            var changed = incidents.Where(i => !_incidents.TryGetValue(i.Id, out var known) || known.Version < i.Version).ToList();
            _incidents = _incidents.SetItems(changed.Select(i => KeyValuePair.Create(i.Id, i)));
            _linkedToIncidents.UnionWith(changed.SelectMany(i => i.AlertKeys));
            var newUnits = units.Where(u => !_units.ContainsKey(u.Id)).Select(u => u with { IncidentVisibility = VisibilityOf(u.Incident) }).ToList();
            _units = _units.SetItems(newUnits.Select(u => KeyValuePair.Create(u.Id, u)));
            var unitChanges = newUnits.ToDictionary(u => u.Id);
            changed.ForEach(i => Reclassify(i, unitChanges));
            if (changed.Count > 0)
                Publish(new IncidentsChanged(changed));
            if (unitChanges.Count > 0)
                Publish(new UnitsChanged([.. unitChanges.Values]));
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

    // An incident this store has not seen yet counts as the most sensitive, until it arrives (Reclassify).
    private Visibility VisibilityOf(string? incident) =>
        incident is null ? Visibility.Public : _incidents.TryGetValue(incident, out var known) ? known.Visibility : Visibility.Confidential;

    /// <summary>The units on an incident take its visibility once it is known (a unit's event may come first).</summary>
    private void Reclassify(IncidentSnapshot incident, Dictionary<string, UnitView> changedUnits)
    {
        foreach (var unit in _units.Values.Where(u => u.Incident == incident.Id && u.IncidentVisibility != incident.Visibility).ToList())
        {
            var reclassified = unit with { IncidentVisibility = incident.Visibility };
            _units = _units.SetItem(unit.Id, reclassified);
            changedUnits[unit.Id] = reclassified;
        }
    }

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
            Nil: zone.Nil,
            Subject: e.Subject,
            Visibility: e.Visibility,
            PersonalData: e.PersonalData.Count == 0 ? null
                : e.PersonalData.Where(f => e.TryGetString(f) is not null).ToDictionary(f => f, f => e.TryGetString(f)!));
    }
}
