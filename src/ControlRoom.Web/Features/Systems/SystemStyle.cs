using ControlRoom.Domain.Systems;
using ControlRoom.Web.Localization;
using Microsoft.Extensions.Localization;

namespace ControlRoom.Web.Features.Systems;

/// <summary>How a system's status and areas look and read, in one place for the board, the graph, the detail and the banner.</summary>
public static class SystemStyle
{
    public const string Unknown = "unknown";

    public static string Wire(SystemStatus? status) => status?.ToWire() ?? Unknown;

    public static string Color(SystemStatus? status) => status switch
    {
        SystemStatus.Operational => "#2e7d32",
        SystemStatus.DegradedPerformance => "#c6a700",
        SystemStatus.PartialOutage => "#ef6c00",
        SystemStatus.MajorOutage => "#d32f2f",
        SystemStatus.UnderMaintenance => "#1565c0",
        _ => "#455a64",
    };

    public static string Label(this IStringLocalizer<Strings> loc, SystemStatus? status) => loc["SystemStatus_" + Wire(status)];

    public static string Area(this IStringLocalizer<Strings> loc, ImpactArea area) => area.Kind switch
    {
        "city" => loc[nameof(Strings.Area_city)],
        "municipio" => loc[nameof(Strings.Area_municipio), area.Ref!],
        _ => loc["AreaLayer_" + area.Ref] is { ResourceNotFound: false } known ? known : area.Ref!,
    };

    public static string WindowLabel(this IStringLocalizer<Strings> loc, TimeSpan window) =>
        loc[window.TotalHours <= 24 ? "Window_24h" : $"Window_{window.TotalDays:0}d"];
}
