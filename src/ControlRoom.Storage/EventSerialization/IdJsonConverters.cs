using System.Text.Json;
using System.Text.Json.Serialization;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;

namespace ControlRoom.Storage.EventSerialization;

/// <summary>An <see cref="IncidentId"/> as its bare GUID string, not <c>{"value": ...}</c>.</summary>
internal sealed class IncidentIdJsonConverter : JsonConverter<IncidentId>
{
    public override IncidentId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetGuid());

    public override void Write(Utf8JsonWriter writer, IncidentId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}

/// <summary>A <see cref="UnitId"/> as its bare call sign.</summary>
internal sealed class UnitIdJsonConverter : JsonConverter<UnitId>
{
    public override UnitId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() is { Length: > 0 } s ? s : throw new JsonException("A unit id must be a non-empty string."));

    public override void Write(Utf8JsonWriter writer, UnitId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
