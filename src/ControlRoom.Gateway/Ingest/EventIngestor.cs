using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.EventStream;
using Microsoft.Extensions.Options;

namespace ControlRoom.Gateway.Ingest;

public sealed record IngestedEvent(string Id, string Source, string StreamId, bool Duplicate);

/// <summary>Either every event was valid and is on the stream, or nothing was appended and the errors say why.</summary>
public sealed record IngestOutcome(IReadOnlyList<IngestedEvent> Accepted, IReadOnlyDictionary<string, string[]> Errors, bool OutOfScope = false)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The one way onto the stream from outside: parses CloudEvents JSON (one event or a batch), validates
/// all of it before appending any of it, then appends in order. Used by the HTTP endpoint and by the
/// embedded simulator, so both obey the same rules.
/// </summary>
public sealed class EventIngestor(IEventStream stream, IOptions<IngestOptions> options, TimeProvider clock)
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };
    private static readonly Dictionary<string, string[]> NoErrors = [];

    /// <exception cref="JsonException">The body is not JSON.</exception>
    /// <param name="refuse">Why the sender may not send an event (its key's scope), or null when it may.</param>
    public async Task<IngestOutcome> IngestAsync(ReadOnlyMemory<byte> json, Func<EventEnvelope, string?>? refuse, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(json, ParseOptions);
        var (envelopes, errors) = Validate(document.RootElement);
        if (errors.Count > 0)
            return new IngestOutcome([], errors);
        return await AppendAsync(envelopes, refuse, oneEvent: envelopes.Count == 1 && document.RootElement.ValueKind != JsonValueKind.Array, cancellationToken);
    }

    /// <summary>Events made here (e.g. from an Alertmanager notification): all within the sender's scope and appended, or none.</summary>
    public async Task<IngestOutcome> AppendAsync(IReadOnlyList<EventEnvelope> envelopes, Func<EventEnvelope, string?>? refuse, bool oneEvent, CancellationToken cancellationToken)
    {
        var outOfScope = envelopes.Select((e, i) => (Key: oneEvent ? "event" : $"[{i}]", Reason: refuse?.Invoke(e)))
            .Where(r => r.Reason is not null).ToDictionary(r => r.Key, r => new[] { r.Reason! });
        if (outOfScope.Count > 0)
            return new IngestOutcome([], outOfScope, OutOfScope: true);
        if (envelopes.Count == 0)
            return new IngestOutcome([], NoErrors);

        var results = await stream.AppendBatchAsync(envelopes, cancellationToken);
        var accepted = envelopes.Select((e, i) => new IngestedEvent(e.Id, e.Source, results[i].Id.ToString(), results[i].Duplicate)).ToList();
        return new IngestOutcome(accepted, NoErrors);
    }

    private (List<EventEnvelope> Envelopes, Dictionary<string, string[]> Errors) Validate(JsonElement root)
    {
        var limits = options.Value;
        var errors = new Dictionary<string, string[]>();
        var envelopes = new List<EventEnvelope>();
        var batch = root.ValueKind == JsonValueKind.Array;
        var items = batch ? root.EnumerateArray().ToList() : [root];

        if (batch && items.Count == 0)
            errors["batch"] = ["A batch must contain at least one event."];
        if (items.Count > limits.MaxBatchSize)
        {
            errors["batch"] = [$"A batch may hold at most {limits.MaxBatchSize} events; this one has {items.Count}."];
            return (envelopes, errors);
        }

        var receivedAt = clock.GetUtcNow();
        for (var i = 0; i < items.Count; i++)
        {
            var key = batch ? $"[{i}]" : "event";
            var problems = new List<string>();
            var size = items[i].GetRawText().Length;
            if (size > limits.MaxEventBytes)
                problems.Add($"The event is {size} bytes; at most {limits.MaxEventBytes} are accepted.");
            else if (CloudEventJson.TryParse(items[i], receivedAt, problems) is { } envelope)
                envelopes.Add(envelope);
            if (problems.Count > 0)
                errors[key] = [.. problems];
        }
        return (envelopes, errors);
    }
}
