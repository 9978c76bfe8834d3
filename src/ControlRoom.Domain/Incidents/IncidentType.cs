namespace ControlRoom.Domain.Incidents;

/// <summary>Who normally leads on an incident type.</summary>
public enum LeadAgency
{
    PoliziaLocale,
    ProtezioneCivile,
}

/// <summary>One entry of the taxonomy: a stable code, the lead agency and the priority it usually starts at.</summary>
public sealed record IncidentType(string Code, LeadAgency Lead, Priority DefaultPriority);

/// <summary>The incident taxonomy shared by Polizia Locale and civil protection. Labels live in the UI's resources.</summary>
public static class IncidentTypes
{
    public static readonly IncidentType RoadAccident = new("road-accident", LeadAgency.PoliziaLocale, Priority.P2);
    public static readonly IncidentType TrafficObstruction = new("traffic-obstruction", LeadAgency.PoliziaLocale, Priority.P3);
    public static readonly IncidentType PublicOrder = new("public-order", LeadAgency.PoliziaLocale, Priority.P2);
    public static readonly IncidentType Flooding = new("flooding", LeadAgency.ProtezioneCivile, Priority.P1);
    public static readonly IncidentType FallenTree = new("fallen-tree", LeadAgency.ProtezioneCivile, Priority.P2);
    public static readonly IncidentType FireLiaison = new("fire-liaison", LeadAgency.PoliziaLocale, Priority.P1);
    public static readonly IncidentType MissingPerson = new("missing-person", LeadAgency.PoliziaLocale, Priority.P1);
    public static readonly IncidentType EventCrowding = new("event-crowding", LeadAgency.PoliziaLocale, Priority.P2);
    public static readonly IncidentType InfrastructureFailure = new("infrastructure-failure", LeadAgency.ProtezioneCivile, Priority.P2);
    public static readonly IncidentType EnvironmentalHazard = new("environmental-hazard", LeadAgency.ProtezioneCivile, Priority.P2);
    public static readonly IncidentType Other = new("other", LeadAgency.PoliziaLocale, Priority.P4);

    public static IReadOnlyList<IncidentType> All { get; } =
    [
        RoadAccident, TrafficObstruction, PublicOrder, Flooding, FallenTree, FireLiaison,
        MissingPerson, EventCrowding, InfrastructureFailure, EnvironmentalHazard, Other,
    ];

    public static IncidentType? Find(string? code) => All.FirstOrDefault(t => t.Code == code);
}
