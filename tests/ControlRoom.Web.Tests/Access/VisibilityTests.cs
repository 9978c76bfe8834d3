using System.Text.Json;
using ControlRoom.Domain.Access;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Geography;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Web.Situation;
using Microsoft.Extensions.Options;

namespace ControlRoom.Web.Tests.Access;

/// <summary>
/// One shared situation, many screens: each receives only the alerts its role is cleared for (snapshot and
/// every change after it), and personal data only where its role may read it.
/// </summary>
public sealed class VisibilityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static WireEvent Alert(long ms, Visibility visibility, params string[] personal) =>
        new($"{ms}-0", new EventEnvelope
        {
            Id = visibility.ToWire() + ms,
            Source = "/test",
            Type = EventTypes.SensorAlertRaised,
            Time = T0.AddMilliseconds(ms),
            Severity = Severity.Severe,
            Visibility = visibility,
            Location = Milan.Point(9.19, 45.46),
            Data = JsonSerializer.SerializeToElement(new { title = "Allarme " + visibility.ToWire(), caller = "Mario Rossi", phone = "+39 333 1234567" }),
            PersonalData = personal,
        });

    private static SituationStore Store(int maxAlerts = 5_000) =>
        new(new ZoneIndex([], []), Options.Create(new SituationOptions { MaxAlerts = maxAlerts }), TimeProvider.System);

    private static IReadOnlyList<string> Ids(IEnumerable<AlertView> alerts) => [.. alerts.Select(a => a.Key[(a.Key.IndexOf('\n') + 1)..]).Order()];

    public static TheoryData<Role, string[]> SeenByRole => new()
    {
        { Role.PoliceOperator, ["operations2", "public1", "restricted3"] },
        { Role.PoliceSupervisor, ["confidential4", "operations2", "public1", "restricted3"] },
        { Role.CivilProtection, ["operations2", "public1", "restricted3"] },
        { Role.ItOperations, ["operations2", "public1", "restricted3"] },
        { Role.EventCoordinator, ["operations2", "public1"] },
        { Role.WallScreen, ["operations2", "public1"] },
        { Role.Administrator, ["operations2", "public1"] },
        { Role.Integrator, ["public1"] },
    };

    [Theory]
    [MemberData(nameof(SeenByRole))]
    public void EachRole_ReceivesOnlyWhatItIsClearedFor_InTheSnapshotAndInEveryChange(Role role, string[] expected)
    {
        var store = Store();
        store.Apply(new EventBatch([Alert(1, Visibility.Public), Alert(2, Visibility.Operations), Alert(3, Visibility.Restricted), Alert(4, Visibility.Confidential)]));
        using var subscription = store.Subscribe(SituationView.For(role));

        store.Apply(new EventBatch([Alert(11, Visibility.Public), Alert(12, Visibility.Operations), Alert(13, Visibility.Restricted), Alert(14, Visibility.Confidential)]));

        Ids(subscription.Snapshot.Alerts).ShouldBe(expected);
        var received = new List<AlertView>();
        while (subscription.Changes.TryRead(out var change))
            received.AddRange(change.ShouldBeOfType<AlertsChanged>().Added);
        Ids(received).ShouldBe([.. expected.Select(e => e[..^1] + "1" + e[^1])]);
        Ids(store.Snapshot(SituationView.For(role)).Alerts).Count.ShouldBe(expected.Length * 2);
    }

    [Fact]
    public void AChangeWithNothingVisible_IsNotSentAtAll()
    {
        var store = Store();
        using var wall = store.Subscribe(SituationView.For(Role.WallScreen));

        store.Apply(new EventBatch([Alert(1, Visibility.Restricted), Alert(2, Visibility.Confidential)]));

        wall.Changes.TryRead(out _).ShouldBeFalse();
    }

    [Fact]
    public void AnAlertLeavingTheInbox_IsNamedOnlyToScreensThatSawIt()
    {
        var store = Store(maxAlerts: 2);
        store.Apply(new EventBatch([Alert(1, Visibility.Restricted), Alert(2, Visibility.Operations)]));
        using var wall = store.Subscribe(SituationView.For(Role.WallScreen));
        using var desk = store.Subscribe(SituationView.For(Role.PoliceOperator));

        store.Apply(new EventBatch([Alert(3, Visibility.Operations), Alert(4, Visibility.Operations)])); // both older ones drop off the window

        static IReadOnlyList<string> Evicted(SituationSubscription s) =>
            s.Changes.TryRead(out var change) ? Ids(change.ShouldBeOfType<AlertsChanged>().Evicted) : [];
        Evicted(wall).ShouldBe(["operations2"]); // not even the key of the restricted alert
        Evicted(desk).ShouldBe(["operations2", "restricted1"]);
    }

    [Fact]
    public void AnAlertLeavingTheInbox_ReachesAScreenMasked_AsItWasShown()
    {
        var store = Store(maxAlerts: 1);
        store.Apply(new EventBatch([Alert(1, Visibility.Operations, "caller", "title")]));
        using var wall = store.Subscribe(SituationView.For(Role.WallScreen));

        store.Apply(new EventBatch([Alert(2, Visibility.Operations)]));

        wall.Changes.TryRead(out var change).ShouldBeTrue();
        var evicted = change.ShouldBeOfType<AlertsChanged>().Evicted.Single();
        (evicted.PersonalData, evicted.PersonalDataHidden, evicted.Title).ShouldBe((null, true, evicted.Type));
    }

    [Fact]
    public void AUnitReportedBeforeItsIncident_IsHiddenUntilTheIncidentArrives_ThenShownAsTheIncidentAllows()
    {
        var store = Store();
        using var wall = store.Subscribe(SituationView.For(Role.WallScreen));
        static Features.Incidents.IncidentSnapshot Incident(string id) => new(id, "flooding", Domain.Incidents.Priority.P2,
            Domain.Incidents.IncidentStatus.Dispatched, 9.19, 45.46, 1, "DUOMO", "Intervento " + id, 1, T0, T0, [], [], "IncidentOpened", "op", Visibility.Operations);

        store.Apply(new EventBatch([UnitWire(1, "A7", "later")]));
        wall.Changes.TryRead(out var before).ShouldBeTrue();
        before.ShouldBeOfType<UnitsChanged>().Units.Single().Incident.ShouldBeNull(); // unknown yet: treated as the most sensitive

        store.Apply(new EventBatch([IncidentWire(2, Incident("later"))]));

        var changes = new List<SituationChange>();
        while (wall.Changes.TryRead(out var change))
            changes.Add(change);
        changes.OfType<UnitsChanged>().Single().Units.Single().Incident.ShouldBe("later");
        wall.Snapshot.Units.ShouldBeEmpty();
        store.Snapshot(SituationView.For(Role.WallScreen)).Units["A7"].Incident.ShouldBe("later");
    }

    private static WireEvent UnitWire(long ms, string unit, string incident) =>
        new($"{ms}-0", new EventEnvelope
        {
            Id = unit + "/" + ms,
            Source = Features.Incidents.IncidentMessages.Source,
            Type = EventTypes.UnitStatusChanged,
            Time = T0,
            Subject = unit,
            Data = JsonSerializer.SerializeToElement(new Features.Incidents.UnitSnapshot(unit, Domain.Units.UnitKind.PatrolCar, "Comando",
                Domain.Units.UnitStatus.EnRoute, incident, 9.2, 45.48), Features.Incidents.IncidentMessages.SerializerOptions),
        });

    [Theory]
    [InlineData(Role.PoliceOperator, true)]
    [InlineData(Role.CivilProtection, true)]
    [InlineData(Role.WallScreen, false)]
    [InlineData(Role.EventCoordinator, false)]
    [InlineData(Role.ItOperations, false)]
    public void PersonalData_IsMaskedForRolesThatMayNotReadIt(Role role, bool sees)
    {
        var store = Store();
        store.Apply(new EventBatch([Alert(1, Visibility.Operations, "caller", "phone"), Alert(2, Visibility.Operations)]));

        var alerts = store.Snapshot(SituationView.For(role)).Alerts;

        var withPersonal = alerts.Single(a => a.Key.EndsWith("operations1", StringComparison.Ordinal));
        if (sees)
        {
            withPersonal.PersonalData.ShouldBe(new Dictionary<string, string> { ["caller"] = "Mario Rossi", ["phone"] = "+39 333 1234567" });
            withPersonal.PersonalDataHidden.ShouldBeFalse();
        }
        else
        {
            withPersonal.PersonalData.ShouldBeNull();
            withPersonal.PersonalDataHidden.ShouldBeTrue();
        }
        var without = alerts.Single(a => a.Key.EndsWith("operations2", StringComparison.Ordinal));
        (without.PersonalData, without.PersonalDataHidden).ShouldBe((null, false)); // nothing personal, nothing to hide
    }

    [Fact]
    public void ATitleMarkedPersonal_IsReplacedForRolesThatMayNotReadIt()
    {
        var store = Store();
        var alert = Alert(1, Visibility.Operations, "title");
        store.Apply(new EventBatch([alert with { Event = alert.Event with { Subject = "linea-020202" } }]));

        store.Snapshot(SituationView.For(Role.WallScreen)).Alerts.Single().Title.ShouldBe("linea-020202");
        store.Snapshot(SituationView.For(Role.PoliceOperator)).Alerts.Single().Title.ShouldBe("Allarme operations");
    }

    [Fact]
    public void AnIncident_IsSeenOnlyByRolesClearedForIt_InTheSnapshotAndItsChanges()
    {
        var store = Store();
        static Features.Incidents.IncidentSnapshot Incident(string id, Visibility visibility) => new(id, "flooding", Domain.Incidents.Priority.P1,
            Domain.Incidents.IncidentStatus.New, 9.19, 45.46, 1, "DUOMO", "Intervento " + id, 1, T0, T0, [], [], "IncidentOpened", "op", visibility);
        store.Seed([Incident("open", Visibility.Operations), Incident("hidden", Visibility.Restricted)], []);
        using var wall = store.Subscribe(SituationView.For(Role.WallScreen));
        using var operatorScreen = store.Subscribe(SituationView.For(Role.PoliceOperator));

        store.Apply(new EventBatch([IncidentWire(2, Incident("hidden", Visibility.Restricted) with { Version = 2 })]));

        wall.Snapshot.Incidents.Keys.ShouldBe(["open"]);
        operatorScreen.Snapshot.Incidents.Keys.ShouldBe(["hidden", "open"], ignoreOrder: true);
        wall.Changes.TryRead(out _).ShouldBeFalse();
        operatorScreen.Changes.TryRead(out var change).ShouldBeTrue();
        change.ShouldBeOfType<IncidentsChanged>().Incidents.Single().Id.ShouldBe("hidden");
    }

    [Fact]
    public void AUnitOnAnIncidentAboveTheClearance_ShowsBusy_WithoutNamingTheIncident()
    {
        var store = Store();
        static Features.Incidents.IncidentSnapshot Incident(string id, Visibility visibility) => new(id, "assault", Domain.Incidents.Priority.P1,
            Domain.Incidents.IncidentStatus.Dispatched, 9.19, 45.46, 1, "DUOMO", "Intervento " + id, 1, T0, T0, [], [], "IncidentOpened", "op", visibility);
        static UnitView Unit(string id, string? incident) => new(id, Domain.Units.UnitKind.PatrolCar, "Comando", Domain.Units.UnitStatus.EnRoute, incident, 9.18, 45.47);
        store.Seed([Incident("open", Visibility.Operations), Incident("hidden", Visibility.Restricted)], [Unit("A1", "hidden"), Unit("A2", "open")]);
        using var wall = store.Subscribe(SituationView.For(Role.WallScreen));
        using var desk = store.Subscribe(SituationView.For(Role.PoliceOperator));

        store.Apply(new EventBatch([UnitWire(5, "A3", "hidden")]));

        wall.Snapshot.Units.OrderBy(u => u.Key).Select(u => (u.Key, u.Value.Incident)).ShouldBe([("A1", null), ("A2", "open")]);
        desk.Snapshot.Units["A1"].Incident.ShouldBe("hidden");
        wall.Changes.TryRead(out var wallChange).ShouldBeTrue();
        wallChange.ShouldBeOfType<UnitsChanged>().Units.Single().ShouldSatisfyAllConditions(u => u.Id.ShouldBe("A3"), u => u.Incident.ShouldBeNull());
        desk.Changes.TryRead(out var deskChange).ShouldBeTrue();
        deskChange.ShouldBeOfType<UnitsChanged>().Units.Single().Incident.ShouldBe("hidden");
    }

    private static WireEvent IncidentWire(long ms, Features.Incidents.IncidentSnapshot incident) =>
        new($"{ms}-0", new EventEnvelope
        {
            Id = incident.Id + "/v" + incident.Version,
            Source = Features.Incidents.IncidentMessages.Source,
            Type = EventTypes.IncidentUpdated,
            Time = T0,
            Visibility = incident.Visibility,
            Data = JsonSerializer.SerializeToElement(incident, Features.Incidents.IncidentMessages.SerializerOptions),
        });

    [Fact]
    public void WithoutASession_NothingIsSeen()
    {
        var store = Store();
        store.Apply(new EventBatch([Alert(1, Visibility.Public)]));

        store.Snapshot(SituationView.For(null)).Alerts.ShouldBeEmpty();
    }
}
