using System.Text;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Systems;
using ControlRoom.Gateway.Ingest;
using Microsoft.Extensions.Options;

namespace ControlRoom.Gateway.Systems;

/// <summary>
/// POST /api/alertmanager — a Prometheus Alertmanager webhook receiver (payload version 4). Each alert whose
/// <c>system</c> label (else <c>service</c>) names a system of the catalogue becomes a
/// <c>system.health.reported</c> event; other alerts are listed back as ignored. A malformed body is 400 and
/// nothing is appended. Alertmanager authenticates with the API key as a bearer token (http_config.authorization).
/// </summary>
public static class AlertmanagerEndpoints
{
    public const string Path = "/api/alertmanager";
    public const string Source = "/alertmanager";

    public static IEndpointRouteBuilder MapAlertmanager(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Path, ReceiveAsync)
            .WithName("AlertmanagerWebhook")
            .WithSummary("Alertmanager webhook (version 4): alerts labelled with a catalogue system become health events.")
            .AsHealthInput()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return routes;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, EventIngestor ingestor, SystemCatalogue catalogue, IOptions<IngestOptions> options,
        IOptions<SystemsOptions> systems, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxRequestBytes;
        if (request.ContentLength > limit || await IngestEndpoints.ReadBodyAsync(request, limit, cancellationToken) is not { } body)
            return IngestEndpoints.TooLarge(limit);
        var (notification, error) = AlertmanagerNotification.Parse(Encoding.UTF8.GetString(body.Span));
        if (notification is null)
            return IngestEndpoints.Problem(StatusCodes.Status400BadRequest, "Not an Alertmanager notification: nothing was accepted", error!);

        var ignored = new List<object>();
        var events = new List<EventEnvelope>();
        foreach (var alert in notification.Alerts)
        {
            var system = alert.Labels.GetValueOrDefault("system") ?? alert.Labels.GetValueOrDefault("service");
            if (system is null || !catalogue.Contains(system))
                ignored.Add(new { alert.Fingerprint, alertname = alert.Name, reason = system is null ? "no system label" : $"'{system}' is not in the catalogue" });
            else
                events.Add(ToEvent(alert, system, notification.Receiver, clock.GetUtcNow(), systems.Value));
        }

        var (outcome, refusal) = await HealthEvents.AppendAsync(request, ingestor, events, oneEvent: false, "Alertmanager retries the notification",
            loggers.CreateLogger(typeof(AlertmanagerEndpoints)), cancellationToken);
        if (refusal is not null)
            return refusal;
        return TypedResults.Accepted((string?)null, new
        {
            accepted = outcome!.Accepted.Count(e => !e.Duplicate),
            duplicates = outcome.Accepted.Count(e => e.Duplicate),
            ignored,
            events = outcome.Accepted,
        });
    }

    // One event per alert state: a notification repeated by Alertmanager gives the same id, accepted once.
    private static EventEnvelope ToEvent(AlertmanagerAlert alert, string system, string receiver, DateTimeOffset now, SystemsOptions systems)
    {
        var time = alert.Firing ? alert.StartsAt : alert.EndsAt ?? now;
        return HealthEvents.Create($"{alert.Fingerprint}/{(alert.Firing ? "firing" : "resolved")}/{alert.StartsAt.ToUnixTimeMilliseconds()}", Source, system, time,
            alert.Status, "alertmanager", alert.Annotations.GetValueOrDefault("summary") ?? alert.Name, systems.MaintenanceAt(system, now), new
            {
                alertname = alert.Name,
                fingerprint = alert.Fingerprint,
                description = alert.Annotations.GetValueOrDefault("description"),
                startsAt = alert.StartsAt,
                endsAt = alert.EndsAt,
                receiver,
            });
    }
}
