using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;
using ControlRoom.Web.Localization;
using Microsoft.Extensions.Localization;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// Names operators read for the domain's codes. Keys are built from the code ("IncidentType_flooding"),
/// so a test checks every code has a label in both languages.
/// </summary>
public static class IncidentLabels
{
    public static string Type(this IStringLocalizer<Strings> loc, string code) => loc["IncidentType_" + code];

    public static string Status(this IStringLocalizer<Strings> loc, IncidentStatus status) => loc["IncidentStatus_" + status];

    public static string Kind(this IStringLocalizer<Strings> loc, UnitKind kind) => loc["UnitKind_" + kind];

    public static string Status(this IStringLocalizer<Strings> loc, UnitStatus status) => loc["UnitStatus_" + status];

    public static string Event(this IStringLocalizer<Strings> loc, IncidentEvent e) => loc["Event_" + e.GetType().Name];

    /// <summary>A refusal in the operator's language by its code; the English message when the code has no translation.</summary>
    public static string Refusal(this IStringLocalizer<Strings> loc, Refusal refusal) =>
        loc["Refusal_" + refusal.Code] is { ResourceNotFound: false } text ? text.Value : refusal.Message;

    public static IEnumerable<string> AllKeys() =>
        IncidentTypes.All.Select(t => "IncidentType_" + t.Code)
            .Concat(Enum.GetNames<IncidentStatus>().Select(s => "IncidentStatus_" + s))
            .Concat(Enum.GetNames<IncidentSource>().Select(k => "IncidentSource_" + k))
            .Concat(Enum.GetNames<UnitKind>().Select(k => "UnitKind_" + k))
            .Concat(Enum.GetNames<UnitStatus>().Select(s => "UnitStatus_" + s))
            .Concat(Enum.GetNames<Domain.Alerts.AlertDisposition>().Select(d => "AlertDisposition_" + d))
            .Concat(Enum.GetNames<IncidentBoard.BoardOrder>().Select(o => "BoardOrder_" + o))
            .Concat(Enum.GetNames<Domain.Audit.AuditBreak>().Select(b => "AuditBreak_" + b))
            .Concat(typeof(IncidentEvent).Assembly.GetTypes()
                .Where(t => t.IsSubclassOf(typeof(IncidentEvent)) && !t.IsAbstract).Select(t => "Event_" + t.Name));

    /// <summary>The incident type an alert most likely becomes, from the sensor that raised it.</summary>
    public static IncidentType ForSensorKind(string? kind) => kind switch
    {
        "river-level" => IncidentTypes.Flooding,
        "crowd" => IncidentTypes.EventCrowding,
        "traffic" => IncidentTypes.TrafficObstruction,
        "air-quality" => IncidentTypes.EnvironmentalHazard,
        "alarm" or "camera" => IncidentTypes.PublicOrder,
        _ => IncidentTypes.Other,
    };

    public static string PriorityColor(Priority priority) => priority switch
    {
        Priority.P1 => "#e53935",
        Priority.P2 => "#fb8c00",
        Priority.P3 => "#fdd835",
        _ => "#64b5f6",
    };
}
