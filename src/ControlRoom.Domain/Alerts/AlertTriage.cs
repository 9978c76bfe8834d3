using ControlRoom.Domain.Events;
using ControlRoom.Domain.Incidents;

namespace ControlRoom.Domain.Alerts;

/// <summary>What the operator concluded about an alert when acknowledging it.</summary>
public enum AlertDisposition
{
    /// <summary>Real and worth attention; it stays in the inbox, marked as seen.</summary>
    Relevant,

    /// <summary>Another report of something already known; it leaves the inbox.</summary>
    Duplicate,

    /// <summary>Not real (sensor fault, test, misread); it leaves the inbox.</summary>
    FalsePositive,
}

public enum TriageAction
{
    Acknowledged,
    Shelved,

    /// <summary>Undoes an acknowledgement or a shelving: the alert is back in the inbox as new.</summary>
    Reopened,
}

/// <summary>
/// An operator's decision on one or more inbox alerts (a group of duplicates is decided at once).
/// Decisions are appended, never changed: an alert's state is its latest decision.
/// </summary>
public sealed record AlertTriage(
    Guid Id, IReadOnlyList<string> AlertKeys, TriageAction Action, AlertDisposition? Disposition,
    DateTimeOffset? ShelvedUntil, DateTimeOffset At, string By)
{
    /// <summary>Alerts one decision may name: an inbox row (a group) never holds more.</summary>
    public const int MaxAlerts = 100;

    /// <summary>An alert key is its source, a newline and its id, as long as the edge accepts them.</summary>
    public const int MaxKeyLength = CloudEventJson.MaxSourceLength + 1 + CloudEventJson.MaxIdLength;
    public static readonly TimeSpan MaxShelf = TimeSpan.FromHours(24);

    public static (AlertTriage? Triage, Refusal? Refusal) Acknowledge(IReadOnlyList<string> keys, AlertDisposition disposition, DateTimeOffset at, string by) =>
        !Enum.IsDefined(disposition)
            ? (null, new Refusal("invalid-disposition", "The disposition must be relevant, duplicate or false positive."))
            : Create(keys, TriageAction.Acknowledged, disposition, null, at, by);

    /// <summary>Hides the alerts until <paramref name="until"/>; then they come back to the inbox by themselves.</summary>
    public static (AlertTriage? Triage, Refusal? Refusal) Shelve(IReadOnlyList<string> keys, TimeSpan period, DateTimeOffset at, string by) =>
        period <= TimeSpan.Zero || period > MaxShelf
            ? (null, new Refusal("invalid-shelf", $"An alert can be shelved for up to {MaxShelf.TotalHours:0} hours."))
            : Create(keys, TriageAction.Shelved, null, at + period, at, by);

    /// <summary>Whether a decision read from the stream is whole (a producer could send anything with this type).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsWellFormed =>
        AlertKeys is { Count: > 0 and <= MaxAlerts } && AlertKeys.All(k => k is { Length: > 0 and <= MaxKeyLength })
        && Enum.IsDefined(Action) && (Disposition is null || Enum.IsDefined(Disposition.Value))
        && (Action != TriageAction.Shelved || ShelvedUntil is not null) && By is not null;

    public static (AlertTriage? Triage, Refusal? Refusal) Reopen(IReadOnlyList<string> keys, DateTimeOffset at, string by) =>
        Create(keys, TriageAction.Reopened, null, null, at, by);

    /// <summary>Whether an alert with this decision belongs in the inbox at <paramref name="now"/>.</summary>
    public bool KeepsInInbox(DateTimeOffset now) => Action switch
    {
        TriageAction.Acknowledged => Disposition == AlertDisposition.Relevant,
        TriageAction.Shelved => ShelvedUntil <= now,
        _ => true,
    };

    private static (AlertTriage?, Refusal?) Create(
        IReadOnlyList<string> keys, TriageAction action, AlertDisposition? disposition, DateTimeOffset? until, DateTimeOffset at, string by)
    {
        if (keys.Count == 0 || keys.Count > MaxAlerts)
            return (null, new Refusal("invalid-alerts", $"Choose between 1 and {MaxAlerts} alerts."));
        if (keys.Any(k => string.IsNullOrWhiteSpace(k) || k.Length > MaxKeyLength))
            return (null, new Refusal("invalid-alerts", "An alert key is empty or too long."));
        return (new AlertTriage(Guid.CreateVersion7(at), [.. keys.Distinct(StringComparer.Ordinal)], action, disposition, until, at, by), null);
    }
}
