using MudBlazor;

namespace Octocom.Dashboard.Components.Layout;

public static class DashboardTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#5b4bdb",
            Secondary = "#0ea5a4",
            AppbarBackground = "#3b2fa8",
            Background = "#f6f7fb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8b7ff0",
            Secondary = "#2dd4bf",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
    };
}
