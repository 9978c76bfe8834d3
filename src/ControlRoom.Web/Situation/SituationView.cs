using ControlRoom.Domain.Access;
using ControlRoom.Domain.Events;
using ControlRoom.Web.Features.Access;

namespace ControlRoom.Web.Situation;

/// <summary>
/// What one screen may see of the shared situation: alerts up to its role's clearance, personal data
/// only where its role may read it. Applied to the snapshot and to every change before they reach the circuit.
/// </summary>
public readonly record struct SituationView(Visibility Clearance, bool PersonalData)
{
    /// <summary>No alerts at all: for components that only show the connection state, or a screen without a session.</summary>
    public static readonly SituationView None = new((Visibility)(-1), false);

    public static SituationView For(Role? role) =>
        role is { } r ? new(AccessPolicy.Clearance(r), AccessPolicy.SeesPersonalData(r)) : None;

    public AlertView? Of(AlertView alert) =>
        alert.Visibility > Clearance ? null
        : PersonalData || alert.PersonalData is null ? alert
        : alert with { PersonalData = null, PersonalDataHidden = true };

    public SituationSnapshot Of(SituationSnapshot snapshot) => snapshot with
    {
        Alerts = [.. Visible(snapshot.Alerts)],
        Handled = [.. Visible(snapshot.Handled)],
    };

    /// <summary>The change as this screen may see it; null when nothing of it is for this screen.</summary>
    public SituationChange? Of(SituationChange change) => change switch
    {
        AlertsChanged alerts when Visible(alerts.Added).ToList() is var added && (added.Count > 0 || alerts.Evicted.Count > 0)
            => new AlertsChanged(added, alerts.Evicted), // evicting a key never seen here is harmless
        AlertsChanged => null,
        _ => change,
    };

    private IEnumerable<AlertView> Visible(IEnumerable<AlertView> alerts) => alerts.Select(Of).OfType<AlertView>();
}
