using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlRoom.Domain.Events;

/// <summary>Lets System.Text.Json (SignalR's protocol) carry envelopes, already accepted at an edge, as CloudEvents JSON.</summary>
public sealed class EventEnvelopeJsonConverter(TimeProvider clock) : JsonConverter<EventEnvelope>
{
    public EventEnvelopeJsonConverter() : this(TimeProvider.System) { }

    public override EventEnvelope Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var errors = new List<string>();
        return CloudEventJson.TryParse(document.RootElement, clock.GetUtcNow(), errors, atEdge: false)
            ?? throw new JsonException(string.Join(" ", errors));
    }

    public override void Write(Utf8JsonWriter writer, EventEnvelope value, JsonSerializerOptions options) =>
        CloudEventJson.Write(writer, value);
}
