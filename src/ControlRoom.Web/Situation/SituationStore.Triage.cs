using System.Collections.Immutable;
using ControlRoom.Domain.Alerts;
using ControlRoom.EventStream;

namespace ControlRoom.Web.Situation;

/// <summary>
/// Operators' decisions on alerts: which stay in the inbox, which go to the handled list, and shelved
/// ones coming back when their shelf ends. Called under the store's lock, like the rest of Apply.
/// </summary>
public sealed partial class SituationStore
{
    /// <summary>
    /// Decisions the system of record holds, at start (oldest first): alerts that arrive later, or are
    /// replayed by the stream, land where their latest decision puts them.
    /// </summary>
    public void Seed(IReadOnlyList<AlertTriage> decisions)
    {
        var added = new List<AlertView>();
        var evicted = new List<AlertView>();
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var handledBefore = _handled;
            var alerts = _alerts;
            foreach (var triage in decisions.Where(d => d.IsWellFormed))
                alerts = ApplyTriage(alerts, triage, now, added, evicted);
            _alerts = Trim(alerts, added, evicted);
            if (added.Count > 0 || evicted.Count > 0)
                Publish(new AlertsChanged(added, evicted));
            if (_handled != handledBefore)
                Publish(new HandledAlertsChanged());
        }
    }

    /// <summary>Shelved alerts whose shelf has ended go back to the inbox (a timer calls this every few seconds).</summary>
    public void ReleaseExpiredShelves()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var expired = _handled.Where(a => a.Triage is { } t && t.KeepsInInbox(now)).ToList();
            if (expired.Count == 0)
                return;
            var added = new List<AlertView>();
            var evicted = new List<AlertView>();
            var alerts = _alerts;
            foreach (var alert in expired)
            {
                _handled = _handled.Remove(alert);
                alerts = Reinsert(alerts, alert, added);
            }
            _alerts = Trim(alerts, added, evicted);
            Publish(new AlertsChanged(added, evicted));
            Publish(new HandledAlertsChanged());
        }
    }

    /// <summary>Records an operator's decision and moves each alert it names into or out of the inbox.</summary>
    private ImmutableList<AlertView> ApplyTriage(ImmutableList<AlertView> alerts, AlertTriage triage, DateTimeOffset now, List<AlertView> added, List<AlertView> evicted)
    {
        foreach (var key in triage.AlertKeys)
        {
            if (_triage.TryGetValue(key, out var latest) && (latest.Id == triage.Id || latest.At > triage.At))
                continue; // seen already, or older than what we know (a replay after the seed)
            _triage[key] = triage;
            var inInbox = alerts.FindIndex(a => a.Key == key);
            var inHandled = _handled.FindIndex(a => a.Key == key);
            if (inInbox >= 0)
            {
                var view = alerts[inInbox] with { Triage = triage };
                if (triage.KeepsInInbox(now))
                {
                    alerts = alerts.SetItem(inInbox, view);
                    added.Add(view);
                    continue;
                }
                alerts = alerts.RemoveAt(inInbox);
                _keys.Remove(key);
                added.RemoveAll(a => a.Key == key);
                evicted.Add(view);
                Handle(view);
            }
            else if (inHandled >= 0)
            {
                var view = _handled[inHandled] with { Triage = triage };
                _handled = _handled.RemoveAt(inHandled);
                if (triage.KeepsInInbox(now))
                    alerts = Reinsert(alerts, view, added);
                else
                    Handle(view);
            }
        }
        return alerts;
    }

    /// <summary>
    /// Keeps the handled list newest first and as long as the inbox may be; an alert still on its shelf
    /// is never the one dropped, or it could not come back.
    /// </summary>
    private void Handle(AlertView view)
    {
        var id = StreamId.Parse(view.StreamId);
        var index = _handled.FindIndex(a => StreamId.Parse(a.StreamId) < id);
        _handled = index < 0 ? _handled.Add(view) : _handled.Insert(index, view);
        if (_handled.Count <= options.Value.MaxAlerts)
            return;
        var now = clock.GetUtcNow();
        var oldest = _handled.FindLastIndex(a => a.Triage is not { Action: TriageAction.Shelved } shelf || shelf.KeepsInInbox(now));
        if (oldest >= 0)
        {
            _triage.Remove(_handled[oldest].Key);
            _handled = _handled.RemoveAt(oldest);
        }
    }

    /// <summary>Back into the inbox at its place in time, not on top: it is not a new alert.</summary>
    private ImmutableList<AlertView> Reinsert(ImmutableList<AlertView> alerts, AlertView view, List<AlertView> added)
    {
        var id = StreamId.Parse(view.StreamId);
        var index = alerts.FindIndex(a => StreamId.Parse(a.StreamId) < id);
        _keys.Add(view.Key);
        added.Add(view);
        return index < 0 ? alerts.Add(view) : alerts.Insert(index, view);
    }
}
