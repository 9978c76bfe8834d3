using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Incidents.Kpis;
using ControlRoom.Storage.Embedded;
using ControlRoom.Web.Features.Incidents;
using Microsoft.Extensions.Time.Testing;

namespace ControlRoom.Web.Tests.Incidents;

/// <summary>One computation serves every screen; a change or the passing of time brings a new one.</summary>
public sealed class KpiReportTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"controlroom-kpi-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 13, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task SameRevision_IsServedFromOneComputation_UntilItIsTooOld()
    {
        var store = new SqliteIncidentStore(_database, _clock);
        await store.MigrateAsync(Ct);
        using var report = new KpiReport(store, new KpiCalculator(KpiTargets.Default), _clock);

        var first = await report.LastDayAsync(1, Ct);
        (await report.LastDayAsync(1, Ct)).ShouldBeSameAs(first);
        (await report.LastDayAsync(2, Ct)).ShouldNotBeSameAs(first);

        var second = await report.LastDayAsync(2, Ct);
        _clock.Advance(KpiReport.MaxAge);
        (await report.LastDayAsync(2, Ct)).ShouldNotBeSameAs(second);
        second.Single(r => r is { Priority: Priority.P1, Measure: KpiMeasure.TimeToDispatch }).Verdict.ShouldBe(KpiVerdict.NoData);
    }

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
            File.Delete(file);
    }
}
