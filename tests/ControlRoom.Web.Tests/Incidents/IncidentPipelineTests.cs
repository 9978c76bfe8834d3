using System.Collections.Concurrent;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;
using ControlRoom.Gateway;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Simulator.Sinks;
using ControlRoom.Storage;
using ControlRoom.Storage.Postgres;
using ControlRoom.Tests;
using ControlRoom.Domain.Alerts;
using ControlRoom.Web.Features.Incidents;
using ControlRoom.Web.Features.Operations;
using ControlRoom.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

using static ControlRoom.Web.Tests.IncidentTestServices;

namespace ControlRoom.Web.Tests.Incidents;

/// <summary>
/// Command → PostgreSQL (log, state, outbox in one transaction) → outbox relay → Redis stream → hub →
/// a screen, on the real servers scripts/test.sh starts. And refused commands leave no trace anywhere.
/// </summary>
public sealed class IncidentPipelineTests : IAsyncLifetime
{
    private static readonly Unit PatrolNearNiguarda = new(new UnitId("PL-M9-A01"), UnitKind.PatrolCar, "Comando 9", Milan.Point(9.19, 45.52), UnitStatus.Available);
    private static readonly Unit PatrolInCentre = new(new UnitId("PL-M1-A01"), UnitKind.PatrolCar, "Comando 1", Milan.Point(9.19, 45.46), UnitStatus.Available);

    private readonly string _database = "controlroom_p_" + Guid.NewGuid().ToString("N");
    private readonly ConcurrentQueue<EventEnvelope> _received = new();
    private NpgsqlDataSource _dataSource = null!;
    private WebApplication _app = null!;
    private HubConnection _screen = null!;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;
    private IIncidentStore Store => _app.Services.GetRequiredService<IIncidentStore>();
    private IncidentCommands Commands => _app.Services.GetRequiredService<IncidentCommands>();

    public async ValueTask InitializeAsync()
    {
        await AdminAsync($"CREATE DATABASE {_database}");
        _dataSource = PostgresIncidentStore.CreateDataSource(
            new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Database = _database }.ConnectionString);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestEnvironment.Redis,
            ["EventStream:Name"] = TestEnvironment.UniqueStreamName(),
        });
        var screenKey = TestApiKey.Create("screen", scopes: "subscribe");
        builder.Configuration.AddInMemoryCollection(screenKey.Settings);
        builder.Services.AddGateway(builder.Configuration);
        builder.Services.AddSingleton<IIncidentStore>(new PostgresIncidentStore(_dataSource, TimeProvider.System));
        builder.Services.AddSingleton(new ZoneIndex([], []));
        builder.Services.AddSingleton<IEventSink, InProcessIngestSink>();
        builder.Services.AddSingleton<OutboxRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        builder.Services.AddSingleton<IncidentCommands>();
        builder.Services.AddSingleton<UnitCommands>();
        builder.Services.AddSingleton<AlertTriageCommands>();
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapGateway();
        await Store.MigrateAsync(Ct);
        await Store.SeedUnitsAsync([PatrolNearNiguarda, PatrolInCentre], Ct);
        await _app.StartAsync(Ct);

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _screen = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(address + "/"), EventsHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(screenKey.Key))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new EventEnvelopeJsonConverter()))
            .Build();
        _screen.On<EventBatch>(nameof(IEventsClient.ReceiveEvents), b => { foreach (var e in b.Events) _received.Enqueue(e.Event); });
        await _screen.StartAsync(Ct);
        await _screen.InvokeAsync(nameof(EventsHub.Subscribe), (string?)null, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _screen.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _dataSource.DisposeAsync();
        await AdminAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    private static OpenIncident Flood(string title = "Allagamento via Valfurva") =>
        new("flooding", null, IncidentSource.SensorAlert, 9.1922, 45.5258, title, null, ["/sim\nseveso-1"]);

    private async Task<List<IncidentSnapshot>> SeenOnScreenAsync(int incidentUpdates)
    {
        for (var i = 0; i < 200 && Updates().Count < incidentUpdates; i++)
            await Task.Delay(25, Ct);
        return Updates();
    }

    private List<IncidentSnapshot> Updates() =>
        [.. _received.Where(e => e.Type == EventTypes.IncidentUpdated)
            .Select(e => System.Text.Json.JsonSerializer.Deserialize<IncidentSnapshot>(e.Data, IncidentMessages.SerializerOptions)!)];

    [Fact]
    public async Task OpenAndDispatch_ReachAScreenThroughTheOutboxAndTheStream()
    {
        var opened = await Commands.OpenAsync(Flood(), Op("op.rossi"), Ct);
        var dispatched = await Commands.DispatchAsync(opened.Incident, opened.Version, PatrolNearNiguarda.Id, Op("op.rossi"), Ct);

        dispatched.Succeeded.ShouldBeTrue(dispatched.Refusal?.Message);
        var updates = await SeenOnScreenAsync(2);
        updates.Select(u => (u.Version, u.Status)).ShouldBe([(1, IncidentStatus.New), (2, IncidentStatus.Dispatched)]);
        updates[1].AssignedUnits.ShouldBe([PatrolNearNiguarda.Id.Value]);
        updates[1].AlertKeys.ShouldBe(["/sim\nseveso-1"]);
        var unit = _received.Single(e => e.Type == EventTypes.UnitStatusChanged);
        unit.Subject.ShouldBe(PatrolNearNiguarda.Id.Value);
        System.Text.Json.JsonSerializer.Deserialize<UnitSnapshot>(unit.Data, IncidentMessages.SerializerOptions)!.Status.ShouldBe(UnitStatus.EnRoute);
        (await Store.ListUnitsAsync(Ct)).Single(u => u.Id == PatrolNearNiguarda.Id).Status.ShouldBe(UnitStatus.EnRoute);
        (await Store.ReadOutboxAsync(10, Ct)).ShouldBeEmpty(); // all published
        var audit = await Store.ReadAuditAsync(new AuditQuery(), Ct);
        audit.Select(r => (r.Entry.Action, r.Entry.Actor, r.Entry.Origin, r.Entry.Subject)).ShouldBe(
        [
            ("incident.unit-dispatched", "op.rossi", "127.0.0.1", opened.Incident.ToString()),
            ("incident.incident-opened", "op.rossi", "127.0.0.1", opened.Incident.ToString()),
        ]);
        audit[0].Entry.Details.ShouldContain(PatrolNearNiguarda.Id.Value);
        (await Store.VerifyAuditAsync(Ct)).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task RefusedCommands_AreExplained_AndLeaveNoTraceInStoreOutboxOrStream()
    {
        var first = await Commands.OpenAsync(Flood(), Op("op.rossi"), Ct);
        await Commands.DispatchAsync(first.Incident, first.Version, PatrolNearNiguarda.Id, Op("op.rossi"), Ct);
        var second = await Commands.OpenAsync(Flood("Allagamento via Ornato"), Op("op.bianchi"), Ct);
        await SeenOnScreenAsync(3);
        var before = _received.Count;

        var refusals = new[]
        {
            await Commands.DispatchAsync(second.Incident, second.Version, new UnitId("PL-NOPE"), Op("op.bianchi"), Ct),
            await Commands.DispatchAsync(second.Incident, second.Version, PatrolNearNiguarda.Id, Op("op.bianchi"), Ct),
            await Commands.CloseAsync(first.Incident, 2, "Risolto", Op("op.rossi"), Ct),
            await Commands.CloseAsync(first.Incident, 2, "", Op("op.rossi"), Ct),
            await Commands.AcknowledgeAsync(second.Incident, 0, Op("op.bianchi"), Ct),
            await Commands.OpenAsync(Flood(""), Op("op.bianchi"), Ct),
            await Commands.OpenAsync(new OpenIncident("meteorite", null, IncidentSource.Manual, 9.19, 45.46, "Titolo", null), Op("op.bianchi"), Ct),
        };

        refusals.Select(r => r.Refusal?.Code).ShouldBe(
            ["unknown-unit", "unit-not-available", "invalid-transition", "invalid-transition", "conflict", "invalid-title", "unknown-type"]);
        refusals[4].Refusal!.Message.ShouldContain("op.bianchi recorded IncidentOpened");
        (await Store.LoadAsync(first.Incident, Ct)).Count.ShouldBe(2);
        (await Store.LoadAsync(second.Incident, Ct)).Count.ShouldBe(1);
        (await Store.ListAsync(includeFinal: true, 10, Ct)).Count.ShouldBe(2);
        (await Store.ListUnitsAsync(Ct)).Single(u => u.Id == PatrolInCentre.Id).Status.ShouldBe(UnitStatus.Available);
        (await Store.ReadOutboxAsync(10, Ct)).ShouldBeEmpty();
        (await Store.ReadAuditAsync(new AuditQuery(), Ct)).Count.ShouldBe(3); // open, dispatch, open: refusals are not actions
        await Task.Delay(300, Ct);
        _received.Count.ShouldBe(before);
    }

    [Fact]
    public async Task AlertTriage_ReachesAScreen_AndIsStillThereForARestartedProcess()
    {
        var triage = _app.Services.GetRequiredService<AlertTriageCommands>();
        string[] group = ["/sim\nseveso-1", "/sim\nseveso-2"];

        var (shelved, refusal) = await triage.ShelveAsync(group, TimeSpan.FromMinutes(15), Op("op.rossi"), Ct);
        var (_, tooLong) = await triage.ShelveAsync(group, TimeSpan.FromHours(30), Op("op.rossi"), Ct);
        var (_, forever) = await triage.ShelveAsync(group, TimeSpan.MaxValue, Op("op.rossi"), Ct);
        var (_, empty) = await triage.AcknowledgeAsync([], AlertDisposition.Duplicate, Op("op.rossi"), Ct);
        var huge = Enumerable.Range(0, AlertTriage.MaxAlerts).Select(i => $"{i}\n" + new string('x', AlertTriage.MaxKeyLength - 5)).ToArray();
        var (_, tooLarge) = await triage.AcknowledgeAsync(huge, AlertDisposition.Duplicate, Op("op.rossi"), Ct);

        refusal.ShouldBeNull();
        (tooLong?.Code, forever?.Code, empty?.Code, tooLarge?.Code).ShouldBe(("invalid-shelf", "invalid-shelf", "invalid-alerts", "too-large"));
        for (var i = 0; i < 200 && !_received.Any(e => e.Type == EventTypes.AlertTriaged); i++)
            await Task.Delay(25, Ct);
        var seen = System.Text.Json.JsonSerializer.Deserialize<AlertTriage>(
            _received.Single(e => e.Type == EventTypes.AlertTriaged).Data, IncidentMessages.SerializerOptions)!;
        (seen.Id, seen.Action, seen.By).ShouldBe((shelved!.Id, TriageAction.Shelved, "op.rossi"));
        seen.AlertKeys.ShouldBe(group);
        var restarted = new PostgresIncidentStore(_dataSource, TimeProvider.System);
        (await restarted.ListTriageAsync(DateTimeOffset.UtcNow.AddHours(-1), Ct)).ShouldHaveSingleItem().Id.ShouldBe(shelved.Id);
        (await Store.ReadOutboxAsync(10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AnAlertWithTheLongestKeyTheEdgeAccepts_CanBeTriaged_AndIsAuditedByItsKey()
    {
        var triage = _app.Services.GetRequiredService<AlertTriageCommands>();
        var longestKey = new string('s', Domain.Events.CloudEventJson.MaxSourceLength) + "\n" + new string('i', Domain.Events.CloudEventJson.MaxIdLength);

        var (decision, refusal) = await triage.AcknowledgeAsync([longestKey], AlertDisposition.FalsePositive, Op("op.rossi"), Ct);

        refusal.ShouldBeNull();
        decision.ShouldNotBeNull();
        (await Store.ReadAuditAsync(new AuditQuery(), Ct)).ShouldHaveSingleItem().Entry.Subject.ShouldBe(longestKey);
    }

    [Fact]
    public async Task UnitSetBusyByHand_ReachesAScreen_AndCannotBeDispatched_NorChangedWhileOnAnIncident()
    {
        var units = _app.Services.GetRequiredService<UnitCommands>();
        var opened = await Commands.OpenAsync(Flood(), Op("op.rossi"), Ct);

        var busy = await units.SetStatusAsync(PatrolInCentre.Id, UnitStatus.Available, UnitStatus.Busy, Op("op.rossi"), Ct);
        var stale = await units.SetStatusAsync(PatrolInCentre.Id, UnitStatus.Available, UnitStatus.OffDuty, Op("op.bianchi"), Ct);
        var dispatchBusy = await Commands.DispatchAsync(opened.Incident, opened.Version, PatrolInCentre.Id, Op("op.bianchi"), Ct);
        await Commands.DispatchAsync(opened.Incident, opened.Version, PatrolNearNiguarda.Id, Op("op.rossi"), Ct);
        var onIncident = await units.SetStatusAsync(PatrolNearNiguarda.Id, UnitStatus.EnRoute, UnitStatus.OffDuty, Op("op.rossi"), Ct);
        var enRouteByHand = await units.SetStatusAsync(PatrolInCentre.Id, UnitStatus.Busy, UnitStatus.EnRoute, Op("op.rossi"), Ct);

        busy.ShouldBeNull();
        (stale?.Code, dispatchBusy.Refusal?.Code, onIncident?.Code, enRouteByHand?.Code)
            .ShouldBe(("conflict", "unit-not-available", "unit-on-incident", "invalid-unit-status"));
        stale!.Message.ShouldContain("Busy");
        for (var i = 0; i < 200 && _received.Count(e => e.Type == EventTypes.UnitStatusChanged) < 2; i++)
            await Task.Delay(25, Ct);
        var changes = _received.Where(e => e.Type == EventTypes.UnitStatusChanged)
            .Select(e => System.Text.Json.JsonSerializer.Deserialize<UnitSnapshot>(e.Data, IncidentMessages.SerializerOptions)!).ToList();
        changes.Select(c => (c.Id, c.Status)).ShouldBe([(PatrolInCentre.Id.Value, UnitStatus.Busy), (PatrolNearNiguarda.Id.Value, UnitStatus.EnRoute)]);
        changes[0].ChangedBy.ShouldBe("op.rossi");
    }

    private static async Task AdminAsync(string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
