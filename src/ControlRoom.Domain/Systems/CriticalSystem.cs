namespace ControlRoom.Domain.Systems;

/// <summary>
/// Where on the ground a system's outage is felt: the whole city, a map layer (cameras, junctions,
/// citizen reports, venues, units) or one Municipio.
/// </summary>
public sealed record ImpactArea(string Kind, string? Ref = null)
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { "city", "layer", "municipio" };
}

/// <summary>
/// One critical information system of the catalogue: who owns it, how much its loss costs, the SLA it is
/// held to (% availability), the operator functions and map areas it serves, and the systems it needs.
/// </summary>
public sealed record CriticalSystem(
    string Id,
    string Name,
    string Category,
    string Owner,
    BusinessImpact Impact,
    double Sla,
    IReadOnlyList<string> Functions,
    IReadOnlyList<ImpactArea> Areas,
    IReadOnlyList<string> DependsOn);
