using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.Web.Features.Incidents;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Tests;
using ControlRoom.Web.Features.Operations;
using ControlRoom.Web.Situation;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static ControlRoom.Web.Tests.Views;

namespace ControlRoom.Web.Tests;

/// <summary>Operators' decisions move alerts out of the inbox and back, on every screen, after a restart too.</summary>
public class SituationTriageTests
{
    private static readonly Lazy<ZoneIndex> Zones = new(() =>
    {
        var geo = Path.Combine(TestEnvironment.RepositoryRoot, "seed-data", "geo");
        return ZoneIndex.FromGeoJson(File.ReadAllText(Path.Combine(geo, "municipi.geojson")), File.ReadAllText(Path.Combine(geo, "nil.geojson")));
    });

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(10_000));

    private SituationStore Store() => new(Zones.Value, Options.Create(new SituationOptions()), _clock);

    private static string Key(string id) => "/test\n" + id;

    private long _streamMs = 1_000;

    /// <summary>A decision as the outbox publishes it and the hub delivers it.</summary>
    private WireEvent Triaged(AlertTriage triage) =>
        new($"{++_streamMs}-0", CloudEventJson.Parse(AlertTriageCommands.Message(triage).Payload, triage.At));

    private AlertTriage Acknowledge(AlertDisposition disposition, params string[] ids) =>
        AlertTriage.Acknowledge([.. ids.Select(Key)], disposition, _clock.GetUtcNow(), "Postazione 1").Triage!;

    [Fact]
    public void Acknowledged_AsDuplicateOrFalsePositive_LeavesTheInbox_AsRelevantStaysMarked()
    {
        var store = Store();
        store.Apply(Alerts.Batch(Alerts.Wire(1, "a"), Alerts.Wire(2, "b"), Alerts.Wire(3, "c"), Alerts.Wire(4, "d")));
        using var subscription = store.Subscribe(Everything);

        store.Apply(Alerts.Batch(
            Triaged(Acknowledge(AlertDisposition.Duplicate, "a", "c")),
            Triaged(Acknowledge(AlertDisposition.Relevant, "b")),
            Triaged(Acknowledge(AlertDisposition.FalsePositive, "missing"))));

        var snapshot = store.Snapshot(Everything);
        snapshot.Alerts.Select(a => a.Key).ShouldBe([Key("d"), Key("b")]);
        snapshot.Alerts[1].Triage.ShouldNotBeNull().Disposition.ShouldBe(AlertDisposition.Relevant);
        snapshot.Alerts[0].Triage.ShouldBeNull();
        snapshot.Handled.Select(a => (a.Key, a.Triage!.Disposition)).ShouldBe([(Key("c"), AlertDisposition.Duplicate), (Key("a"), AlertDisposition.Duplicate)]);
        var changes = subscription.Drain();
        var alerts = changes.OfType<AlertsChanged>().ShouldHaveSingleItem();
        alerts.Evicted.Select(a => a.Key).ShouldBe([Key("a"), Key("c")]);
        alerts.Added.ShouldHaveSingleItem().Key.ShouldBe(Key("b"));
        changes.OfType<HandledAlertsChanged>().ShouldHaveSingleItem();
    }

    [Fact]
    public void Reopened_ComesBackAtItsPlaceInTime_NotOnTop()
    {
        var store = Store();
        store.Apply(Alerts.Batch(Alerts.Wire(1, "a"), Alerts.Wire(2, "b"), Alerts.Wire(3, "c")));
        store.Apply(Alerts.Batch(Triaged(Acknowledge(AlertDisposition.FalsePositive, "b"))));
        _clock.Advance(TimeSpan.FromSeconds(30));

        store.Apply(Alerts.Batch(Triaged(AlertTriage.Reopen([Key("b")], _clock.GetUtcNow(), "Postazione 2").Triage!)));

        var snapshot = store.Snapshot(Everything);
        snapshot.Alerts.Select(a => a.Key).ShouldBe([Key("c"), Key("b"), Key("a")]);
        snapshot.Alerts[1].Triage!.Action.ShouldBe(TriageAction.Reopened);
        snapshot.Handled.ShouldBeEmpty();
    }

    [Fact]
    public void Shelved_LeavesTheInbox_AndComesBackByItselfWhenTheShelfEnds()
    {
        var store = Store();
        store.Apply(Alerts.Batch(Alerts.Wire(1, "a"), Alerts.Wire(2, "b")));
        var shelf = AlertTriage.Shelve([Key("a")], TimeSpan.FromMinutes(15), _clock.GetUtcNow(), "Postazione 1").Triage!;
        store.Apply(Alerts.Batch(Triaged(shelf)));
        store.Snapshot(Everything).Alerts.Select(a => a.Key).ShouldBe([Key("b")]);
        store.Snapshot(Everything).Handled.ShouldHaveSingleItem().Triage!.ShelvedUntil.ShouldBe(shelf.ShelvedUntil);
        using var subscription = store.Subscribe(Everything);

        _clock.Advance(TimeSpan.FromMinutes(14));
        store.Snapshot(Everything).Alerts.Count.ShouldBe(1);
        _clock.Advance(TimeSpan.FromMinutes(1.1)); // the store's timer fires

        store.Snapshot(Everything).Alerts.Select(a => a.Key).ShouldBe([Key("b"), Key("a")]);
        store.Snapshot(Everything).Handled.ShouldBeEmpty();
        subscription.Drain().OfType<AlertsChanged>().ShouldHaveSingleItem().Added.ShouldHaveSingleItem().Key.ShouldBe(Key("a"));
    }

    [Fact]
    public void SeededDecisions_ApplyToAlertsArrivingLater_AndAnOlderReplayDoesNotUndoANewerDecision()
    {
        var store = Store();
        var duplicate = Acknowledge(AlertDisposition.Duplicate, "a", "b");
        _clock.Advance(TimeSpan.FromSeconds(5));
        var reopened = AlertTriage.Reopen([Key("b")], _clock.GetUtcNow(), "Postazione 2").Triage!;
        store.Seed([duplicate, reopened]);

        store.Apply(Alerts.Batch(Alerts.Wire(1, "a"), Alerts.Wire(2, "b"), Triaged(duplicate), Alerts.Wire(5_000, "c")));

        store.Snapshot(Everything).Alerts.Select(a => a.Key).ShouldBe([Key("c"), Key("b")]);
        store.Snapshot(Everything).Handled.ShouldHaveSingleItem().Key.ShouldBe(Key("a"));
    }

    [Fact]
    public void AMalformedDecisionOnTheStream_IsIgnored_AndTheRestOfTheBatchApplies()
    {
        var store = Store();
        var empty = new WireEvent("1500-0", new EventEnvelope
        {
            Id = "forged", Source = "/somebody", Type = EventTypes.AlertTriaged, Time = _clock.GetUtcNow(),
            Data = System.Text.Json.JsonSerializer.SerializeToElement(new { action = "Acknowledged", disposition = "FalsePositive" }),
        });

        store.Apply(Alerts.Batch(Alerts.Wire(1, "a"), empty, Alerts.Wire(5_000, "b")));

        store.Snapshot(Everything).Alerts.Select(a => a.Key).ShouldBe([Key("b"), Key("a")]);
        store.Snapshot(Everything).Handled.ShouldBeEmpty();
    }

    [Fact]
    public void AFullHandledList_NeverDropsAnAlertStillOnItsShelf()
    {
        var store = new SituationStore(Zones.Value, Options.Create(new SituationOptions { MaxAlerts = 10 }), _clock);
        store.Apply(Alerts.Batch([.. Enumerable.Range(1, 11).Select(i => Alerts.Wire(i, $"a{i}"))]));
        store.Apply(Alerts.Batch(Triaged(AlertTriage.Shelve([Key("a2")], TimeSpan.FromMinutes(15), _clock.GetUtcNow(), "Postazione 1").Triage!)));
        _clock.Advance(TimeSpan.FromSeconds(1));

        store.Apply(Alerts.Batch(Triaged(Acknowledge(AlertDisposition.Duplicate, [.. Enumerable.Range(3, 9).Select(i => $"a{i}")]))));
        _clock.Advance(TimeSpan.FromSeconds(1));
        store.Apply(Alerts.Batch(Alerts.Wire(2_000, "late"), Triaged(Acknowledge(AlertDisposition.FalsePositive, "late"))));

        store.Snapshot(Everything).Handled.Count.ShouldBe(10);
        store.Snapshot(Everything).Handled.ShouldContain(a => a.Key == Key("a2"));
        _clock.Advance(TimeSpan.FromMinutes(15));
        store.Snapshot(Everything).Alerts.ShouldContain(a => a.Key == Key("a2"));
    }

    [Fact]
    public void AlertsLinkedToAnIncident_LeaveTheHandledListToo()
    {
        var store = Store();
        store.Apply(Alerts.Batch(Alerts.Wire(1, "a"), Triaged(Acknowledge(AlertDisposition.Duplicate, "a"))));
        store.Snapshot(Everything).Handled.Count.ShouldBe(1);

        var (incident, _) = Incident.Open(IncidentId.New(), _clock.GetUtcNow(), "Postazione 1", "flooding", null, IncidentSource.SensorAlert,
            Milan.Point(9.19, 45.46), 1, "DUOMO", "Allagamento", null, [Key("a")]);
        store.Apply(Alerts.Batch(new WireEvent("2000-0", CloudEventJson.Parse(IncidentMessages.Updated(incident!).Payload, _clock.GetUtcNow()))));

        store.Snapshot(Everything).Handled.ShouldBeEmpty();
        store.Snapshot(Everything).Alerts.ShouldBeEmpty();
    }
}

internal static class SubscriptionDrain
{
    /// <summary>Every change queued so far.</summary>
    public static List<SituationChange> Drain(this SituationSubscription subscription)
    {
        var changes = new List<SituationChange>();
        while (subscription.Changes.TryRead(out var change))
            changes.Add(change);
        return changes;
    }
}
