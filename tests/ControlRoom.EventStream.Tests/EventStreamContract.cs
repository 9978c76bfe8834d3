using System.Text.Json;
using ControlRoom.Domain.Events;

namespace ControlRoom.EventStream.Tests;

/// <summary>
/// What every <see cref="IEventStream"/> must do. Runs on Redis and on the in-memory stream; a
/// difference between them is a bug in one of them.
/// </summary>
public abstract class EventStreamContract
{
    protected abstract IEventStream Stream { get; }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static EventEnvelope Event(string id, string source = "/test") => new()
    {
        Id = id,
        Source = source,
        Type = EventTypes.SensorAlertRaised,
        Time = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero),
        Severity = Severity.Moderate,
        Data = JsonSerializer.SerializeToElement(new { title = "t-" + id }),
    };

    [Fact]
    public async Task Append_GivesIncreasingIds_AndReadsBackInOrder()
    {
        var results = new List<AppendResult>();
        for (var i = 0; i < 5; i++)
            results.Add(await Stream.AppendAsync(Event($"e{i}"), Ct));

        results.ShouldAllBe(r => !r.Duplicate);
        results.Select(r => r.Id).ShouldBe(results.Select(r => r.Id).Order(), ignoreOrder: false);
        results.Select(r => r.Id).Distinct().Count().ShouldBe(5);

        var read = await Stream.ReadAfterAsync(StreamId.Zero, 100, Ct);
        read.Select(e => e.Event.Id).ShouldBe(["e0", "e1", "e2", "e3", "e4"]);
        read.Select(e => e.Id).ShouldBe(results.Select(r => r.Id));
        read[2].Event.Title.ShouldBe("t-e2");
        read[2].Event.Severity.ShouldBe(Severity.Moderate);
    }

    [Fact]
    public async Task ReadAfter_IsExclusive_AndHonoursCount()
    {
        var ids = new List<StreamId>();
        for (var i = 0; i < 6; i++)
            ids.Add((await Stream.AppendAsync(Event($"r{i}"), Ct)).Id);

        var afterSecond = await Stream.ReadAfterAsync(ids[1], 3, Ct);

        afterSecond.Select(e => e.Event.Id).ShouldBe(["r2", "r3", "r4"]);
        (await Stream.ReadAfterAsync(ids[^1], 10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Append_SameSourceAndId_IsAcceptedOnce()
    {
        var first = await Stream.AppendAsync(Event("dup"), Ct);
        var again = await Stream.AppendAsync(Event("dup"), Ct);
        var otherSource = await Stream.AppendAsync(Event("dup", source: "/other"), Ct);

        again.Duplicate.ShouldBeTrue();
        again.Id.ShouldBe(first.Id);
        otherSource.Duplicate.ShouldBeFalse();
        (await Stream.GetInfoAsync(Ct)).Length.ShouldBe(2);
    }

    [Fact]
    public async Task AppendBatch_KeepsOrder_AndDeduplicatesWithinTheBatch()
    {
        var results = await Stream.AppendBatchAsync([Event("b1"), Event("b2"), Event("b1"), Event("b3")], Ct);

        results.Select(r => r.Duplicate).ShouldBe([false, false, true, false]);
        results[2].Id.ShouldBe(results[0].Id);
        var read = await Stream.ReadAfterAsync(StreamId.Zero, 10, Ct);
        read.Select(e => e.Event.Id).ShouldBe(["b1", "b2", "b3"]);
    }

    [Fact]
    public async Task GetInfo_ReportsLengthAndLastId()
    {
        (await Stream.GetInfoAsync(Ct)).ShouldBe(new StreamInfo(0, StreamId.Zero));
        await Stream.AppendAsync(Event("i1"), Ct);
        var last = await Stream.AppendAsync(Event("i2"), Ct);

        (await Stream.GetInfoAsync(Ct)).ShouldBe(new StreamInfo(2, last.Id));
    }

    [Fact]
    public async Task Follow_ResumesAfterAGivenId_ThenDeliversNewAppendsPromptly()
    {
        var a = await Stream.AppendAsync(Event("f1"), Ct);
        await Stream.AppendAsync(Event("f2"), Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        var seen = new List<string>();

        await using var follower = Stream.FollowAsync(a.Id, 100, TimeProvider.System, cts.Token).GetAsyncEnumerator(cts.Token);
        (await follower.MoveNextAsync()).ShouldBeTrue();
        seen.AddRange(follower.Current.Select(e => e.Event.Id));

        var next = follower.MoveNextAsync();
        await Task.Delay(50, Ct);
        var started = TimeProvider.System.GetTimestamp();
        await Stream.AppendAsync(Event("f3"), Ct);
        (await next).ShouldBeTrue();
        seen.AddRange(follower.Current.Select(e => e.Event.Id));

        seen.ShouldBe(["f2", "f3"]);
        // Woken by the append signal, not by the one-second polling fallback.
        TimeProvider.System.GetElapsedTime(started).ShouldBeLessThan(EventStreamFollowing.PollFallback);
    }

    [Fact]
    public async Task Groups_DeliverEachEntryToOneConsumer_UntilAcknowledged()
    {
        await Stream.AppendAsync(Event("before"), Ct);
        await Stream.EnsureGroupAsync("persist", null, Ct);
        await Stream.EnsureGroupAsync("persist", null, Ct); // idempotent
        await Stream.AppendBatchAsync([Event("g1"), Event("g2"), Event("g3")], Ct);

        var a = await Stream.ReadGroupAsync("persist", "worker-a", 2, Ct);
        var b = await Stream.ReadGroupAsync("persist", "worker-b", 10, Ct);

        a.Select(e => e.Event.Id).ShouldBe(["g1", "g2"]);
        b.Select(e => e.Event.Id).ShouldBe(["g3"]); // "before" predates the group
        (await Stream.PendingCountAsync("persist", Ct)).ShouldBe(3);

        await Stream.AcknowledgeAsync("persist", [.. a.Select(e => e.Id)], Ct);
        (await Stream.PendingCountAsync("persist", Ct)).ShouldBe(1);
        (await Stream.ReadGroupAsync("persist", "worker-a", 10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Groups_StartingFromZero_SeeTheRetainedHistory()
    {
        await Stream.AppendBatchAsync([Event("h1"), Event("h2")], Ct);
        await Stream.EnsureGroupAsync("replay", StreamId.Zero, Ct);

        (await Stream.ReadGroupAsync("replay", "c", 10, Ct)).Select(e => e.Event.Id).ShouldBe(["h1", "h2"]);
    }

    [Fact]
    public async Task ClaimIdle_HandsAnUnacknowledgedEntryToAnotherConsumer()
    {
        await Stream.EnsureGroupAsync("once", StreamId.Zero, Ct);
        await Stream.AppendBatchAsync([Event("c1"), Event("c2")], Ct);
        var taken = await Stream.ReadGroupAsync("once", "crashed", 10, Ct);
        taken.Count.ShouldBe(2);

        (await Stream.ClaimIdleAsync("once", "survivor", TimeSpan.FromHours(1), 10, Ct)).ShouldBeEmpty();
        var claimed = await Stream.ClaimIdleAsync("once", "survivor", TimeSpan.Zero, 10, Ct);

        claimed.Select(e => e.Event.Id).ShouldBe(["c1", "c2"]);
        await Stream.AcknowledgeAsync("once", [.. claimed.Select(e => e.Id)], Ct);
        (await Stream.PendingCountAsync("once", Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task ReadGroup_OnAMissingGroup_IsRefused()
    {
        await Stream.AppendAsync(Event("x"), Ct);

        await Should.ThrowAsync<InvalidOperationException>(() => Stream.ReadGroupAsync("nobody", "c", 1, Ct));
    }
}
