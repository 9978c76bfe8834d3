using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Systems;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Storage;
using ControlRoom.Storage.Postgres;
using ControlRoom.Tests;
using ControlRoom.Web.Features.Incidents;
using ControlRoom.Web.Features.Systems;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ControlRoom.Web.Tests.Systems;

/// <summary>
/// One IT incident per outage, with two web instances (each its own board, commands and automation) sharing one real
/// PostgreSQL: both see the outage, both try, one incident is opened; the recovery is noted once; a new outage opens a new one.
/// </summary>
public sealed class OutageIncidentsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private readonly string _database = "controlroom_o_" + Guid.NewGuid().ToString("N");
    private readonly List<ServiceProvider> _instances = [];
    private readonly FakeTimeProvider _clock = new(T0.AddDays(1));
    private NpgsqlDataSource _dataSource = null!;
    private int _position;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await AdminAsync($"CREATE DATABASE {_database}");
        _dataSource = PostgresIncidentStore.CreateDataSource(new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Database = _database }.ConnectionString);
        await new PostgresIncidentStore(_dataSource, TimeProvider.System).MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        await _dataSource.DisposeAsync();
        await AdminAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    /// <summary>A web instance as far as IT incidents go: its own board and automation, the shared store.</summary>
    private (SystemsBoard Board, OutageIncidents Automation, IIncidentStore Store) Instance()
    {
        var services = new ServiceCollection()
            .AddRealIncidentServices(Path.Combine(Path.GetTempPath(), $"unused-{Guid.NewGuid():N}.db"), _clock, new ZoneIndex([], []))
            .AddSingleton<IIncidentStore>(new PostgresIncidentStore(_dataSource, _clock))
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton(SystemCatalogue.Seed())
            .AddSingleton<SystemsBoard>()
            .AddSingleton<Microsoft.Extensions.Logging.ILogger<OutageIncidents>>(NullLogger<OutageIncidents>.Instance)
            .AddSingleton<OutageIncidents>()
            .AddSingleton<Microsoft.Extensions.Logging.ILogger<OutboxRelay>>(NullLogger<OutboxRelay>.Instance)
            .BuildServiceProvider();
        _instances.Add(services);
        return (services.GetRequiredService<SystemsBoard>(), services.GetRequiredService<OutageIncidents>(), services.GetRequiredService<IIncidentStore>());
    }

    private EventBatch Health(string system, string status, DateTimeOffset at) =>
        new([HealthReports.Wire(++_position, system, status, at, title: "HTTP 503 in 12 ms")]);

    private static async Task BothAsync((SystemsBoard Board, OutageIncidents Automation, IIncidentStore Store) a,
        (SystemsBoard Board, OutageIncidents Automation, IIncidentStore Store) b, EventBatch batch)
    {
        a.Board.Apply(batch);
        b.Board.Apply(batch);
        await Task.WhenAll(a.Automation.ReconcileAsync(Ct), b.Automation.ReconcileAsync(Ct), a.Automation.ReconcileAsync(Ct), b.Automation.ReconcileAsync(Ct));
    }

    [Fact]
    public async Task TwoInstances_OpenOneIncidentPerOutage_NoteTheRecoveryOnce_AndANewOutageOpensANewOne()
    {
        var first = Instance();
        var second = Instance();
        await BothAsync(first, second, Health("wso2-interop", "operational", T0));
        await BothAsync(first, second, Health("pdnd-eservices", "partial-outage", T0.AddMinutes(1))); // a root cause of its own, for now

        await BothAsync(first, second, Health("wso2-interop", "major-outage", T0.AddMinutes(2)));
        await BothAsync(first, second, Health("wso2-interop", "major-outage", T0.AddMinutes(3))); // still the same outage

        var incidents = await first.Store.ListAsync(includeFinal: true, 50, Ct);
        incidents.Count.ShouldBe(2); // PDND alone first, then WSO2 beneath it: PDND's stays, WSO2's is the new root cause
        var outage = incidents.Single(i => i.Title == "Guasto IT: Piattaforma di interoperabilità (WSO2 API gateway)");
        outage.Id.ShouldBe(OutageIncidents.IdOf("wso2-interop", T0.AddMinutes(2)));
        (outage.TypeCode, outage.Priority, outage.Status).ShouldBe(("infrastructure-failure", Priority.P1, IncidentStatus.New));
        var log = await first.Store.LoadAsync(outage.Id, Ct);
        var opened = log.OfType<IncidentOpened>().ShouldHaveSingleItem();
        (opened.By, opened.Source).ShouldBe(("monitoraggio-sistemi", IncidentSource.SystemMonitoring));
        opened.Description!.ShouldContain("Causa probabile: Piattaforma di interoperabilità (WSO2 API gateway) (fuori servizio)");
        opened.Description!.ShouldContain("E-service PDND");
        var audit = await first.Store.ReadAuditAsync(new AuditQuery(Actor: "monitoraggio-sistemi", Action: "incident.incident-opened"), Ct);
        audit.Count.ShouldBe(2);
        audit.ShouldAllBe(r => r.Entry.Origin == "automation");

        await BothAsync(first, second, Health("wso2-interop", "operational", T0.AddMinutes(20)));
        await BothAsync(first, second, Health("wso2-interop", "operational", T0.AddMinutes(21)));

        var notes = (await first.Store.LoadAsync(outage.Id, Ct)).OfType<NoteAdded>().ToList();
        notes.ShouldHaveSingleItem().Text.ShouldStartWith(OutageIncidents.RecoveredNote);
        notes[0].Text.ShouldContain("è operativo");

        // A restarted instance replaying the same outage finds its incident and opens nothing.
        var restarted = Instance();
        restarted.Board.Apply(Health("wso2-interop", "major-outage", T0.AddMinutes(2)));
        await restarted.Automation.ReconcileAsync(Ct);
        (await first.Store.ListAsync(includeFinal: true, 50, Ct)).Count.ShouldBe(2);

        await BothAsync(first, second, Health("wso2-interop", "major-outage", T0.AddMinutes(40)));
        (await first.Store.ListAsync(includeFinal: true, 50, Ct)).Count(i => i.Title.Contains("WSO2", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task AfterARestart_AnOutageStillGoingOnKeepsItsIncident_AndOnlyALiveRecoveryIsNoted()
    {
        var now = _clock.GetUtcNow();
        var before = Instance();
        before.Board.Apply(Health("wso2-interop", "major-outage", now.AddMinutes(-10)));
        before.Board.Apply(Health("sctt", "major-outage", now.AddMinutes(-10)));
        await before.Automation.ReconcileAsync(Ct);
        var opened = await before.Store.ListAsync(includeFinal: true, 50, Ct);
        opened.Count.ShouldBe(2);

        // Restarted: the stream's window lost the beginning of the WSO2 outage, and holds an old SCTT report only.
        var after = Instance();
        after.Board.Apply(Health("sctt", "operational", now.AddMinutes(-30)));
        after.Board.Apply(Health("wso2-interop", "major-outage", now.AddMinutes(-5)));
        await after.Automation.ReconcileAsync(Ct);

        (await after.Store.ListAsync(includeFinal: true, 50, Ct)).Count.ShouldBe(2); // no second incident for the same outage
        foreach (var incident in opened)
            (await after.Store.LoadAsync(incident.Id, Ct)).OfType<NoteAdded>().ShouldBeEmpty(); // a replayed report is not a recovery

        after.Board.Apply(Health("sctt", "operational", now));
        after.Board.Apply(Health("wso2-interop", "operational", now));
        await after.Automation.ReconcileAsync(Ct);
        await after.Automation.ReconcileAsync(Ct);

        foreach (var incident in opened)
            (await after.Store.LoadAsync(incident.Id, Ct)).OfType<NoteAdded>().ShouldHaveSingleItem().Text.ShouldStartWith(OutageIncidents.RecoveredNote);
    }

    [Fact]
    public async Task ARootCause_OpensItsIncidentOnlyOnceItHasHeld_SoADependantHeardFirstOpensNone()
    {
        var now = _clock.GetUtcNow();
        var only = Instance();
        only.Board.Apply(Health("pdnd-eservices", "partial-outage", now)); // heard first
        await only.Automation.ReconcileAsync(Ct);
        only.Board.Apply(Health("wso2-interop", "major-outage", now.AddSeconds(4))); // the real cause, a few seconds later
        _clock.Advance(TimeSpan.FromSeconds(10));
        await only.Automation.ReconcileAsync(Ct);
        (await only.Store.ListAsync(includeFinal: true, 50, Ct)).ShouldBeEmpty();

        _clock.Advance(OutageIncidents.Settle);
        await only.Automation.ReconcileAsync(Ct);

        (await only.Store.ListAsync(includeFinal: true, 50, Ct)).ShouldHaveSingleItem().Title.ShouldBe("Guasto IT: Piattaforma di interoperabilità (WSO2 API gateway)");
    }

    [Fact]
    public async Task PlannedMaintenance_AndAnImpactedSystem_OpenNoIncident()
    {
        var only = Instance();
        only.Board.Apply(Health("geoportale", "under-maintenance", T0));
        only.Board.Apply(Health("digital-twin", "major-outage", T0)); // down because the geoportale is: impacted, not a cause

        await only.Automation.ReconcileAsync(Ct);

        (await only.Store.ListAsync(includeFinal: true, 50, Ct)).ShouldBeEmpty();
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
