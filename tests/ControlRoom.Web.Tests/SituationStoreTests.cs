using ControlRoom.Domain.Events;
using ControlRoom.Domain.Geography;
using ControlRoom.Tests;
using ControlRoom.Web.Situation;
using Microsoft.Extensions.Options;
using static ControlRoom.Web.Tests.Views;

namespace ControlRoom.Web.Tests;

public class SituationStoreTests
{
    private static readonly Lazy<ZoneIndex> Zones = new(() =>
    {
        var geo = Path.Combine(TestEnvironment.RepositoryRoot, "seed-data", "geo");
        return ZoneIndex.FromGeoJson(File.ReadAllText(Path.Combine(geo, "municipi.geojson")), File.ReadAllText(Path.Combine(geo, "nil.geojson")));
    });

    private static SituationStore Store(int maxAlerts = 100, int capacity = 64, TimeProvider? clock = null) =>
        new(Zones.Value, Options.Create(new SituationOptions { MaxAlerts = maxAlerts, SubscriberCapacity = capacity }), clock ?? TimeProvider.System);

    [Fact]
    public void Apply_Alerts_AreNewestFirstWithTheirZones()
    {
        var store = Store();

        store.Apply(Alerts.Batch(Alerts.Wire(1, "a"), Alerts.Wire(2, "b", lon: 9.1922, lat: 45.5258)));

        var alerts = store.Snapshot(Everything).Alerts;
        alerts.Select(a => a.Title).ShouldBe(["Allarme b", "Allarme a"]);
        alerts[0].Municipio.ShouldBe(9);
        alerts[0].Nil.ShouldBe("NIGUARDA - CA' GRANDA - PRATO CENTENARO - Q.RE FULVIO TESTI");
        alerts[1].Nil.ShouldBe("DUOMO");
        store.LastSeenStreamId.ShouldBe("2-0");
    }

    [Fact]
    public void Apply_SameStreamIdAgain_IsShownOnce()
    {
        var store = Store();
        store.Apply(Alerts.Batch(Alerts.Wire(1, "a"), Alerts.Wire(2, "b")));

        store.Apply(Alerts.Batch(Alerts.Wire(2, "b"), Alerts.Wire(3, "c")));

        store.Snapshot(Everything).Alerts.Select(a => a.Title).ShouldBe(["Allarme c", "Allarme b", "Allarme a"]);
        store.Snapshot(Everything).EventsReceived.ShouldBe(3);
    }

    [Fact]
    public void Apply_Observations_CountButAreNotAlerts()
    {
        var store = Store();

        store.Apply(Alerts.Batch(Alerts.Wire(1, "o", type: EventTypes.SensorObservationRecorded)));

        store.Snapshot(Everything).Alerts.ShouldBeEmpty();
        store.Snapshot(Everything).EventsReceived.ShouldBe(1);
        store.LastSeenStreamId.ShouldBe("1-0");
    }

    [Fact]
    public async Task Apply_BeyondMaxAlerts_EvictsTheOldestAndTellsSubscribers()
    {
        var store = Store(maxAlerts: 3);
        using var subscription = store.Subscribe(Everything);

        store.Apply(Alerts.Batch(Alerts.Wire(1, "a"), Alerts.Wire(2, "b"), Alerts.Wire(3, "c")));
        store.Apply(Alerts.Batch(Alerts.Wire(4, "d")));

        store.Snapshot(Everything).Alerts.Select(a => a.Title).ShouldBe(["Allarme d", "Allarme c", "Allarme b"]);
        (await subscription.Changes.ReadAsync(TestContext.Current.CancellationToken)).ShouldBeOfType<AlertsChanged>().Added.Count.ShouldBe(3);
        var second = (await subscription.Changes.ReadAsync(TestContext.Current.CancellationToken)).ShouldBeOfType<AlertsChanged>();
        second.Added.Single().Title.ShouldBe("Allarme d");
        second.Evicted.Select(a => a.Key).ShouldBe(["/test\na"]);
    }

    [Fact]
    public void Connection_IsLiveOnlyOnceTheGatewayHasReadItsStream()
    {
        var store = Store();
        store.Snapshot(Everything).Connection.ShouldBe(ConnectionStatus.Connecting);

        store.SetHubConnected(true);
        store.Snapshot(Everything).Connection.ShouldBe(ConnectionStatus.Connecting); // connected, stream not yet confirmed

        store.SetStreamAvailable(true);
        store.Snapshot(Everything).Connection.ShouldBe(ConnectionStatus.Live);

        store.SetStreamAvailable(false);
        store.Snapshot(Everything).Connection.ShouldBe(ConnectionStatus.StreamDown);
    }

    [Fact]
    public void Reconnect_ShowsReconnectingUntilTheGatewayConfirmsItsStreamAgain()
    {
        var store = Store();
        store.SetHubConnected(true);
        store.SetStreamAvailable(true);
        store.Apply(Alerts.Batch(Alerts.Wire(1, "a")));

        store.SetHubConnected(false);
        store.Snapshot(Everything).Connection.ShouldBe(ConnectionStatus.Reconnecting);

        // Back on the hub, but the stream may be down: not "live" on faith.
        store.SetHubConnected(true);
        store.Snapshot(Everything).Connection.ShouldBe(ConnectionStatus.Reconnecting);

        store.SetStreamAvailable(false);
        store.Snapshot(Everything).Connection.ShouldBe(ConnectionStatus.StreamDown);
        store.SetStreamAvailable(true);
        store.Snapshot(Everything).Connection.ShouldBe(ConnectionStatus.Live);
    }

    [Fact]
    public async Task Apply_TheSameSourceAndIdAgain_ReplacesTheEarlierAlert()
    {
        var store = Store();
        using var subscription = store.Subscribe(Everything);
        store.Apply(Alerts.Batch(Alerts.Wire(1, "a"), Alerts.Wire(2, "b")));

        // Re-sent after the stream's dedupe window: a new stream id, the same alert.
        store.Apply(Alerts.Batch(Alerts.Wire(3, "a", Severity.Extreme)));

        var alerts = store.Snapshot(Everything).Alerts;
        alerts.Select(a => a.Title).ShouldBe(["Allarme a", "Allarme b"]);
        alerts[0].Severity.ShouldBe(Severity.Extreme);
        alerts.Select(a => a.Key).Distinct().Count().ShouldBe(2);
        await subscription.Changes.ReadAsync(TestContext.Current.CancellationToken);
        var change = (await subscription.Changes.ReadAsync(TestContext.Current.CancellationToken)).ShouldBeOfType<AlertsChanged>();
        change.Evicted.Select(a => a.Key).ShouldBe(["/test\na"]);
        change.Added.Single().StreamId.ShouldBe("3-0");
    }

    [Fact]
    public void Subscriber_ThatFallsBehind_IsToldToResynchronise()
    {
        var store = Store(capacity: 16);
        using var subscription = store.Subscribe(Everything);

        for (var i = 1; i <= 20; i++)
            store.Apply(Alerts.Batch(Alerts.Wire(i, $"x{i}")));

        subscription.TakeResync().ShouldBeTrue();
        subscription.TakeResync().ShouldBeFalse();
        store.Snapshot(Everything).Alerts.Count.ShouldBe(20);
    }

    [Fact]
    public void Subscribe_SnapshotAndChanges_NeitherMissNorRepeat()
    {
        var store = Store();
        store.Apply(Alerts.Batch(Alerts.Wire(1, "before")));
        using var subscription = store.Subscribe(Everything);

        store.Apply(Alerts.Batch(Alerts.Wire(2, "after")));

        subscription.Snapshot.Alerts.Select(a => a.Title).ShouldBe(["Allarme before"]);
        subscription.Changes.TryRead(out var change).ShouldBeTrue();
        change.ShouldBeOfType<AlertsChanged>().Added.Select(a => a.Title).ShouldBe(["Allarme after"]);
    }
}
