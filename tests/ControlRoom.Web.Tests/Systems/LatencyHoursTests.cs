using ControlRoom.Storage;
using ControlRoom.Web.Features.Systems;

namespace ControlRoom.Web.Tests.Systems;

public sealed class LatencyHoursTests
{
    private static readonly DateTimeOffset H = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Samples_AreSummedPerHour_AndAFinishedHourIsHandedOverOnce()
    {
        var hours = new LatencyHours();
        hours.Add(H.AddMinutes(5), 100);
        hours.Add(H.AddMinutes(50), 300);
        hours.TakeFinished("sctt").ShouldBeEmpty(); // the hour is still going

        hours.Add(H.AddHours(1).AddMinutes(1), 50);

        hours.TakeFinished("sctt").ShouldBe([new SystemLatencyHour("sctt", H, 2, 200, 300)]);
        hours.TakeFinished("sctt").ShouldBeEmpty();
        hours.Over(H.AddMinutes(30), H.AddHours(2)).ShouldBe(new LatencySummary(3, 150, 300)); // whole hours: the one the window starts in counts
        hours.Over(H.AddHours(3), H.AddHours(4)).ShouldBe(new LatencySummary(0, null, null));
    }

    [Fact]
    public void AnHourTheStoreKept_IsNotCountedAgainWhenTheStreamReplaysIt()
    {
        var hours = new LatencyHours();
        hours.Seed(new SystemLatencyHour("sctt", H, 120, 80, 400));

        hours.Add(H.AddMinutes(10), 5000); // replayed from the stream's window
        hours.Seed(new SystemLatencyHour("sctt", H, 60, 999, 999)); // fewer samples: the summary already held wins

        hours.Over(H, H.AddHours(1)).ShouldBe(new LatencySummary(120, 80, 400));
        LatencyHours.HourOf(new DateTimeOffset(2026, 11, 23, 9, 59, 59, TimeSpan.FromHours(1))).ShouldBe(H);
    }
}
