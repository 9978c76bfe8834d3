using System.Text.Json.Nodes;
using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Audit;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;
using Microsoft.Extensions.Time.Testing;
using static ControlRoom.Storage.Tests.IncidentSamples;

namespace ControlRoom.Storage.Tests;

/// <summary>
/// What every <see cref="IIncidentStore"/> must do. Runs on PostgreSQL and on SQLite, each test on a
/// database of its own; a difference between them is a bug in one of them.
/// </summary>
public abstract partial class IncidentStoreContract : IAsyncLifetime
{
    private static readonly TimeSpan TimestampPrecision = TimeSpan.FromMicroseconds(1); // PostgreSQL keeps microseconds

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero));

    /// <summary>A store on this test's empty database, not yet migrated.</summary>
    protected IIncidentStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates this test's empty database and returns a store on it.</summary>
    protected abstract Task<IIncidentStore> CreateDatabaseAsync();

    /// <summary>Another store on the same database: a second process, or the app after a restart.</summary>
    protected abstract IIncidentStore OpenAnotherStore();

    protected abstract Task DropDatabaseAsync();

    /// <summary>Runs SQL as the database's owner with the append-only triggers off: a tamperer with full access.</summary>
    protected abstract Task TamperAsync(string sql);

    /// <summary>Makes every insert into the audit log fail, as a full disk or a broken trigger would.</summary>
    protected abstract Task BreakAuditWritesAsync();

    public async ValueTask InitializeAsync() => Store = await CreateDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        await DropDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    private Task AppendAsync(IncidentId id, int expected, IReadOnlyList<IncidentEvent> events, IReadOnlyList<Unit>? units = null,
        IReadOnlyList<(string, string)>? outbox = null, IIncidentStore? store = null) =>
        (store ?? Store).AppendAsync(id, expected, events, units ?? [], outbox ?? [], Audited(), Ct);

    [Fact]
    public async Task Load_ReturnsEachLogExactly_ForEveryEventType()
    {
        await Store.MigrateAsync(Ct);
        var (closed, cancelled, unfounded) = (IncidentId.New(), IncidentId.New(), IncidentId.New());
        var life = ClosedLife(closed);
        await AppendAsync(closed, 0, [.. life.Take(3)]);
        await AppendAsync(closed, 3, [.. life.Skip(3)]);
        await AppendAsync(cancelled, 0, CancelledLife(cancelled));
        await AppendAsync(unfounded, 0, UnfoundedLife(unfounded));

        (await Store.LoadAsync(closed, Ct)).ShouldBeSameLog(life);
        (await Store.LoadAsync(cancelled, Ct)).ShouldBeSameLog(CancelledLife(cancelled));
        (await Store.LoadAsync(unfounded, Ct)).ShouldBeSameLog(UnfoundedLife(unfounded));
        (await Store.LoadAsync(IncidentId.New(), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task List_FollowsTheLog_AfterEachAppend()
    {
        await Store.MigrateAsync(Ct);
        var id = IncidentId.New();
        var life = ClosedLife(id);

        for (var n = 1; n <= life.Count; n++)
        {
            await AppendAsync(id, n - 1, [life[n - 1]]);
            var expected = Incident.Replay(life.Take(n));

            var summary = (await Store.ListAsync(includeFinal: true, 10, Ct)).ShouldHaveSingleItem();
            summary.Id.ShouldBe(id);
            summary.Version.ShouldBe(n);
            summary.Status.ShouldBe(expected.Status);
            summary.Priority.ShouldBe(expected.Priority);
            summary.AssignedUnits.ShouldBe(expected.AssignedUnits.Select(u => u.Value), ignoreOrder: true);
            summary.UpdatedAt.ShouldBe(life[n - 1].At, TimestampPrecision);
        }

        var last = (await Store.ListAsync(includeFinal: true, 10, Ct)).Single();
        last.ShouldBe(last with
        {
            TypeCode = "flooding", Municipio = 9, Nil = "Niguarda - Ca' Granda", Title = "Seveso oltre soglia a Niguarda",
            Lon = 9.1922131, Lat = 45.5258337, Status = IncidentStatus.Closed, Priority = Priority.P1,
        });
        last.OpenedAt.ShouldBe(T0, TimestampPrecision);
        last.AssignedUnits.ShouldBe([Alfa.Value]);
    }

    [Fact]
    public async Task Append_WithStaleVersion_ThrowsAndWritesNothing()
    {
        await Store.MigrateAsync(Ct);
        var id = IncidentId.New();
        await Store.SeedUnitsAsync([Unit(Alfa)], Ct);
        await AppendAsync(id, 0, [Opened(id)], outbox: [("incident.opened", """{"n":1}""")]);
        IReadOnlyList<Unit> enRoute = [Unit(Alfa, UnitStatus.EnRoute, id, lon: 9.2, lat: 45.5)];
        IReadOnlyList<(string, string)> published = [("unit.dispatched", """{"n":2}""")];

        var stale = await Should.ThrowAsync<ConcurrencyConflictException>(() =>
            AppendAsync(id, 0, [new UnitDispatched(id, T0.AddMinutes(1), "op", Alfa)], enRoute, published));
        var ahead = await Should.ThrowAsync<ConcurrencyConflictException>(() =>
            AppendAsync(id, 5, [new UnitDispatched(id, T0.AddMinutes(1), "op", Alfa)], enRoute, published));
        var missing = IncidentId.New();
        var notThere = await Should.ThrowAsync<ConcurrencyConflictException>(() =>
            AppendAsync(missing, 1, [new IncidentAcknowledged(missing, T0, "op")], enRoute, published));

        (stale.Incident, stale.ExpectedVersion, stale.ActualVersion).ShouldBe((id, 0, 1));
        (ahead.ExpectedVersion, ahead.ActualVersion).ShouldBe((5, 1));
        notThere.ActualVersion.ShouldBe(0);
        (await Store.LoadAsync(id, Ct)).Count.ShouldBe(1);
        (await Store.LoadAsync(missing, Ct)).ShouldBeEmpty();
        var summary = (await Store.ListAsync(includeFinal: true, 10, Ct)).ShouldHaveSingleItem();
        (summary.Version, summary.Status, summary.AssignedUnits.Count).ShouldBe((1, IncidentStatus.New, 0));
        var unit = (await Store.ListUnitsAsync(Ct)).ShouldHaveSingleItem();
        (unit.Status, unit.Incident, unit.Position.X).ShouldBe((UnitStatus.Available, (IncidentId?)null, 9.18));
        (await Store.ReadOutboxAsync(10, Ct)).ShouldHaveSingleItem().Type.ShouldBe("incident.opened");
    }

    [Fact]
    public async Task Append_InvalidLog_IsRefusedAndWritesNothing()
    {
        await Store.MigrateAsync(Ct);
        var id = IncidentId.New();

        await Should.ThrowAsync<InvalidOperationException>(() => AppendAsync(id, 0, [new IncidentAcknowledged(id, T0, "op")], outbox: [("x", "{}")]));
        await Should.ThrowAsync<ArgumentException>(() => AppendAsync(id, 0, [Opened(IncidentId.New())]));
        await Should.ThrowAsync<ArgumentException>(() => AppendAsync(id, 0, []));

        (await Store.LoadAsync(id, Ct)).ShouldBeEmpty();
        (await Store.ListAsync(includeFinal: true, 10, Ct)).ShouldBeEmpty();
        (await Store.ReadOutboxAsync(10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Append_ConcurrentlyCreatingOneIncident_ExactlyOneWins()
    {
        await Store.MigrateAsync(Ct);
        var id = IncidentId.New();
        IIncidentStore[] stores = [Store, OpenAnotherStore(), Store, OpenAnotherStore()];

        var outcomes = await RaceAsync(stores.Select((store, i) => (Func<Task>)(() =>
            AppendAsync(id, 0, [Opened(id, title: $"attempt {i}")], outbox: [("incident.opened", $$"""{"attempt":{{i}}}""")], store: store))));

        var winner = outcomes.Where(o => o.Error is null).ShouldHaveSingleItem().Index;
        outcomes.Where(o => o.Index != winner).Select(o => o.Error).ShouldAllBe(e => e is ConcurrencyConflictException);
        outcomes.Select(o => (o.Error as ConcurrencyConflictException)?.ActualVersion ?? 1).ShouldAllBe(v => v == 1);
        (await Store.LoadAsync(id, Ct)).ShouldHaveSingleItem().ShouldBeOfType<IncidentOpened>().Title.ShouldBe($"attempt {winner}");
        (await Store.ListAsync(includeFinal: true, 10, Ct)).ShouldHaveSingleItem().Title.ShouldBe($"attempt {winner}");
        (await Store.ReadOutboxAsync(10, Ct)).ShouldHaveSingleItem().Payload.ShouldContain($"{winner}");
    }

    [Fact]
    public async Task Append_ConcurrentlyAtOneVersion_ExactlyOneWins()
    {
        await Store.MigrateAsync(Ct);
        var id = IncidentId.New();
        await AppendAsync(id, 0, [Opened(id)]);
        IIncidentStore[] stores = [Store, OpenAnotherStore(), Store, OpenAnotherStore()];

        var outcomes = await RaceAsync(stores.Select((store, i) => (Func<Task>)(() =>
            AppendAsync(id, 1, [new NoteAdded(id, T0.AddMinutes(1), "op", $"note {i}")], store: store))));

        var winner = outcomes.Where(o => o.Error is null).ShouldHaveSingleItem().Index;
        outcomes.Where(o => o.Index != winner).Select(o => o.Error).ShouldAllBe(e => e is ConcurrencyConflictException);
        outcomes.Select(o => (o.Error as ConcurrencyConflictException)?.ActualVersion ?? 2).ShouldAllBe(v => v == 2);
        var log = await Store.LoadAsync(id, Ct);
        log.Count.ShouldBe(2);
        log[1].ShouldBeOfType<NoteAdded>().Text.ShouldBe($"note {winner}");
    }

    [Fact]
    public async Task Outbox_ListsUnpublishedInOrder_UntilMarkedPublished()
    {
        await Store.MigrateAsync(Ct);
        var (a, b) = (IncidentId.New(), IncidentId.New());
        const string First = """{"title":"Allagamento in via Ornato — «P1»","lat":45.5258337,"nested":{"units":["PL-M3-A12"]}}""";
        await AppendAsync(a, 0, [Opened(a)], outbox: [("incident.opened", First), ("incident.priority", """{"p":1}""")]);
        Clock.Advance(TimeSpan.FromSeconds(3));
        await AppendAsync(b, 0, [Opened(b)], outbox: [("incident.opened", """{"id":"b"}""")]);

        var all = await Store.ReadOutboxAsync(10, Ct);

        all.Select(m => m.Type).ShouldBe(["incident.opened", "incident.priority", "incident.opened"]);
        all.Select(m => m.Sequence).ShouldBe(all.Select(m => m.Sequence).Order());
        JsonNode.DeepEquals(JsonNode.Parse(all[0].Payload), JsonNode.Parse(First)).ShouldBeTrue(all[0].Payload);
        JsonNode.DeepEquals(JsonNode.Parse(all[2].Payload), JsonNode.Parse("""{"id":"b"}""")).ShouldBeTrue();
        all[0].CreatedAt.ShouldBe(Clock.GetUtcNow().AddSeconds(-3));
        all[2].CreatedAt.ShouldBe(Clock.GetUtcNow());
        (await Store.ReadOutboxAsync(2, Ct)).Select(m => m.Sequence).ShouldBe(all.Take(2).Select(m => m.Sequence));

        await Store.MarkPublishedAsync([all[0].Sequence, all[1].Sequence], Ct);
        (await Store.ReadOutboxAsync(10, Ct)).ShouldHaveSingleItem().Sequence.ShouldBe(all[2].Sequence);

        await Store.MarkPublishedAsync([all[2].Sequence, all[0].Sequence], Ct);
        (await Store.ReadOutboxAsync(10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Outbox_ARejectedMessage_LeavesTheQueue_AndOnlyThatOne()
    {
        await Store.MigrateAsync(Ct);
        var id = IncidentId.New();
        await AppendAsync(id, 0, [Opened(id)], outbox: [("a", """{"n":1}"""), ("b", """{"n":2}"""), ("c", """{"n":3}""")]);
        var all = await Store.ReadOutboxAsync(10, Ct);

        await Store.MarkRejectedAsync(all[1].Sequence, "400: unknown type", Ct);
        await Store.MarkRejectedAsync(all[1].Sequence, "again", Ct); // harmless

        (await OpenAnotherStore().ReadOutboxAsync(10, Ct)).Select(m => m.Type).ShouldBe(["a", "c"]);
    }

    [Fact]
    public async Task Migrate_TwiceAndFromTwoStoresAtOnce_IsHarmless_AndDataSurvivesRestart()
    {
        var other = OpenAnotherStore();
        await Task.WhenAll(Task.Run(() => Store.MigrateAsync(Ct), Ct), Task.Run(() => other.MigrateAsync(Ct), Ct));
        var id = IncidentId.New();
        var life = ClosedLife(id);
        await Store.SeedUnitsAsync([Unit(Alfa), Unit(Bravo)], Ct);
        await AppendAsync(id, 0, [.. life.Take(4)], units: [Unit(Alfa, UnitStatus.EnRoute, id)], outbox: [("incident.opened", """{"n":1}""")]);
        await Store.MigrateAsync(Ct);

        var restarted = OpenAnotherStore();
        await restarted.MigrateAsync(Ct);

        (await restarted.LoadAsync(id, Ct)).ShouldBeSameLog([.. life.Take(4)]);
        var summary = (await restarted.ListAsync(includeFinal: false, 10, Ct)).ShouldHaveSingleItem();
        (summary.Version, summary.Status).ShouldBe((4, IncidentStatus.Dispatched));
        (await restarted.ListUnitsAsync(Ct)).Select(u => (u.Id, u.Status)).ShouldBe([(Bravo, UnitStatus.Available), (Alfa, UnitStatus.EnRoute)]);
        (await restarted.ReadOutboxAsync(10, Ct)).ShouldHaveSingleItem();
        await AppendAsync(id, 4, [.. life.Skip(4)], store: restarted);
        (await Store.LoadAsync(id, Ct)).ShouldBeSameLog(life);
    }

    [Fact]
    public async Task SeedUnits_InsertsMissingUnits_AndKeepsExistingOnesState()
    {
        await Store.MigrateAsync(Ct);
        var id = IncidentId.New();
        await Store.SeedUnitsAsync([Unit(Alfa)], Ct);
        await AppendAsync(id, 0, [Opened(id), new UnitDispatched(id, T0, "op", Alfa)],
            units: [Unit(Alfa, UnitStatus.EnRoute, id, lon: 9.2011, lat: 45.4999)]);

        await Store.SeedUnitsAsync([Unit(Alfa), Unit(Bravo, UnitStatus.OffDuty)], Ct);

        var units = await Store.ListUnitsAsync(Ct);
        units.Select(u => u.Id).ShouldBe([Bravo, Alfa]);
        units[0].ShouldBe(Unit(Bravo, UnitStatus.OffDuty) with { Position = units[0].Position });
        units[0].Position.Coordinate.ShouldBe(Unit(Bravo).Position.Coordinate);
        units[1].ShouldBe(Unit(Alfa, UnitStatus.EnRoute, id) with { Position = units[1].Position });
        (units[1].Position.X, units[1].Position.Y, units[1].Position.SRID).ShouldBe((9.2011, 45.4999, 4326));
    }

    [Fact]
    public async Task List_LeavesOutFinalIncidents_UnlessAsked_OpenOnesFirstThenNewest()
    {
        await Store.MigrateAsync(Ct);
        var (closed, cancelled, unfounded, older, newer) = (IncidentId.New(), IncidentId.New(), IncidentId.New(), IncidentId.New(), IncidentId.New());
        await AppendAsync(closed, 0, ClosedLife(closed));
        await AppendAsync(cancelled, 0, [Opened(cancelled, T0.AddHours(1)), new IncidentCancelled(cancelled, T0.AddHours(1), "op", "doppione")]);
        await AppendAsync(unfounded, 0, [Opened(unfounded, T0.AddHours(2)), new IncidentUnfounded(unfounded, T0.AddHours(2), "op", "falso allarme")]);
        await AppendAsync(older, 0, [Opened(older, T0.AddHours(-1))]);
        await AppendAsync(newer, 0, [Opened(newer, T0.AddMinutes(30)), new IncidentAcknowledged(newer, T0.AddMinutes(31), "op")]);

        (await Store.ListAsync(includeFinal: false, 10, Ct)).Select(s => s.Id).ShouldBe([newer, older]);
        (await Store.ListAsync(includeFinal: true, 10, Ct)).Select(s => s.Id).ShouldBe([newer, older, unfounded, cancelled, closed]);
        (await Store.ListAsync(includeFinal: true, 3, Ct)).Select(s => s.Id).ShouldBe([newer, older, unfounded]);
    }

    [Fact]
    public async Task Append_DispatchingAUnitThatIsNoLongerAvailable_ThrowsAndWritesNothing()
    {
        await Store.MigrateAsync(Ct);
        var (first, second) = (IncidentId.New(), IncidentId.New());
        await Store.SeedUnitsAsync([Unit(Alfa), Unit(Bravo, UnitStatus.OffDuty)], Ct);
        await AppendAsync(first, 0, [Opened(first)]);
        await AppendAsync(second, 0, [Opened(second)]);
        await AppendAsync(first, 1, [new UnitDispatched(first, T0, "op", Alfa)], [Unit(Alfa, UnitStatus.EnRoute, first)]);

        var taken = await Should.ThrowAsync<UnitUnavailableException>(() =>
            AppendAsync(second, 1, [new UnitDispatched(second, T0, "op", Alfa)], [Unit(Alfa, UnitStatus.EnRoute, second)], [("x", "{}")]));
        var offDuty = await Should.ThrowAsync<UnitUnavailableException>(() =>
            AppendAsync(second, 1, [new UnitDispatched(second, T0, "op", Bravo)], [Unit(Bravo, UnitStatus.EnRoute, second)], [("x", "{}")]));
        var unknown = new UnitId("PL-NONE");
        var missing = await Should.ThrowAsync<UnitUnavailableException>(() =>
            AppendAsync(second, 1, [new UnitDispatched(second, T0, "op", unknown)], [Unit(unknown, UnitStatus.EnRoute, second)]));

        (taken.Unit, taken.ActualStatus).ShouldBe((Alfa, UnitStatus.EnRoute));
        offDuty.ActualStatus.ShouldBe(UnitStatus.OffDuty);
        missing.ActualStatus.ShouldBeNull();
        (await Store.LoadAsync(second, Ct)).Count.ShouldBe(1);
        (await Store.ListUnitsAsync(Ct)).Single(u => u.Id == Alfa).Incident.ShouldBe(first);
        (await Store.ReadOutboxAsync(10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Append_TwoIncidentsDispatchingOneUnitAtOnce_ExactlyOneGetsIt()
    {
        await Store.MigrateAsync(Ct);
        IncidentId[] incidents = [IncidentId.New(), IncidentId.New(), IncidentId.New()];
        await Store.SeedUnitsAsync([Unit(Alfa)], Ct);
        foreach (var id in incidents)
            await AppendAsync(id, 0, [Opened(id)]);

        var results = await RaceAsync(incidents.Select<IncidentId, Func<Task>>(id => () =>
            AppendAsync(id, 1, [new UnitDispatched(id, T0, "op", Alfa)], [Unit(Alfa, UnitStatus.EnRoute, id)], store: OpenAnotherStore())));

        var winner = results.Where(r => r.Error is null).ShouldHaveSingleItem().Index;
        results.Where(r => r.Error is not null).ShouldAllBe(r => r.Error is UnitUnavailableException);
        (await Store.ListUnitsAsync(Ct)).ShouldHaveSingleItem().Incident.ShouldBe(incidents[winner]);
        foreach (var id in incidents)
            (await Store.LoadAsync(id, Ct)).Count.ShouldBe(id == incidents[winner] ? 2 : 1);
    }

    [Fact]
    public async Task SetUnitStatus_ChangesOnlyFromTheExpectedStatus_AndNeverAUnitOnAnIncident()
    {
        await Store.MigrateAsync(Ct);
        var id = IncidentId.New();
        await Store.SeedUnitsAsync([Unit(Alfa), Unit(Bravo)], Ct);
        await AppendAsync(id, 0, [Opened(id), new UnitDispatched(id, T0, "op", Bravo)], [Unit(Bravo, UnitStatus.EnRoute, id)]);

        var busy = await Store.SetUnitStatusAsync(Alfa, UnitStatus.Available, UnitStatus.Busy, [("unit", """{"n":1}""")], Audited(), Ct);
        var stale = await Store.SetUnitStatusAsync(Alfa, UnitStatus.Available, UnitStatus.OffDuty, [("unit", """{"n":2}""")], Audited(), Ct);
        var onIncident = await Store.SetUnitStatusAsync(Bravo, UnitStatus.EnRoute, UnitStatus.OffDuty, [("unit", """{"n":3}""")], Audited(), Ct);
        var unknown = await Store.SetUnitStatusAsync(new UnitId("PL-NONE"), UnitStatus.Available, UnitStatus.Busy, [], Audited(), Ct);

        busy.ShouldNotBeNull().Status.ShouldBe(UnitStatus.Busy);
        (busy.Position.X, busy.Position.Y).ShouldBe((9.18, 45.47));
        (stale, onIncident, unknown).ShouldBe((null, null, null));
        var units = await OpenAnotherStore().ListUnitsAsync(Ct);
        units.Select(u => (u.Id, u.Status)).ShouldBe([(Bravo, UnitStatus.EnRoute), (Alfa, UnitStatus.Busy)]);
        (await Store.ReadOutboxAsync(10, Ct)).ShouldHaveSingleItem().Payload.ShouldContain("1");
    }

    [Fact]
    public async Task SystemStatusChanges_AreKeptOncePerSystemAndTime_AndListedOldestFirstSinceATime_AfterARestart()
    {
        await Store.MigrateAsync(Ct);
        SystemStatusChange[] changes =
        [
            new("wso2-interop", T0.AddDays(-100), "operational"),
            new("wso2-interop", T0, "major-outage"),
            new("pagopa", T0.AddMinutes(1), "degraded-performance"),
            new("wso2-interop", T0.AddMinutes(20), "operational"),
        ];
        await Store.RecordSystemStatusAsync(changes, Ct);
        await OpenAnotherStore().RecordSystemStatusAsync([changes[1] with { Status = "partial-outage" }, changes[3]], Ct); // another instance, the same changes
        await Store.RecordSystemStatusAsync([], Ct);

        var listed = await OpenAnotherStore().ListSystemStatusAsync(T0.AddDays(-90), Ct);

        listed.Select(c => (c.System, c.Status)).ShouldBe([("wso2-interop", "major-outage"), ("pagopa", "degraded-performance"), ("wso2-interop", "operational")]);
        listed[0].At.ShouldBe(T0, TimestampPrecision);
        (await Store.ListSystemStatusAsync(T0.AddMinutes(30), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SystemLatencyHours_KeepTheSummaryOfMoreSamples_AndAreListedOldestFirstSinceATime()
    {
        await Store.MigrateAsync(Ct);
        var hour = new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);
        await Store.RecordSystemLatencyAsync([new("sctt", hour, 120, 85.5, 410), new("sctt", hour.AddHours(1), 30, 90, 200)], Ct);
        await OpenAnotherStore().RecordSystemLatencyAsync([new("sctt", hour, 60, 300, 900), new("sctt", hour.AddHours(1), 118, 95.25, 260)], Ct);
        await Store.RecordSystemLatencyAsync([], Ct);

        var listed = await OpenAnotherStore().ListSystemLatencyAsync(hour, Ct);

        listed.Select(h => (h.System, h.Samples, h.MeanMs, h.MaxMs)).ShouldBe([("sctt", 120, 85.5, 410d), ("sctt", 118, 95.25, 260d)]);
        listed[1].Hour.ShouldBe(hour.AddHours(1));
        (await Store.ListSystemLatencyAsync(hour.AddHours(2), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Triage_IsAppendedWithItsOutbox_AndListedOldestFirstSinceATime_AfterARestart()
    {
        await Store.MigrateAsync(Ct);
        string[] group = ["/sensors/arpa\nseveso-1", "/sensors/arpa\nseveso-2 «àè»"];
        var shelved = AlertTriage.Shelve(group, TimeSpan.FromHours(1), T0, "op.rossi").Triage!;
        var acknowledged = AlertTriage.Acknowledge(["/cameras\ncam-7"], AlertDisposition.FalsePositive, T0.AddMinutes(5), "op.bianchi").Triage!;
        var reopened = AlertTriage.Reopen([group[0]], T0.AddMinutes(10), "op.rossi").Triage!;
        var old = AlertTriage.Acknowledge(["/old\n1"], AlertDisposition.Relevant, T0.AddDays(-2), "op.verdi").Triage!;
        foreach (var triage in new[] { old, shelved, acknowledged, reopened })
            await Store.RecordTriageAsync(triage, [("alert.triaged", $$"""{"id":"{{triage.Id}}"}""")], Audited(), Ct);

        var listed = await OpenAnotherStore().ListTriageAsync(T0.AddDays(-1), Ct);

        listed.Select(t => t.Id).ShouldBe([shelved.Id, acknowledged.Id, reopened.Id]);
        listed[0].AlertKeys.ShouldBe(group);
        (listed[0].Action, listed[0].Disposition, listed[0].By).ShouldBe((TriageAction.Shelved, (AlertDisposition?)null, "op.rossi"));
        listed[0].ShelvedUntil!.Value.ShouldBe(T0.AddHours(1), TimestampPrecision);
        listed[0].At.ShouldBe(T0, TimestampPrecision);
        (listed[1].Action, listed[1].Disposition, listed[1].ShelvedUntil).ShouldBe((TriageAction.Acknowledged, AlertDisposition.FalsePositive, (DateTimeOffset?)null));
        listed[2].AlertKeys.ShouldBe([group[0]]);
        (await Store.ReadOutboxAsync(10, Ct)).Count.ShouldBe(4);
        await Should.ThrowAsync<Exception>(() => Store.RecordTriageAsync(shelved, [("alert.triaged", "{}")], Audited(), Ct)); // one decision, once
        (await Store.ReadOutboxAsync(10, Ct)).Count.ShouldBe(4);
    }

    [Fact]
    public async Task Audit_EveryWriteChainsItsEntryInTheSameTransaction_AndARefusedWriteLeavesNone()
    {
        await Store.MigrateAsync(Ct);
        var id = IncidentId.New();
        await Store.SeedUnitsAsync([Unit(Alfa)], Ct);
        await Store.AppendAsync(id, 0, [Opened(id)], [], [], Audited("incident.IncidentOpened", "op.rossi"), Ct);
        await Should.ThrowAsync<ConcurrencyConflictException>(() =>
            Store.AppendAsync(id, 0, [Opened(id)], [], [], Audited("incident.refused"), Ct));
        await Store.SetUnitStatusAsync(Alfa, UnitStatus.Available, UnitStatus.Busy, [], Audited("unit.StatusSet"), Ct);
        (await Store.SetUnitStatusAsync(Alfa, UnitStatus.Available, UnitStatus.OffDuty, [], Audited("unit.refused"), Ct)).ShouldBeNull();
        await Store.RecordTriageAsync(AlertTriage.Reopen(["/a\n1"], T0, "op").Triage!, [], Audited("alert.Reopened"), Ct);
        var exported = new AuditEntry(T0.AddMinutes(1), "sup.verdi «àè»", "audit.Exported", "audit", """{"filter":"tutto — “quoted”"}""", "2001:db8::7");
        var appended = await Store.AppendAuditAsync(exported, Ct);

        var chain = await OpenAnotherStore().ReadAuditChainAsync(0, 100, Ct);

        chain.Select(r => (r.Sequence, r.Entry.Action)).ShouldBe(
            [(1L, "incident.IncidentOpened"), (2L, "unit.StatusSet"), (3L, "alert.Reopened"), (4L, "audit.Exported")]);
        chain[3].ShouldBe(appended);
        chain[3].Entry.ShouldBe(exported);
        chain[0].PreviousHash.ShouldBe(AuditChain.Genesis);
        (await Store.VerifyAuditAsync(Ct)).ShouldBe(new AuditVerification(4, null, null));
        (await Store.ReadAuditChainAsync(2, 1, Ct)).ShouldHaveSingleItem().Sequence.ShouldBe(3);
    }

    [Fact]
    public async Task Audit_WhenItsRecordCannotBeWritten_TheActionIsNotSavedEither()
    {
        await Store.MigrateAsync(Ct);
        var id = IncidentId.New();
        await Store.SeedUnitsAsync([Unit(Alfa)], Ct);
        await BreakAuditWritesAsync();

        await Should.ThrowAsync<Exception>(() => Store.AppendAsync(id, 0, [Opened(id)], [], [("x", "{}")], Audited(), Ct));
        await Should.ThrowAsync<Exception>(() => Store.SetUnitStatusAsync(Alfa, UnitStatus.Available, UnitStatus.Busy, [("x", "{}")], Audited(), Ct));
        await Should.ThrowAsync<Exception>(() => Store.RecordTriageAsync(AlertTriage.Reopen(["/a\n1"], T0, "op").Triage!, [("x", "{}")], Audited(), Ct));

        (await Store.LoadAsync(id, Ct)).ShouldBeEmpty();
        (await Store.ListUnitsAsync(Ct)).ShouldHaveSingleItem().Status.ShouldBe(UnitStatus.Available);
        (await Store.ListTriageAsync(T0.AddDays(-1), Ct)).ShouldBeEmpty();
        (await Store.ReadOutboxAsync(10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Audit_WritersInSeveralProcessesAtOnce_KeepOneUnbrokenChain()
    {
        await Store.MigrateAsync(Ct);

        var results = await RaceAsync(Enumerable.Range(0, 12).Select<int, Func<Task>>(i => () =>
            OpenAnotherStore().AppendAuditAsync(new AuditEntry(T0.AddSeconds(i), $"op.{i}", "test.race", $"{i}", "{}", "::1"), Ct)));

        results.ShouldAllBe(r => r.Error == null);
        (await Store.VerifyAuditAsync(Ct)).ShouldBe(new AuditVerification(12, null, null));
    }

    [Fact]
    public async Task Audit_IsListedNewestFirst_ByTimeActorAndAction()
    {
        await Store.MigrateAsync(Ct);
        foreach (var (minute, actor, action) in new[] { (0, "op.Rossi", "incident.IncidentOpened"), (5, "op.bianchi", "alert.Acknowledged"), (10, "sup.rossi", "incident.UnitDispatched") })
            await Store.AppendAuditAsync(new AuditEntry(T0.AddMinutes(minute), actor, action, "s", "{}", "::1"), Ct);

        (await Store.ReadAuditAsync(new AuditQuery(), Ct)).Select(r => r.Sequence).ShouldBe([3L, 2L, 1L]);
        (await Store.ReadAuditAsync(new AuditQuery(Actor: "ROSSI"), Ct)).Select(r => r.Sequence).ShouldBe([3L, 1L]);
        (await Store.ReadAuditAsync(new AuditQuery(Action: "incident."), Ct)).Select(r => r.Sequence).ShouldBe([3L, 1L]);
        (await Store.ReadAuditAsync(new AuditQuery(From: T0.AddMinutes(5), To: T0.AddMinutes(10)), Ct)).Select(r => r.Sequence).ShouldBe([2L]);
        (await Store.ReadAuditAsync(new AuditQuery(Limit: 1), Ct)).Select(r => r.Sequence).ShouldBe([3L]);
    }

    [Theory]
    [InlineData("edit", "UPDATE audit_log SET actor = 'someone else' WHERE sequence = 3", 3, "changed after it was written")]
    [InlineData("delete", "DELETE FROM audit_log WHERE sequence = 3", 4, "missing or out of order")]
    [InlineData("reorder", "UPDATE audit_log SET sequence = 1000 WHERE sequence = 2; UPDATE audit_log SET sequence = 2 WHERE sequence = 3; UPDATE audit_log SET sequence = 3 WHERE sequence = 1000", 2, "does not link")]
    public async Task Audit_TamperingWithTheStoredChain_IsFound_AndTheFirstBrokenRecordNamed(string how, string sql, long firstBroken, string problem)
    {
        await Store.MigrateAsync(Ct);
        for (var i = 1; i <= 5; i++)
            await Store.AppendAuditAsync(new AuditEntry(T0.AddMinutes(i), $"op.{i}", "incident.NoteAdded", $"{i}", "{}", "::1"), Ct);
        (await Store.VerifyAuditAsync(Ct)).Intact.ShouldBeTrue();

        await TamperAsync(sql);

        var result = await Store.VerifyAuditAsync(Ct);
        (result.Intact, result.FirstBroken).ShouldBe((false, firstBroken), how);
        result.Problem!.ShouldContain(problem);
    }

    /// <summary>Starts all attempts together on the thread pool; returns each one's exception or null.</summary>
    private static async Task<IReadOnlyList<(int Index, Exception? Error)>> RaceAsync(IEnumerable<Func<Task>> attempts)
    {
        using var start = new ManualResetEventSlim();
        var tasks = attempts.Select((attempt, i) => Task.Run(async () =>
        {
            start.Wait(Ct);
            try
            {
                await attempt();
                return (i, (Exception?)null);
            }
            catch (Exception e)
            {
                return (i, e);
            }
        }, Ct)).ToList();
        start.Set();
        return await Task.WhenAll(tasks);
    }
}
