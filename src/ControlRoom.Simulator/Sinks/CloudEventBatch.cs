using System.Text.Json;
using ControlRoom.Domain.Events;

namespace ControlRoom.Simulator.Sinks;

public static class CloudEventBatch
{
    public const string MediaType = "application/cloudevents-batch+json";

    /// <summary>The events as a CloudEvents JSON batch (an array of structured events).</summary>
    public static byte[] ToJson(IReadOnlyList<EventEnvelope> events)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var e in events)
                CloudEventJson.Write(writer, e);
            writer.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
