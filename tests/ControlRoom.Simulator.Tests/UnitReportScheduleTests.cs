using ControlRoom.Domain.Events;
using ControlRoom.Simulator.Scenario;
using ControlRoom.Simulator.Sinks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ControlRoom.Simulator.Tests;

public class UnitReportScheduleTests
{
    [Fact]
    public void Schedule_ReportsEachUnitOncePerInterval_SpreadAcrossTicks()
    {
        var schedule = new UnitReportSchedule(units: 58, intervalSeconds: 5);
        var reports = new List<int>[58];
        for (var u = 0; u < 58; u++)
            reports[u] = [];

        for (var tick = 0; tick < 240; tick++) // a minute of 250 ms ticks
        {
            var due = schedule.Due(0.25);
            due.Count.ShouldBeInRange(2, 3); // 58 × 0.25 / 5 = 2.9 a tick, never a burst
            foreach (var u in due)
                reports[u].Add(tick);
        }

        foreach (var ticks in reports)
        {
            ticks.Count.ShouldBeInRange(11, 12);
            ticks.Zip(ticks.Skip(1), (a, b) => b - a).ShouldAllBe(gap => gap >= 19 && gap <= 21); // every 5 s ± a tick
        }
    }

    [Fact]
    public void Schedule_AfterALateTick_ReportsEachUnitOnceNotTheBacklog()
    {
        var schedule = new UnitReportSchedule(units: 10, intervalSeconds: 5);

        schedule.Due(60).ShouldBe([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        schedule.Due(0.5).ShouldBe([0]);
    }

    [Fact]
    public async Task Service_OnEveryTick_ReportsItsShareOfUnits_EachAboutOncePerInterval()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 2, 6, 12, 0, 0, TimeSpan.Zero));
        var sink = new RecordingSink();
        var options = Options.Create(new SimulatorOptions { TickMilliseconds = 250, UnitPositionEverySeconds = 5, EventsPerSecond = 4 });
        using var service = new SimulatorService(sink, new Dispatch.DispatchOrders(), options, new ConfigurationBuilder().Build(), clock, NullLogger<SimulatorService>.Instance);
        var units = UnitRosterTests.Roster().Count;
        var cancel = TestContext.Current.CancellationToken;

        await service.StartAsync(cancel);
        // The timer exists once the service has read seed-data: tick until the first batch arrives.
        while (!await sink.Published.WaitAsync(TimeSpan.FromMilliseconds(50), cancel))
            clock.Advance(TimeSpan.FromMilliseconds(250));
        lock (sink.Batches)
            sink.Batches.Clear();
        for (var tick = 0; tick < 240; tick++) // one minute
        {
            clock.Advance(TimeSpan.FromMilliseconds(250));
            (await sink.Published.WaitAsync(TimeSpan.FromSeconds(10), cancel)).ShouldBeTrue($"tick {tick} published nothing");
        }
        await service.StopAsync(cancel);

        var perTick = sink.Batches.Select(b => b.Count(e => e.Type == EventTypes.UnitPositionReported)).ToList();
        perTick.Count.ShouldBeInRange(240, 242); // a tick may straddle the clear on a slow machine
        perTick.ShouldAllBe(n => n >= 2 && n <= 3);
        var perUnit = sink.Batches.SelectMany(b => b).Where(e => e.Type == EventTypes.UnitPositionReported).CountBy(e => e.Subject!).ToList();
        perUnit.Count.ShouldBe(units);
        perUnit.ShouldAllBe(p => p.Value >= 11 && p.Value <= 13);
    }

    private sealed class RecordingSink : IEventSink
    {
        public List<IReadOnlyList<EventEnvelope>> Batches { get; } = [];

        public SemaphoreSlim Published { get; } = new(0);

        public Task PublishAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
        {
            lock (Batches)
                Batches.Add(events.ToList());
            Published.Release();
            return Task.CompletedTask;
        }
    }
}
