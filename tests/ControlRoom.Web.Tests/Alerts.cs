using System.Text.Json;
using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Geography;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Web.Situation;

namespace ControlRoom.Web.Tests;

internal static class Alerts
{
    public static WireEvent Wire(long ms, string id, Severity severity = Severity.Severe, string type = EventTypes.SensorAlertRaised,
        double lon = 9.19, double lat = 45.4642) =>
        new($"{ms}-0", new EventEnvelope
        {
            Id = id,
            Source = "/test",
            Type = type,
            Time = DateTimeOffset.FromUnixTimeMilliseconds(ms),
            Severity = severity,
            Location = Milan.Point(lon, lat),
            Data = JsonSerializer.SerializeToElement(new { title = "Allarme " + id, kind = "camera" }),
        });

    public static EventBatch Batch(params WireEvent[] events) => new(events);

    /// <summary>An inbox alert; each from a device of its own unless <paramref name="subject"/> says otherwise.</summary>
    public static AlertView View(string id, DateTimeOffset time, Severity severity = Severity.Moderate, int? municipio = 1, string? nil = "DUOMO",
        string? subject = null, AlertTriage? triage = null) =>
        new("/test\n" + id, "1-0", EventTypes.SensorAlertRaised, severity, time, "Allarme " + id, "camera", 9.19, 45.46, municipio, nil,
            subject ?? "device-" + id, triage);
}
