using ControlRoom.Domain.Systems;
using ControlRoom.Tests;

namespace ControlRoom.Domain.Tests.Systems;

/// <summary>Alertmanager webhook payloads (version 4): a real one, the documented fields, and bodies that must be refused.</summary>
public sealed class AlertmanagerWebhookTests
{
    private static string Real => File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "tests", "ControlRoom.Domain.Tests", "Systems", "TestData", "alertmanager-v4-firing.json"));

    [Fact]
    public void ARealOlderPayload_IsRead_WithTheNotificationsStatus_AndAStableFingerprint()
    {
        var (notification, error) = AlertmanagerNotification.Parse(Real);

        error.ShouldBeNull();
        notification!.Receiver.ShouldBe("teams_proxy");
        var alert = notification.Alerts.ShouldHaveSingleItem();
        (alert.Firing, alert.Name, alert.Status).ShouldBe((true, "high_memory_load", SystemStatus.DegradedPerformance)); // severity warning
        alert.StartsAt.ShouldBe(new DateTimeOffset(2018, 3, 7, 6, 33, 21, TimeSpan.FromHours(-5)).AddTicks(8_730_775)); // nanoseconds cut to ticks
        alert.EndsAt.ShouldBeNull(); // Go's zero time
        alert.Annotations["summary"].ShouldBe("Server High Memory usage");
        alert.Fingerprint.Length.ShouldBe(16);
        AlertmanagerNotification.Parse(Real).Notification!.Alerts[0].Fingerprint.ShouldBe(alert.Fingerprint);
    }

    [Fact]
    public void ACurrentPayload_KeepsEachAlertsOwnStatusAndFingerprint()
    {
        const string json = """
            { "version": "4", "groupKey": "{}:{system=\"sctt\"}", "truncatedAlerts": 2, "status": "firing", "receiver": "controlroom",
              "alerts": [
                { "status": "firing", "labels": { "alertname": "SemaforiOffline", "system": "sctt", "severity": "critical" }, "annotations": {},
                  "startsAt": "2026-11-23T08:00:00Z", "endsAt": "0001-01-01T00:00:00Z", "fingerprint": "a1b2c3d4e5f60708" },
                { "status": "resolved", "labels": { "alertname": "PannelliLenti", "system": "sctt" }, "annotations": {},
                  "startsAt": "2026-11-23T07:00:00Z", "endsAt": "2026-11-23T07:30:00Z", "fingerprint": "0807f6e5d4c3b2a1" } ] }
            """;

        var notification = AlertmanagerNotification.Parse(json).Notification!;

        notification.TruncatedAlerts.ShouldBe(2);
        notification.Alerts.Select(a => (a.Fingerprint, a.Status)).ShouldBe([("a1b2c3d4e5f60708", SystemStatus.MajorOutage), ("0807f6e5d4c3b2a1", SystemStatus.Operational)]);
        notification.Alerts[1].EndsAt.ShouldBe(new DateTimeOffset(2026, 11, 23, 7, 30, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("""{ "version": "3", "alerts": [] }""", "version \"4\"")]
    [InlineData("""{ "version": "4" }""", "\"alerts\" must be an array")]
    [InlineData("""{ "version": "4", "alerts": [ { "status": "burning", "labels": {}, "startsAt": "2026-11-23T08:00:00Z" } ] }""", "Alert 1")]
    [InlineData("""{ "version": "4", "status": "firing", "alerts": [ { "labels": { "a": 1 }, "startsAt": "2026-11-23T08:00:00Z" } ] }""", "Alert 1")]
    [InlineData("""{ "version": "4", "status": "firing", "alerts": [ { "labels": {}, "startsAt": "ieri" } ] }""", "Alert 1")]
    public void ABadPayload_IsRefusedWithItsReason(string json, string reason)
    {
        var (notification, error) = AlertmanagerNotification.Parse(json);

        notification.ShouldBeNull();
        error!.ShouldContain(reason);
    }
}
