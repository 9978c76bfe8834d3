using System.Collections.Immutable;
using ControlRoom.Domain.Access;
using ControlRoom.Domain.Events;
using ControlRoom.Web.Features.Access;

namespace ControlRoom.Web.Situation;

/// <summary>
/// What one screen may see of the shared situation: alerts and incidents up to its role's clearance,
/// personal data only where its role may read it (including a title the producer marked personal).
/// Applied to the snapshot and to every change before they reach the circuit.
/// </summary>
public sealed record SituationView(Visibility Clearance, bool PersonalData)
{
    /// <summary>No alerts at all: for components that only show the connection state, or a screen without a session.</summary>
    public static readonly SituationView None = new((Visibility)(-1), false);

    public static SituationView For(Role? role) =>
        role is { } r ? new(AccessPolicy.Clearance(r), AccessPolicy.SeesPersonalData(r)) : None;

    public AlertView? Of(AlertView alert) =>
        alert.Visibility > Clearance ? null
        : PersonalData || alert.PersonalData is null ? alert
        : alert with
        {
            Title = alert.PersonalData.ContainsKey("title") ? alert.Subject ?? alert.Type : alert.Title,
            SensorKind = alert.PersonalData.ContainsKey("kind") ? null : alert.SensorKind,
            PersonalData = null,
            PersonalDataHidden = true,
        };

    public SituationSnapshot Of(SituationSnapshot snapshot) => snapshot with
    {
        Alerts = [.. Visible(snapshot.Alerts)],
        Handled = [.. Visible(snapshot.Handled)],
        Incidents = snapshot.Incidents.Values.Any(i => i.Visibility > Clearance)
            ? snapshot.Incidents.Where(i => i.Value.Visibility <= Clearance).ToImmutableDictionary() : snapshot.Incidents,
        Units = snapshot.Units.Values.Any(Hides) ? snapshot.Units.ToImmutableDictionary(u => u.Key, u => Of(u.Value)) : snapshot.Units,
    };

    /// <summary>A unit on an incident above the clearance shows as busy, without naming the incident.</summary>
    public UnitView Of(UnitView unit) => Hides(unit) ? unit with { Incident = null, IncidentVisibility = Visibility.Public } : unit;

    /// <summary>The change as this screen may see it; null when nothing of it is for this screen.</summary>
    public SituationChange? Of(SituationChange change) => change switch
    {
        AlertsChanged alerts when Visible(alerts.Added).ToList() is var added
                && Visible(alerts.Evicted).ToList() is var evicted && (added.Count > 0 || evicted.Count > 0)
            => new AlertsChanged(added, evicted), // not even the key of an alert above the clearance
        AlertsChanged => null,
        IncidentsChanged incidents when incidents.Incidents.Where(i => i.Visibility <= Clearance).ToList() is var visible
            => visible.Count == 0 ? null : visible.Count == incidents.Incidents.Count ? incidents : new IncidentsChanged(visible),
        UnitsChanged units when units.Units.Any(Hides) => new UnitsChanged([.. units.Units.Select(Of)]),
        _ => change,
    };

    private bool Hides(UnitView unit) => unit.Incident is not null && unit.IncidentVisibility > Clearance;

    private IEnumerable<AlertView> Visible(IEnumerable<AlertView> alerts) => alerts.Select(Of).OfType<AlertView>();
}
