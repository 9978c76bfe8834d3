using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using NetTopologySuite.IO.Converters;

namespace ControlRoom.Storage.EventSerialization;

/// <summary>
/// How incident events are stored: a type name (its own column, so payloads need no "$type" and the
/// domain records need no attributes) and a JSON payload with the location as GeoJSON and ids as plain
/// values. The type names are part of the stored format: never rename one.
/// </summary>
public static class IncidentEventJson
{
    private static readonly (string Name, Type Type)[] Types =
    [
        ("incident-opened", typeof(IncidentOpened)),
        ("incident-acknowledged", typeof(IncidentAcknowledged)),
        ("priority-changed", typeof(PriorityChanged)),
        ("unit-dispatched", typeof(UnitDispatched)),
        ("unit-arrived", typeof(UnitArrived)),
        ("unit-released", typeof(UnitReleased)),
        ("note-added", typeof(NoteAdded)),
        ("incident-resolved", typeof(IncidentResolved)),
        ("incident-closed", typeof(IncidentClosed)),
        ("incident-cancelled", typeof(IncidentCancelled)),
        ("incident-unfounded", typeof(IncidentUnfounded)),
    ];

    private static readonly Dictionary<string, Type> TypeByName = Types.ToDictionary(t => t.Name, t => t.Type);
    private static readonly Dictionary<Type, string> NameByType = Types.ToDictionary(t => t.Type, t => t.Name);

    /// <summary>The options used for payloads (read-only).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Every stored type name, in the order above.</summary>
    public static IReadOnlyList<string> TypeNames { get; } = [.. Types.Select(t => t.Name)];

    public static string TypeOf(IncidentEvent e) =>
        NameByType.TryGetValue(e.GetType(), out var name)
            ? name
            : throw new NotSupportedException($"{e.GetType().Name} has no stored type name: add it to {nameof(IncidentEventJson)}.");

    public static string Serialize(IncidentEvent e) => JsonSerializer.Serialize(e, e.GetType(), Options);

    /// <exception cref="NotSupportedException">The type name is unknown.</exception>
    /// <exception cref="JsonException">The payload does not match the type.</exception>
    public static IncidentEvent Deserialize(string type, string payload)
    {
        if (!TypeByName.TryGetValue(type, out var clr))
            throw new NotSupportedException($"Unknown incident event type '{type}'.");
        return (IncidentEvent?)JsonSerializer.Deserialize(payload, clr, Options)
            ?? throw new JsonException($"A '{type}' payload is null.");
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // A stored log that lost a field should fail loudly, not replay with nulls.
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        // Enum names, not numbers: the log outlives any reordering of the enums.
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.Converters.Add(new GeoJsonConverterFactory(Milan.Geometry));
        options.Converters.Add(new IncidentIdJsonConverter());
        options.Converters.Add(new UnitIdJsonConverter());
        options.MakeReadOnly();
        return options;
    }
}
