using ControlRoom.Domain.Geography;
using NetTopologySuite.Geometries;

namespace ControlRoom.Domain.Units;

public sealed record RecommendedUnit(Unit Unit, double StraightLineMetres);

public static class UnitRecommendation
{
    /// <summary>The available units nearest to <paramref name="target"/> in a straight line (the UI says so), nearest first.</summary>
    public static IReadOnlyList<RecommendedUnit> Closest(Point target, IEnumerable<Unit> units, int take = 3) =>
        units.Where(u => u.IsAvailable)
            .Select(u => new RecommendedUnit(u, Distance.Metres(target, u.Position)))
            .OrderBy(r => r.StraightLineMetres)
            .ThenBy(r => r.Unit.Id.Value, StringComparer.Ordinal)
            .Take(take)
            .ToList();
}
