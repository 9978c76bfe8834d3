using ControlRoom.Domain.Systems;
using static ControlRoom.Domain.Systems.SystemStatus;

namespace ControlRoom.Domain.Tests.Systems;

public sealed class StatusDamperTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    // Feeds one raw status per check interval and returns what the board would show after each.
    private static List<DampedStatus> Run(StatusDamper damper, params SystemStatus[] raw) =>
        [.. raw.Select((status, i) => damper.Observe(T0 + i * Interval, status))];

    [Fact]
    public void FirstResult_IsShownAsItIs()
    {
        var first = new StatusDamper(new DampingOptions()).Observe(T0, MajorOutage);

        first.ShouldBe(new DampedStatus(MajorOutage, Changed: true, Flapping: false));
    }

    [Fact]
    public void GettingWorse_IsShownAtOnce_RecoveryOnlyAfterEnoughGoodChecks()
    {
        var shown = Run(new StatusDamper(new DampingOptions { RecoverAfter = 2 }), Operational, MajorOutage, Operational, Operational, Operational);

        shown.Select(s => s.Status).ShouldBe([Operational, MajorOutage, MajorOutage, Operational, Operational]);
        shown.Select(s => s.Changed).ShouldBe([true, true, false, true, false]);
    }

    [Fact]
    public void OneGoodCheckBetweenFailures_DoesNotEndTheOutage()
    {
        var shown = Run(new StatusDamper(new DampingOptions { RecoverAfter = 2, FlapChanges = 100 }),
            MajorOutage, Operational, MajorOutage, Operational, MajorOutage);

        shown.ShouldAllBe(s => s.Status == MajorOutage);
    }

    [Fact]
    public void ChangingTooOften_IsFlapping_HeldAtItsWorstUntilItSettles()
    {
        var options = new DampingOptions { RecoverAfter = 1, FlapChanges = 4, FlapWindow = TimeSpan.FromMinutes(5) };
        var damper = new StatusDamper(options);

        var flaps = Run(damper, Operational, PartialOutage, Operational, PartialOutage, Operational);
        flaps.Select(s => s.Flapping).ShouldBe([false, false, false, false, true]);
        flaps[^1].Status.ShouldBe(PartialOutage); // without damping RecoverAfter = 1 would show it operational

        // Still operational five minutes after the last change: the window is clear again, so it recovers.
        var settled = damper.Observe(T0 + 4 * Interval + options.FlapWindow, Operational);
        settled.ShouldBe(new DampedStatus(Operational, Changed: true, Flapping: false));
    }

    [Fact]
    public void SlowAnswers_AreDegradedPerformance_AndRecoverLikeOutages()
    {
        var shown = Run(new StatusDamper(new DampingOptions { RecoverAfter = 3, FlapChanges = 100 }),
            Operational, DegradedPerformance, Operational, Operational, Operational);

        shown.Select(s => s.Status).ShouldBe([Operational, DegradedPerformance, DegradedPerformance, DegradedPerformance, Operational]);
    }
}
