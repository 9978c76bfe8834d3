using MudBlazor;

namespace ControlRoom.Web.Components.Layout;

/// <summary>A dark theme for long shifts and wall screens: low glare, high contrast for severities.</summary>
public static class ControlRoomTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteDark = new PaletteDark
        {
            Primary = "#4fc3f7",
            Secondary = "#ffb74d",
            Background = "#0b1220",
            Surface = "#111a2c",
            AppbarBackground = "#0e1626",
            AppbarText = "#e3e9f3",
            DrawerBackground = "#0e1626",
            TextPrimary = "#e3e9f3",
            TextSecondary = "#9aa7bd",
            LinesDefault = "#22304a",
            Divider = "#22304a",
            Success = "#66bb6a",
            Warning = "#fb8c00",
            Error = "#e53935",
            Info = "#64b5f6",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Inter", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
