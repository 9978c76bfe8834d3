using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using ControlRoom.Domain.Events;

namespace ControlRoom.Domain.Geography;

/// <summary>Where a point is in Milan's administrative map: its Municipio (1–9) and NIL (88 local identity units).</summary>
public sealed record ZoneInfo(int? Municipio, string? Nil)
{
    public static readonly ZoneInfo Outside = new(null, null);
}

/// <summary>Point-in-polygon lookup of Municipio and NIL with an STR-tree over the seed boundaries.</summary>
public sealed class ZoneIndex
{
    private readonly STRtree<(Geometry Shape, int Municipio)> _municipi = new();
    private readonly STRtree<(Geometry Shape, string Nil)> _nil = new();

    public ZoneIndex(IEnumerable<(Geometry Shape, int Municipio)> municipi, IEnumerable<(Geometry Shape, string Nil)> nil)
    {
        foreach (var m in municipi)
            _municipi.Insert(m.Shape.EnvelopeInternal, m);
        foreach (var n in nil)
            _nil.Insert(n.Shape.EnvelopeInternal, n);
        _municipi.Build();
        _nil.Build();
    }

    public int MunicipioCount => _municipi.Count;
    public int NilCount => _nil.Count;

    public ZoneInfo Resolve(Geometry? location)
    {
        if (location is null || location.IsEmpty)
            return ZoneInfo.Outside;
        var point = location as Point ?? location.InteriorPoint;
        int? municipio = null;
        foreach (var m in _municipi.Query(point.EnvelopeInternal))
        {
            if (m.Shape.Covers(point)) { municipio = m.Municipio; break; }
        }
        string? nil = null;
        foreach (var n in _nil.Query(point.EnvelopeInternal))
        {
            if (n.Shape.Covers(point)) { nil = n.Nil; break; }
        }
        return new ZoneInfo(municipio, nil);
    }

    /// <summary>Builds the index from GeoJSON feature collections (Municipi with MUNICIPIO, NIL with NIL).</summary>
    public static ZoneIndex FromGeoJson(string municipiGeoJson, string nilGeoJson)
    {
        var options = CloudEventJson.CreateGeoJsonOptions();
        var municipi = JsonSerializer.Deserialize<FeatureCollection>(municipiGeoJson, options)
            ?? throw new FormatException("Municipi GeoJSON is empty.");
        var nil = JsonSerializer.Deserialize<FeatureCollection>(nilGeoJson, options)
            ?? throw new FormatException("NIL GeoJSON is empty.");
        return new ZoneIndex(
            municipi.Select(f => (f.Geometry, Convert.ToInt32(Attribute(f, "MUNICIPIO"), CultureInfo.InvariantCulture))),
            nil.Select(f => (f.Geometry, Convert.ToString(Attribute(f, "NIL"), CultureInfo.InvariantCulture) ?? "?")));
    }

    private static object Attribute(IFeature feature, string name)
    {
        var value = feature.Attributes?[name] ?? throw new FormatException($"A feature lacks the '{name}' property.");
        return value is JsonElement element
            ? element.ValueKind == JsonValueKind.Number ? element.GetDecimal() : element.ToString()
            : value;
    }
}
