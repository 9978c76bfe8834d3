using System.Collections.Concurrent;
using ControlRoom.Domain.Events;
using ControlRoom.Gateway.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ControlRoom.Benchmarks;

/// <summary>
/// A hub client of our own beside the web app's: counts the benchmark's events it receives and notes
/// when each alert arrived (Unix ms), to split hub delivery from the web's store and render.
/// </summary>
internal sealed class HubProbe : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly ConcurrentDictionary<string, long> _alertArrivals = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _waiters = new();
    private long _events;

    private HubProbe(HubConnection connection)
    {
        _connection = connection;
        _connection.On<EventBatch>(nameof(IEventsClient.ReceiveEvents), OnEvents);
    }

    /// <summary>Benchmark events received so far (events from other sources are ignored).</summary>
    public long Events => Interlocked.Read(ref _events);

    public IReadOnlyDictionary<string, long> AlertArrivals => _alertArrivals;

    public static async Task<HubProbe> ConnectAsync(Uri baseAddress, string? lastSeenId)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, EventsHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(WebProcess.Key))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new EventEnvelopeJsonConverter()))
            .Build();
        var probe = new HubProbe(connection);
        await connection.StartAsync();
        await connection.InvokeAsync(nameof(EventsHub.Subscribe), lastSeenId);
        return probe;
    }

    /// <summary>Completes with the arrival time (Unix ms) of the alert with this id.</summary>
    public Task<long> ArrivalOf(string id) => _waiters.GetOrAdd(id, NewWaiter).Task;

    public void ResetCount() => Interlocked.Exchange(ref _events, 0);

    private void OnEvents(EventBatch batch)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ours = 0;
        foreach (var wire in batch.Events)
        {
            var e = wire.Event;
            if (e.Source != BenchEvents.Source)
                continue;
            ours++;
            if (e.Type == EventTypes.SensorAlertRaised && _alertArrivals.TryAdd(e.Id, now))
                _waiters.GetOrAdd(e.Id, NewWaiter).TrySetResult(now);
        }
        Interlocked.Add(ref _events, ours);
    }

    private static TaskCompletionSource<long> NewWaiter(string _) => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
