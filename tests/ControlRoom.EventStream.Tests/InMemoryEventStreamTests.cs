using ControlRoom.EventStream.InMemory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ControlRoom.EventStream.Tests;

public sealed class InMemoryEventStreamTests : EventStreamContract
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
    private readonly InMemoryEventStream _stream;

    public InMemoryEventStreamTests()
    {
        _stream = new InMemoryEventStream(Options.Create(new EventStreamOptions { MaxLength = 1_000, DedupeWindow = TimeSpan.FromHours(1) }), _clock);
    }

    protected override IEventStream Stream => _stream;

    [Fact]
    public async Task Append_AfterTheDedupeWindow_AcceptsTheSameIdAgain()
    {
        await Stream.AppendAsync(Event("late"), Ct);
        _clock.Advance(TimeSpan.FromHours(2));

        (await Stream.AppendAsync(Event("late"), Ct)).Duplicate.ShouldBeFalse();
    }

    [Fact]
    public async Task Append_WhenTheClockGoesBack_KeepsIdsIncreasing()
    {
        var clock = new SettableClock { Now = _clock.GetUtcNow() };
        var stream = new InMemoryEventStream(Options.Create(new EventStreamOptions()), clock);
        var first = await stream.AppendAsync(Event("t1"), Ct);
        clock.Now = clock.Now.AddMinutes(-5);

        var second = await stream.AppendAsync(Event("t2"), Ct);

        second.Id.ShouldBeGreaterThan(first.Id);
    }

    /// <summary>FakeTimeProvider refuses to go back in time; real clocks sometimes do (NTP steps).</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Append_BeyondMaxLength_TrimsTheOldestApproximately()
    {
        for (var i = 0; i < 1_200; i++)
            await Stream.AppendAsync(Event($"m{i}"), Ct);

        var info = await Stream.GetInfoAsync(Ct);
        info.Length.ShouldBeInRange(1_000, 1_100);
        (await Stream.ReadAfterAsync(StreamId.Zero, 1, Ct))[0].Event.Id.ShouldNotBe("m0");
    }
}
