using ControlRoom.EventStream;
using ControlRoom.EventStream.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlRoom.Gateway.Health;

/// <summary>Ready only when the stream answers within the health check's timeout.</summary>
public sealed class EventStreamHealthCheck(IEventStream stream) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var info = await stream.GetInfoAsync(cancellationToken);
            var description = $"{info.Length} entries, last {info.LastId}";
            return stream is RedisEventStream { UnreadableEntries: > 0 } redis
                ? HealthCheckResult.Degraded($"{description}; {redis.UnreadableEntries} unreadable entries skipped")
                : HealthCheckResult.Healthy(description);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The event stream does not answer.", ex);
        }
    }
}
