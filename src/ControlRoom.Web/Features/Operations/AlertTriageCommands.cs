using System.Text.Json;
using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Audit;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Incidents;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;
using ControlRoom.Web.Features.Incidents;

namespace ControlRoom.Web.Features.Operations;

/// <summary>
/// Operators' decisions on inbox alerts: acknowledge with a disposition, shelve for a while, reopen
/// (the undo of both). Each decision is stored with its outbox message in one transaction; every
/// screen learns it from the stream.
/// </summary>
public sealed class AlertTriageCommands(IIncidentStore store, OutboxRelay relay, TimeProvider clock)
{
    public const string Source = "/operators/triage";

    public Task<(AlertTriage? Triage, Refusal? Refusal)> AcknowledgeAsync(
        IReadOnlyList<string> keys, AlertDisposition disposition, Operator by, CancellationToken cancellationToken) =>
        RecordAsync(AlertTriage.Acknowledge(keys, disposition, clock.GetUtcNow(), by.Name), by, cancellationToken);

    public Task<(AlertTriage? Triage, Refusal? Refusal)> ShelveAsync(
        IReadOnlyList<string> keys, TimeSpan period, Operator by, CancellationToken cancellationToken) =>
        RecordAsync(AlertTriage.Shelve(keys, period, clock.GetUtcNow(), by.Name), by, cancellationToken);

    public Task<(AlertTriage? Triage, Refusal? Refusal)> ReopenAsync(IReadOnlyList<string> keys, Operator by, CancellationToken cancellationToken) =>
        RecordAsync(AlertTriage.Reopen(keys, clock.GetUtcNow(), by.Name), by, cancellationToken);

    private async Task<(AlertTriage?, Refusal?)> RecordAsync((AlertTriage? Triage, Refusal? Refusal) decision, Operator by, CancellationToken cancellationToken)
    {
        if (by.Refuse(Permission.TriageAlerts) is { } notPermitted)
            return (null, notPermitted);
        if (decision.Triage is not { } triage)
            return decision;
        var message = Message(triage);
        if (OutboxLimits.Refuse(message) is { } tooLarge)
            return (null, tooLarge);
        var audit = new AuditEntry(triage.At, by.Name, "alert." + triage.Action.ToString().ToLowerInvariant(), triage.AlertKeys.Count == 1 ? triage.AlertKeys[0] : $"{triage.AlertKeys[0]} (+{triage.AlertKeys.Count - 1})",
            JsonSerializer.Serialize(triage, IncidentMessages.SerializerOptions), by.Origin);
        await store.RecordTriageAsync(triage, [message], audit, cancellationToken);
        relay.Wake();
        return decision;
    }

    /// <summary>The decision as it travels (alert.triaged); its id is the decision's, so a re-publish is deduplicated.</summary>
    public static (string Type, string Payload) Message(AlertTriage triage) =>
        (EventTypes.AlertTriaged, CloudEventJson.Serialize(new EventEnvelope
        {
            Id = triage.Id.ToString(),
            Source = Source,
            Type = EventTypes.AlertTriaged,
            Time = triage.At,
            Visibility = Visibility.Operations,
            Data = JsonSerializer.SerializeToElement(triage, IncidentMessages.SerializerOptions),
        }));
}
