using System.Text.Json;
using System.Text.Json.Nodes;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Systems;

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
            Severity = status switch
            {
                SystemStatus.MajorOutage => Severity.Severe,
                SystemStatus.PartialOutage => Severity.Moderate,
                SystemStatus.DegradedPerformance => Severity.Minor,
                _ => Severity.Info,
            },
            Visibility = Visibility.Operations,
            Data = JsonSerializer.SerializeToElement(data),
        };
    }
}
