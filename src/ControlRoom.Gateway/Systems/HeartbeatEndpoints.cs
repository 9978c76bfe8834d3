using System.Globalization;
using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Systems;
using ControlRoom.Gateway.Ingest;
using Microsoft.Extensions.Options;

namespace ControlRoom.Gateway.Systems;

/// <summary>
/// POST /api/systems/{id}/heartbeat — a system calling in. The body is optional: <c>{ "status": "degraded-performance",
/// "latencyMs": 120, "message": "…" }</c> (status operational by default). Only systems with an expected heartbeat
/// (Systems:Heartbeats) may call; <see cref="HeartbeatMonitor"/> reports the ones that fall silent.
/// </summary>
public static class HeartbeatEndpoints
{
    public const string Path = "/api/systems/{system}/heartbeat";
    public const string Source = "/heartbeats";
    private const int MaxBodyBytes = 4096;

    public static IEndpointRouteBuilder MapHeartbeats(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Path, ReceiveAsync)
            .WithName("SystemHeartbeat")
            .WithSummary("A critical system calls in; missing heartbeats mean it is down.")
            .AsHealthInput()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return routes;
    }

    private static async Task<IResult> ReceiveAsync(string system, HttpRequest request, EventIngestor ingestor, IOptions<SystemsOptions> options,
        TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!options.Value.Heartbeats.Any(h => h.System == system))
            return IngestEndpoints.Problem(StatusCodes.Status404NotFound, "No heartbeat is expected from this system",
                $"'{system}' is not listed under Systems:Heartbeats; nothing was stored.");
        if (await IngestEndpoints.ReadBodyAsync(request, MaxBodyBytes, cancellationToken) is not { } body)
            return IngestEndpoints.TooLarge(MaxBodyBytes);
        var (beat, error) = Read(body);
        if (error is not null)
            return IngestEndpoints.Problem(StatusCodes.Status400BadRequest, "Not a heartbeat: nothing was stored", error);

        var now = clock.GetUtcNow();
        var health = HealthEvents.Create($"{system}/{now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}", Source, system, now,
            beat.Status, "heartbeat", beat.Message ?? "Heartbeat ricevuto", options.Value.MaintenanceAt(system, now), new { latencyMs = beat.LatencyMs });
        var (outcome, refusal) = await HealthEvents.AppendAsync(request, ingestor, [health], oneEvent: true, "call in again",
            loggers.CreateLogger(typeof(HeartbeatEndpoints)), cancellationToken);
        if (refusal is not null)
            return refusal;
        return TypedResults.Accepted((string?)null, new { system, status = health.TryGetString("status"), outcome!.Accepted[0].StreamId });
    }

    private sealed record Beat(SystemStatus Status, double? LatencyMs, string? Message);

    private static (Beat Beat, string? Error) Read(ReadOnlyMemory<byte> body)
    {
        var none = new Beat(SystemStatus.Operational, null, null);
        if (body.IsEmpty)
            return (none, null);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (none, "The body must be a JSON object (or empty).");
            var status = SystemStatus.Operational;
            if (root.TryGetProperty("status", out var s)
                && !(s.ValueKind == JsonValueKind.String && SystemStatusNames.TryParse(s.GetString(), out status) && status != SystemStatus.UnderMaintenance))
                return (none, "status must be one of operational, degraded-performance, partial-outage, major-outage (maintenance comes from Systems:Maintenance).");
            double? latency = null;
            if (root.TryGetProperty("latencyMs", out var l))
            {
                if (!(l.ValueKind == JsonValueKind.Number && l.TryGetDouble(out var ms) && ms is >= 0 and < 3_600_000))
                    return (none, "latencyMs must be a number of milliseconds, from 0 to one hour.");
                latency = ms;
            }
            string? message = null;
            if (root.TryGetProperty("message", out var m))
            {
                if (m.ValueKind != JsonValueKind.String || m.GetString()!.Length > 500)
                    return (none, "message must be a string of at most 500 characters.");
                message = m.GetString();
            }
            return (new Beat(status, latency, message), null);
        }
        catch (JsonException e)
        {
            return (none, $"The body is not JSON: {e.Message}");
        }
    }
}
