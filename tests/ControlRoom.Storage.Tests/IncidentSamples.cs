using ControlRoom.Domain.Audit;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;

namespace ControlRoom.Storage.Tests;

/// <summary>Events and units for the storage tests, with values that expose lossy round-trips.</summary>
internal static class IncidentSamples
{
    // A non-UTC offset and sub-second ticks: the log must keep both exactly.
    public static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567);

    public static readonly UnitId Alfa = new("PL-M3-A12");
    public static readonly UnitId Bravo = new("PC-VOL-07");

    public static IncidentOpened Opened(IncidentId id, DateTimeOffset? at = null, string title = "Seveso oltre soglia a Niguarda") => new(
        id, at ?? T0, "op.rossi", "flooding", Priority.P2, IncidentSource.SensorAlert, Milan.Point(9.1922131, 45.5258337),
        9, "Niguarda - Ca' Granda", title, "Livello 2,1 m, in crescita — «allerta»", ["sensor:seveso-niguarda:42", "cap:it-mi-2026-118"],
        Domain.Events.Visibility.Restricted);

    /// <summary>Every event type in the order a real incident could see them, split over three lives.</summary>
    public static IReadOnlyList<IncidentEvent> ClosedLife(IncidentId id) =>
    [
        Opened(id),
        new IncidentAcknowledged(id, T0.AddMinutes(1), "op.rossi"),
        new PriorityChanged(id, T0.AddMinutes(2), "op.bianchi", Priority.P1),
        new UnitDispatched(id, T0.AddMinutes(3), "op.rossi", Alfa),
        new UnitDispatched(id, T0.AddMinutes(3).AddSeconds(5), "op.rossi", Bravo),
        new UnitArrived(id, T0.AddMinutes(11), "PL-M3-A12", Alfa),
        new UnitReleased(id, T0.AddMinutes(12), "op.rossi", Bravo),
        new NoteAdded(id, T0.AddMinutes(20), "PL-M3-A12", "Sottopasso chiuso, deviazione su via Ornato.\nSecond line \"quoted\"."),
        new IncidentResolved(id, T0.AddMinutes(55), "PL-M3-A12"),
        new IncidentClosed(id, T0.AddMinutes(60), "op.bianchi", "Acqua defluita, strada riaperta."),
    ];

    public static IReadOnlyList<IncidentEvent> CancelledLife(IncidentId id) =>
        [Opened(id), new IncidentCancelled(id, T0.AddMinutes(4), "op.rossi", "Duplicato di una segnalazione già aperta.")];

    public static IReadOnlyList<IncidentEvent> UnfoundedLife(IncidentId id) =>
        [Opened(id), new IncidentUnfounded(id, T0.AddMinutes(9), "op.verdi", "Sensore in manutenzione.")];

    /// <summary>An audit entry for a write whose audit is not what the test is about.</summary>
    public static AuditEntry Audited(string action = "test", string actor = "op") => new(T0, actor, action, "subject", "{}", "127.0.0.1");

    public static Unit Unit(UnitId id, UnitStatus status = UnitStatus.Available, IncidentId? incident = null, double lon = 9.18, double lat = 45.47) =>
        new(id, UnitKind.PatrolCar, "Comando Municipio 3", Milan.Point(lon, lat), status, incident);

    /// <summary>Compares logs field by field: records compare lists by reference, points by coordinates only.</summary>
    public static void ShouldBeSameLog(this IReadOnlyList<IncidentEvent> actual, IReadOnlyList<IncidentEvent> expected)
    {
        actual.Count.ShouldBe(expected.Count);
        for (var i = 0; i < expected.Count; i++)
            actual[i].ShouldBeSameEvent(expected[i]);
    }

    public static void ShouldBeSameEvent(this IncidentEvent actual, IncidentEvent expected)
    {
        actual.GetType().ShouldBe(expected.GetType());
        actual.At.Offset.ShouldBe(expected.At.Offset);
        actual.At.Ticks.ShouldBe(expected.At.Ticks);
        if (actual is IncidentOpened a && expected is IncidentOpened e)
        {
            a.AlertKeys.ShouldBe(e.AlertKeys);
            a.Location.SRID.ShouldBe(Milan.Srid);
            a.Location.X.ShouldBe(e.Location.X);
            a.Location.Y.ShouldBe(e.Location.Y);
            (a with { AlertKeys = e.AlertKeys, Location = e.Location }).ShouldBe(e);
        }
        else
        {
            actual.ShouldBe(expected);
        }
    }
}
