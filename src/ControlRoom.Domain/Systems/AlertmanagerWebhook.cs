using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ControlRoom.Domain.Systems;

/// <summary>One alert of an Alertmanager notification, as the control room uses it.</summary>
public sealed record AlertmanagerAlert(
    bool Firing,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string Fingerprint)
{
    public string Name => Labels.TryGetValue("alertname", out var name) ? name : "(senza nome)";

    /// <summary>What the alert says about its system: resolved is operational; firing by its severity label.</summary>
    public SystemStatus Status => !Firing ? SystemStatus.Operational
        : Labels.TryGetValue("severity", out var severity) ? severity.ToLowerInvariant() switch
        {
            "critical" or "page" or "disaster" => SystemStatus.MajorOutage,
            "warning" or "minor" or "info" => SystemStatus.DegradedPerformance,
            _ => SystemStatus.PartialOutage,
        }
        : SystemStatus.PartialOutage;
}

/// <summary>A Prometheus Alertmanager webhook notification (payload version 4), checked field by field.</summary>
public sealed partial record AlertmanagerNotification(string GroupKey, bool Firing, string Receiver, int TruncatedAlerts, IReadOnlyList<AlertmanagerAlert> Alerts)
{
    public const int MaxAlerts = 1_000;

    /// <summary>The notification, or why it is not one (for a 400 answer: nothing of it is used).</summary>
    public static (AlertmanagerNotification? Notification, string? Error) Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, "The body must be a JSON object.");
            if (Text(root, "version") != "4")
                return (null, "Only Alertmanager webhook payload version \"4\" is understood.");
            if (!root.TryGetProperty("alerts", out var alerts) || alerts.ValueKind != JsonValueKind.Array)
                return (null, "\"alerts\" must be an array.");
            if (alerts.GetArrayLength() > MaxAlerts)
                return (null, $"At most {MaxAlerts} alerts per notification (set max_alerts on the receiver).");
            var parsed = new List<AlertmanagerAlert>();
            var i = 0;
            foreach (var alert in alerts.EnumerateArray())
            {
                i++;
                if (ReadAlert(alert, Text(root, "status")) is not { } a)
                    return (null, $"Alert {i}: needs \"status\" firing or resolved, \"labels\" and \"annotations\" as objects of strings, and \"startsAt\" as an RFC 3339 time.");
                parsed.Add(a);
            }
            var truncated = root.TryGetProperty("truncatedAlerts", out var t) && t.TryGetInt32(out var n) && n >= 0 ? n : 0;
            return (new AlertmanagerNotification(Text(root, "groupKey") ?? "", Text(root, "status") == "firing", Text(root, "receiver") ?? "", truncated, parsed), null);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not valid JSON ({e.Message}).");
        }
    }

    // An alert without a status of its own (older Alertmanagers) has the notification's.
    private static AlertmanagerAlert? ReadAlert(JsonElement e, string? notificationStatus)
    {
        var status = e.ValueKind == JsonValueKind.Object ? Text(e, "status") ?? notificationStatus : null;
        if (status is not ("firing" or "resolved") || Strings(e, "labels") is not { } labels
            || Strings(e, "annotations", optional: true) is not { } annotations || Time(e, "startsAt") is not { } startsAt)
            return null;
        var endsAt = Time(e, "endsAt");
        // Older Alertmanagers send no fingerprint: the same labels always give the same one here.
        var fingerprint = Text(e, "fingerprint") is { Length: > 0 } given ? given : FingerprintOf(labels);
        return new AlertmanagerAlert(status == "firing", labels, annotations, startsAt, endsAt is { Year: > 1 } ? endsAt : null, fingerprint);
    }

    private static string FingerprintOf(IReadOnlyDictionary<string, string> labels)
    {
        var canonical = string.Join('\n', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Go writes nanoseconds; .NET parses at most seven fractional digits.
    private static DateTimeOffset? Time(JsonElement e, string name) =>
        Text(e, name) is { } text && DateTimeOffset.TryParse(Nanoseconds().Replace(text, "$1"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time : null;

    private static Dictionary<string, string>? Strings(JsonElement e, string name, bool optional = false)
    {
        if (!e.TryGetProperty(name, out var value))
            return optional ? [] : null;
        if (value.ValueKind != JsonValueKind.Object)
            return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
                return null;
            result[property.Name] = property.Value.GetString()!;
        }
        return result;
    }

    [GeneratedRegex(@"(\.\d{7})\d+")]
    private static partial Regex Nanoseconds();
}
