using NetTopologySuite.Geometries;

namespace ControlRoom.Domain.Geography;

/// <summary>Great-circle distance on WGS84 points: "as the crow flies", not along streets.</summary>
public static class Distance
{
    private const double EarthRadiusMetres = 6_371_008.8;

    public static double Metres(Point a, Point b)
    {
        var lat1 = double.DegreesToRadians(a.Y);
        var lat2 = double.DegreesToRadians(b.Y);
        var dLat = lat2 - lat1;
        var dLon = double.DegreesToRadians(b.X - a.X);
        var h = Math.Pow(Math.Sin(dLat / 2), 2) + (Math.Cos(lat1) * Math.Cos(lat2) * Math.Pow(Math.Sin(dLon / 2), 2));
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
