using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.EventStream;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Incidents;
using Microsoft.Extensions.DependencyInjection;

namespace ControlRoom.Web.Tests.Incidents;

/// <summary>A message the stream refuses is set aside; the messages around it are still published, in order.</summary>
public sealed class OutboxRelayTests : IAsyncDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"controlroom-relay-{Guid.NewGuid():N}.db");
    private readonly ServiceProvider _services;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public OutboxRelayTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddRealIncidentServices(_database, TimeProvider.System, new ZoneIndex([], []));
        _services = services.BuildServiceProvider();
    }

    [Fact]
    public async Task ARefusedMessage_DoesNotHoldBackTheOthers()
    {
        var store = _services.GetRequiredService<IIncidentStore>();
        await store.MigrateAsync(Ct);
        var (first, second) = (Opened("Primo"), Opened("Secondo"));
        var unknownType = IncidentMessages.Updated(first).Payload.Replace("incident.updated", "incident.exploded", StringComparison.Ordinal);
        var notAnEvent = """{"specversion":"1.0"}""";
        await store.AppendAsync(first.Id, 0, first.Timeline, [], [IncidentMessages.Updated(first), ("x", unknownType), ("y", notAnEvent)], IncidentTestServices.Audited(), Ct);
        await store.AppendAsync(second.Id, 0, second.Timeline, [], [IncidentMessages.Updated(second)], IncidentTestServices.Audited(), Ct);

        var relay = _services.GetRequiredService<OutboxRelay>();
        await relay.StartAsync(Ct);
        var stream = _services.GetRequiredService<IEventStream>();
        for (var i = 0; i < 100 && (await store.ReadOutboxAsync(10, Ct)).Count > 0; i++)
            await Task.Delay(20, Ct);
        await relay.StopAsync(Ct);

        (await store.ReadOutboxAsync(10, Ct)).ShouldBeEmpty();
        var published = await stream.ReadAfterAsync(StreamId.Zero, 10, Ct);
        published.Select(e => e.Event.Subject).ShouldBe([first.Id.ToString(), second.Id.ToString()]);
    }

    private static Incident Opened(string title) =>
        Incident.Open(IncidentId.New(), DateTimeOffset.UtcNow, "op", "flooding", null, IncidentSource.Manual,
            Milan.Point(9.19, 45.46), 1, "DUOMO", title, null).Incident!;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
            File.Delete(file);
    }
}
