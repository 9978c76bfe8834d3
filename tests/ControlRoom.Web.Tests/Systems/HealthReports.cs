using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.Gateway.Hubs;

namespace ControlRoom.Web.Tests.Systems;

/// <summary>Health events as the hub delivers them, at a given stream position.</summary>
internal static class HealthReports
{
    public static WireEvent Wire(int position, string system, string status, DateTimeOffset at, string source = "/probes", string input = "probe",
        double? latencyMs = null, string? fingerprint = null, string? silenced = null, string? title = null) =>
        new($"{position}-0", new EventEnvelope
        {
            Id = $"{system}/{position}",
            Source = source,
            Type = EventTypes.SystemHealthReported,
            Time = at,
            Subject = system,
            Severity = Severity.Info,
            Visibility = Visibility.Operations,
            Data = JsonSerializer.SerializeToElement(new { title = title ?? $"{system} {status}", status, input, latencyMs, fingerprint, silenced }),
        });
}
