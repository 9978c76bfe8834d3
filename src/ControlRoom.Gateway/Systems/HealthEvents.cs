using System.Text.Json;
using System.Text.Json.Nodes;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Systems;
using ControlRoom.Gateway.Ingest;

namespace ControlRoom.Gateway.Systems;

/// <summary>
/// The one shape of <c>system.health.reported</c>, whichever input saw it (probe, heartbeat, alertmanager).
/// Within a maintenance window the status becomes under-maintenance and the one seen is kept as <c>silenced</c>.
/// </summary>
public static class HealthEvents
{
    public static EventEnvelope Create(string id, string source, string system, DateTimeOffset time, SystemStatus status, string input,
        string title, MaintenanceWindow? maintenance, object? details = null)
    {
        var data = details is null ? new JsonObject() : JsonSerializer.SerializeToNode(details)!.AsObject();
        data["title"] = title;
        data["input"] = input;
        if (maintenance is not null && status != SystemStatus.UnderMaintenance)
        {
            data["silenced"] = status.ToWire();
            data["maintenance"] = maintenance.Reason ?? "";
            status = SystemStatus.UnderMaintenance;
        }
        data["status"] = status.ToWire();
        return new EventEnvelope
        {
            Id = id,
            Source = source,
            Type = EventTypes.SystemHealthReported,
            Time = time,
            Subject = system,
            Severity = status.ToSeverity(),
            Visibility = Visibility.Operations,
            Data = JsonSerializer.SerializeToElement(data),
        };
    }

    /// <summary>
    /// Appends health events a sender's request made, under its API key: all or none. The refusal to answer with
    /// when the stream is down (503) or an event is outside the key's scope (403), else the outcome.
    /// </summary>
    /// <summary>What every health input over HTTP shares: an ingest key and its rate limit, 202, and the refusals any of them gives.</summary>
    internal static RouteHandlerBuilder AsHealthInput(this RouteHandlerBuilder endpoint) => endpoint
        .RequireAuthorization(Access.GatewayAccess.IngestPolicy)
        .RequireRateLimiting(Access.GatewayAccess.IngestRateLimit)
        .DisableAntiforgery()
        .Produces(StatusCodes.Status202Accepted)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static async Task<(IngestOutcome? Outcome, IResult? Refusal)> AppendAsync(HttpRequest request, EventIngestor ingestor,
        IReadOnlyList<EventEnvelope> events, bool oneEvent, string retry, ILogger log, CancellationToken cancellationToken)
    {
        IngestOutcome outcome;
        try
        {
            outcome = await ingestor.AppendAsync(events, Access.ApiKeyAuthentication.GrantOf(request.HttpContext)!.Refuse, oneEvent, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "The stream refused health events");
            return (null, IngestEndpoints.Problem(StatusCodes.Status503ServiceUnavailable, "Stream unavailable", $"Nothing was stored; {retry}."));
        }
        if (outcome.OutOfScope)
            return (null, IngestEndpoints.Problem(StatusCodes.Status403Forbidden, "Events outside this key's scope: nothing was accepted",
                $"This key may not send {EventTypes.SystemHealthReported} at operations visibility."));
        return (outcome, null);
    }
}
