using ControlRoom.Domain.Systems;

namespace ControlRoom.Domain.Tests.Systems;

/// <summary>Uptime arithmetic on a fixed timeline (no clock: every moment is given).</summary>
public sealed class StatusHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OneHourDownInADay_Is95Point83PercentUp()
    {
        var history = new StatusHistory();
        history.Record(T0, SystemStatus.Operational);
        history.Record(T0.AddHours(10), SystemStatus.MajorOutage);
        history.Record(T0.AddHours(11), SystemStatus.Operational);

        var day = history.Over(T0, T0.AddHours(24));

        (day.Up, day.Down).ShouldBe((TimeSpan.FromHours(23), TimeSpan.FromHours(1)));
        day.Percent!.Value.ShouldBe(100.0 * 23 / 24, 1e-9);
        day.Meets(95.0).ShouldBeTrue();
        day.Meets(99.0).ShouldBeFalse();
    }

    [Fact]
    public void Maintenance_AndTimeBeforeTheFirstStatus_AreLeftOut_DegradedCountsAsUp()
    {
        var history = new StatusHistory();
        history.Record(T0.AddHours(2), SystemStatus.DegradedPerformance);
        history.Record(T0.AddHours(4), SystemStatus.UnderMaintenance);
        history.Record(T0.AddHours(6), SystemStatus.PartialOutage);
        history.Record(T0.AddHours(7), SystemStatus.Operational);

        var window = history.Over(T0, T0.AddHours(10));

        window.ShouldBe(new Availability(Up: TimeSpan.FromHours(5), Down: TimeSpan.FromHours(1), Maintenance: TimeSpan.FromHours(2), Unknown: TimeSpan.FromHours(2)));
        window.Percent!.Value.ShouldBe(100.0 * 5 / 6, 1e-9);
    }

    [Fact]
    public void AWindow_CountsOnlyItsOwnPartOfEachState()
    {
        var history = new StatusHistory();
        history.Record(T0, SystemStatus.MajorOutage);
        history.Record(T0.AddDays(2), SystemStatus.Operational);

        var lastDay = history.Over(T0.AddDays(2).AddHours(-6), T0.AddDays(2).AddHours(18)); // 6 h of the outage, 18 h up

        (lastDay.Down, lastDay.Up, lastDay.Unknown).ShouldBe((TimeSpan.FromHours(6), TimeSpan.FromHours(18), TimeSpan.Zero));
        history.Over(T0.AddDays(-1), T0).Percent.ShouldBeNull(); // nothing known yet: no figure, and no breach
        history.Over(T0.AddDays(-1), T0).Meets(99.9).ShouldBeTrue();
    }

    [Fact]
    public void StatusAt_RepeatsAreOneChange_AndHistoryIsNotRewritten()
    {
        var history = new StatusHistory();
        history.Record(T0, SystemStatus.Operational);
        history.Record(T0.AddMinutes(1), SystemStatus.Operational);
        history.Record(T0.AddMinutes(5), SystemStatus.MajorOutage);

        history.StatusAt(T0.AddSeconds(-1)).ShouldBeNull();
        history.StatusAt(T0.AddMinutes(4)).ShouldBe(SystemStatus.Operational);
        history.StatusAt(T0.AddMinutes(5)).ShouldBe(SystemStatus.MajorOutage);
        Should.Throw<ArgumentException>(() => history.Record(T0.AddMinutes(2), SystemStatus.Operational));
    }

    [Fact]
    public void Forget_KeepsTheChangeStillInForce()
    {
        var history = new StatusHistory();
        history.Record(T0, SystemStatus.Operational);
        history.Record(T0.AddDays(1), SystemStatus.MajorOutage);
        history.Record(T0.AddDays(100), SystemStatus.Operational);

        history.Forget(T0.AddDays(10));

        history.StatusAt(T0.AddDays(10)).ShouldBe(SystemStatus.MajorOutage);
        history.StatusAt(T0.AddHours(1)).ShouldBeNull();
        history.Over(T0.AddDays(10), T0.AddDays(101)).Down.ShouldBe(TimeSpan.FromDays(90));
    }
}
