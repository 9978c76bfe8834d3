using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace ControlRoom.Domain.Geography;

/// <summary>Geometry conventions for the whole system: WGS84 lon/lat, SRID 4326.</summary>
public static class Milan
{
    public const int Srid = 4326;

    public static readonly GeometryFactory Geometry =
        NtsGeometryServices.Instance.CreateGeometryFactory(Srid);

    /// <summary>Piazza del Duomo, the default map centre.</summary>
    public static readonly (double Lon, double Lat) Centre = (9.1900, 45.4642);

    /// <summary>The comune's extent (west, south, east, north), from seed-data/geo/municipi.geojson.</summary>
    public static readonly (double West, double South, double East, double North) Bounds = (9.0406, 45.3867, 9.2780, 45.5360);

    /// <summary>The city's time: operators read every time in it, whatever the server's zone.</summary>
    public static readonly TimeZoneInfo TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");

    public static Point Point(double lon, double lat) => Geometry.CreatePoint(new Coordinate(lon, lat));
}
