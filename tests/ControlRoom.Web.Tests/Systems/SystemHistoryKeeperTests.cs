using ControlRoom.Domain.Systems;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Storage.Embedded;
using ControlRoom.Web.Features.Systems;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ControlRoom.Web.Tests.Systems;

/// <summary>The systems' status history outlives the stream's window: kept in a real (embedded) store, seeded back after a restart.</summary>
public sealed class SystemHistoryKeeperTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = ComponentTests.Now;
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"controlroom-history-{Guid.NewGuid():N}.db");

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync()
    {
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
            File.Delete(file);
        return ValueTask.CompletedTask;
    }

    private static WireEvent Health(int position, string system, string status, DateTimeOffset at, double? latencyMs = null) =>
        HealthReports.Wire(position, system, status, at, latencyMs: latencyMs);

    [Fact]
    public async Task SeededBeforeTheStreamReplays_TheBoardTakesTheOlderReports_AndKeepsTheOutagesBeginning()
    {
        var clock = new FakeTimeProvider(Now);
        var store = new SqliteIncidentStore(_database, clock);
        await store.MigrateAsync(Ct);
        await store.RecordSystemStatusAsync([new("sctt", Now.AddHours(-3), "operational"), new("sctt", Now.AddHours(-1), "major-outage")], Ct);
        var board = new SystemsBoard(SystemCatalogue.Seed(), clock);

        await new SystemHistoryKeeper(board, store, clock, NullLogger<SystemHistoryKeeper>.Instance).SeedAsync(Ct);
        board.Apply(new EventBatch([ // the stream's window, replayed after the seed: older than what was kept
            Health(1, "sctt", "operational", Now.AddHours(-2)),
            Health(2, "sctt", "major-outage", Now.AddMinutes(-50)),
        ]));

        var state = board.Snapshot().Systems.Single(s => s.System.Id == "sctt");
        state.Status.ShouldBe(SystemStatus.MajorOutage);
        state.DownSince.ShouldBe(Now.AddHours(-1)); // the outage's incident id stays the one opened before the restart
    }

    [Fact]
    public async Task AfterARestart_TheBoardKnowsTheUptimeOfDaysTheStreamNoLongerHolds()
    {
        var clock = new FakeTimeProvider(Now);
        var store = new SqliteIncidentStore(_database, clock);
        await store.MigrateAsync(Ct);
        var before = new SystemsBoard(SystemCatalogue.Seed(), clock);
        var keeper = new SystemHistoryKeeper(before, store, clock, NullLogger<SystemHistoryKeeper>.Instance);
        before.Apply(new EventBatch([
            Health(1, "sctt", "operational", Now.AddDays(-20), latencyMs: 100),
            Health(6, "sctt", "operational", Now.AddDays(-20).AddMinutes(30), latencyMs: 300),
            Health(2, "sctt", "major-outage", Now.AddDays(-10)),
            Health(3, "sctt", "major-outage", Now.AddDays(-10).AddMinutes(1)), // no change: nothing more to keep
            Health(4, "sctt", "operational", Now.AddDays(-10).AddHours(12), latencyMs: 50),
        ]));
        await keeper.SaveAsync(Ct);
        await keeper.SaveAsync(Ct); // nothing new: nothing written twice

        // Restarted: the stream's window holds only today's report.
        var after = new SystemsBoard(SystemCatalogue.Seed(), clock);
        after.Apply(new EventBatch([Health(5, "sctt", "operational", Now.AddHours(-1))]));
        await new SystemHistoryKeeper(after, store, clock, NullLogger<SystemHistoryKeeper>.Instance).SeedAsync(Ct);

        (await store.ListSystemStatusAsync(Now.AddDays(-90), Ct)).Select(c => c.Status).ShouldBe(["operational", "major-outage", "operational"]);
        var uptime = after.Detail("sctt")!.Uptime.ToDictionary(u => u.Window, u => u.Availability);
        uptime[TimeSpan.FromDays(30)].Down.ShouldBe(TimeSpan.FromHours(12));
        uptime[TimeSpan.FromDays(30)].Up.ShouldBe(TimeSpan.FromDays(20) - TimeSpan.FromHours(12));
        uptime[TimeSpan.FromDays(7)].Percent.ShouldBe(100);
        var latency = after.Detail("sctt")!.Uptime.Single(u => u.Window == TimeSpan.FromDays(30)).Latency;
        latency.ShouldBe(new LatencySummary(2, 200, 300)); // the finished hour 20 days ago, kept; the hour of the last sample was not finished
        after.Snapshot().Systems.Single(s => s.System.Id == "sctt").Status.ShouldBe(SystemStatus.Operational);
    }
}
