using System.Text.Json;
using NetTopologySuite.Geometries;

namespace ControlRoom.Domain.Events;

/// <summary>
/// The one envelope for everything on the stream: CloudEvents 1.0 attributes plus severity, visibility
/// and an optional WGS84 geometry (SRID 4326). The geometry travels as GeoJSON at <c>data.location</c>,
/// the FIWARE Smart Data Models convention, because CloudEvents extension attributes cannot hold objects.
/// </summary>
public sealed record EventEnvelope
{
    public required string Id { get; init; }
    public required string Source { get; init; }
    public required string Type { get; init; }
    public required DateTimeOffset Time { get; init; }
    public string? Subject { get; init; }
    public Severity Severity { get; init; } = Severity.Info;
    public Visibility Visibility { get; init; } = Visibility.Operations;
    public Geometry? Location { get; init; }
    public JsonElement Data { get; init; }

    /// <summary>
    /// The <c>data</c> properties that hold personal data (a caller's name, a phone number), named by the
    /// producer in the <c>personaldata</c> extension attribute: screens whose role may not see them mask them.
    /// </summary>
    public IReadOnlyList<string> PersonalData { get; init; } = [];

    /// <summary>A short human title carried in <c>data.title</c>, if the producer gave one.</summary>
    public string? Title => TryGetString("title");

    public string? TryGetString(string property) =>
        Data.ValueKind == JsonValueKind.Object
        && Data.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
