using ControlRoom.EventStream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlRoom.Simulator.Dispatch;

/// <summary>
/// Follows the event stream (when the process has one: embedded, or the simulator given Redis) from its
/// current end and passes incident snapshots to <see cref="DispatchOrders"/>. Without a stream the
/// patrols only wander. A read failure is retried; a restart forgets missions in progress.
/// </summary>
public sealed partial class DispatchListener(IServiceProvider services, DispatchOrders orders, TimeProvider clock, ILogger<DispatchListener> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IEventStream>() is not { } stream)
            return;
        StreamId? position = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                position ??= (await stream.GetInfoAsync(stoppingToken)).LastId;
                await foreach (var batch in stream.FollowAsync(position.Value, 200, clock, stoppingToken))
                {
                    foreach (var entry in batch)
                        orders.Observe(entry.Event);
                    position = batch[^1].Id;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReadFailed(ex);
                await Task.Delay(RetryAfter, clock, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulator could not read dispatch orders from the stream; retrying")]
    private partial void LogReadFailed(Exception exception);
}
