using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace ControlRoom.Domain.Events;

/// <summary>
/// Reads and writes the envelope as CloudEvents 1.0 structured JSON. Reading validates everything an
/// edge must refuse: wrong spec version, missing id/source, unknown type, bad severity or visibility,
/// malformed GeoJSON, coordinates outside WGS84 ranges.
/// </summary>
public static class CloudEventJson
{
    public const int MaxIdLength = 256;
    public const int MaxSourceLength = 512;
    public const string LocationProperty = "location";

    private static readonly JsonSerializerOptions GeoJsonOptions = CreateGeoJsonOptions();

    private static readonly System.Text.RegularExpressions.Regex Rfc3339 = new(
        @"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    public static JsonSerializerOptions CreateGeoJsonOptions()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        return options;
    }

    /// <summary>Parses one CloudEvent. Returns null and fills <paramref name="errors"/> when it is invalid.</summary>
    /// <param name="atEdge">
    /// True at the edge: everything is checked. False when reading what an edge already accepted (the
    /// stream, the hub): an older reader must not choke on a type, severity or visibility that a newer
    /// gateway knows (rolling upgrade), so unknown types pass, an unknown severity reads as info and an
    /// unknown visibility as confidential (the narrowest: fail closed).
    /// </param>
    public static EventEnvelope? TryParse(JsonElement element, DateTimeOffset receivedAt, List<string> errors, bool atEdge = true)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("An event must be a JSON object.");
            return null;
        }

        var start = errors.Count;
        if (ReadString(element, "specversion", errors, required: true) is { } version && version != "1.0")
            errors.Add($"Unsupported specversion '{version}': only CloudEvents 1.0 is accepted.");

        var id = ReadString(element, "id", errors, required: true, MaxIdLength);
        var source = ReadString(element, "source", errors, required: true, MaxSourceLength);
        var type = ReadString(element, "type", errors, required: true);
        if (atEdge && type is not null && !EventTypes.IsKnown(type))
            errors.Add($"Unknown event type '{type}'.");

        var subject = ReadString(element, "subject", errors, required: false, MaxSourceLength);
        var time = ReadTime(element, errors) ?? receivedAt;

        var severity = Severity.Info;
        if (ReadString(element, "severity", errors, required: false) is { } s && !SeverityNames.TryParse(s, out severity))
        {
            severity = Severity.Info;
            if (atEdge)
                errors.Add($"Unknown severity '{s}': use info, minor, moderate, severe or extreme.");
        }

        var visibility = Visibility.Operations;
        if (ReadString(element, "visibility", errors, required: false) is { } v && !VisibilityNames.TryParse(v, out visibility))
        {
            visibility = Visibility.Confidential;
            if (atEdge)
                errors.Add($"Unknown visibility '{v}': use public, operations, restricted or confidential.");
        }

        var personal = ReadPersonalData(element, errors);

        if (element.TryGetProperty("data_base64", out _))
            errors.Add("Binary data (data_base64) is not accepted: send JSON data.");
        if (ReadString(element, "datacontenttype", errors, required: false) is { } contentType
            && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            errors.Add($"Unsupported datacontenttype '{contentType}': only application/json.");

        var data = element.TryGetProperty("data", out var d) ? d.Clone() : default;
        var location = ReadLocation(data, errors);

        if (errors.Count > start)
            return null;

        return new EventEnvelope
        {
            Id = id!,
            Source = source!,
            Type = type!,
            Time = time,
            Subject = subject,
            Severity = severity,
            Visibility = visibility,
            Location = location,
            Data = data,
            PersonalData = personal,
        };
    }

    public const int MaxPersonalFields = 16;

    /// <summary><c>personaldata</c>: a comma-separated list of <c>data</c> property names (letters and digits, starting with a letter).</summary>
    private static IReadOnlyList<string> ReadPersonalData(JsonElement element, List<string> errors)
    {
        if (ReadString(element, "personaldata", errors, required: false, 512) is not { } text)
            return [];
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length > MaxPersonalFields || names.Any(n => !char.IsAsciiLetter(n[0]) || !n.All(char.IsAsciiLetterOrDigit)))
        {
            errors.Add($"'personaldata' must list at most {MaxPersonalFields} data property names (letters and digits), comma-separated.");
            return [];
        }
        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Reads an envelope that an edge already accepted (from the stream).</summary>
    public static EventEnvelope Parse(string json, DateTimeOffset receivedAt)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new List<string>();
        return TryParse(document.RootElement, receivedAt, errors, atEdge: false)
            ?? throw new FormatException(string.Join(" ", errors));
    }

    public static void Write(Utf8JsonWriter writer, EventEnvelope e)
    {
        writer.WriteStartObject();
        writer.WriteString("specversion", "1.0");
        writer.WriteString("id", e.Id);
        writer.WriteString("source", e.Source);
        writer.WriteString("type", e.Type);
        writer.WriteString("time", e.Time.ToString("O", CultureInfo.InvariantCulture));
        if (e.Subject is not null)
            writer.WriteString("subject", e.Subject);
        writer.WriteString("severity", e.Severity.ToWire());
        writer.WriteString("visibility", e.Visibility.ToWire());
        if (e.PersonalData.Count > 0)
            writer.WriteString("personaldata", string.Join(',', e.PersonalData));
        writer.WriteString("datacontenttype", "application/json");
        WriteData(writer, e);
        writer.WriteEndObject();
    }

    public static string Serialize(EventEnvelope e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, e);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteData(Utf8JsonWriter writer, EventEnvelope e)
    {
        if (e.Location is null)
        {
            if (e.Data.ValueKind != JsonValueKind.Undefined)
            {
                writer.WritePropertyName("data");
                e.Data.WriteTo(writer);
            }
            return;
        }

        // The location lives in data.location; the envelope's geometry is the source of truth.
        writer.WriteStartObject("data");
        if (e.Data.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in e.Data.EnumerateObject())
            {
                if (property.NameEquals(LocationProperty))
                    continue;
                property.WriteTo(writer);
            }
        }
        writer.WritePropertyName(LocationProperty);
        JsonSerializer.Serialize(writer, e.Location, GeoJsonOptions);
        writer.WriteEndObject();
    }

    private static string? ReadString(JsonElement element, string name, List<string> errors, bool required, int maxLength = 1024)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
                errors.Add($"Missing required attribute '{name}'.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"Attribute '{name}' must be a string.");
            return null;
        }
        var text = value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(text))
        {
            errors.Add($"Attribute '{name}' must not be empty.");
            return null;
        }
        if (text.Length > maxLength)
        {
            errors.Add($"Attribute '{name}' is longer than {maxLength} characters.");
            return null;
        }
        if (text.Any(char.IsControl))
        {
            errors.Add($"Attribute '{name}' contains control characters.");
            return null;
        }
        return text;
    }

    private static DateTimeOffset? ReadTime(JsonElement element, List<string> errors)
    {
        if (ReadString(element, "time", errors, required: false) is not { } text)
            return null;
        // RFC 3339 requires a date, a time and an offset (or Z): a time without one would be read in the server's zone.
        if (Rfc3339.IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
            return time;
        errors.Add($"Attribute 'time' is not an RFC 3339 timestamp with an offset: '{text}'.");
        return null;
    }

    private static Geometry? ReadLocation(JsonElement data, List<string> errors)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(LocationProperty, out var raw)
            || raw.ValueKind == JsonValueKind.Null)
            return null;

        Geometry? geometry;
        try
        {
            geometry = raw.Deserialize<Geometry>(GeoJsonOptions);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            errors.Add($"data.location is not a valid GeoJSON geometry: {ex.Message}");
            return null;
        }
        if (geometry is null || geometry.IsEmpty)
        {
            errors.Add("data.location is not a valid GeoJSON geometry.");
            return null;
        }
        foreach (var c in geometry.Coordinates)
        {
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y) || c.X is < -180 or > 180 || c.Y is < -90 or > 90)
            {
                errors.Add($"data.location has a coordinate outside WGS84 ranges (lon {c.X}, lat {c.Y}): longitude must be within ±180 and latitude within ±90.");
                return null;
            }
        }
        if (!geometry.IsValid)
        {
            errors.Add("data.location is not a valid geometry (for example a self-intersecting or unclosed polygon).");
            return null;
        }
        geometry.SRID = 4326;
        return geometry;
    }
}
