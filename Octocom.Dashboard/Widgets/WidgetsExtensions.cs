using FluentValidation;
using Octocom.Dashboard.Data.Seeding;

namespace Octocom.Dashboard.Widgets;

public static class WidgetsExtensions
{
    /// <summary>
    /// Sidebar widgets: result format, validation and bounds; the runner (parallel runs on conversation open, outcome
    /// cache), per-widget health for admins, and the demo widgets.
    /// </summary>
    public static IHostApplicationBuilder AddWidgets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WidgetsOptions>().BindConfiguration(WidgetsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidator<WidgetResult>, WidgetResultValidator>();
        builder.Services.AddSingleton<WidgetResultChecker>();
        builder.Services.AddSingleton<Scripting.IScriptResultCheck, WidgetFormatCheck>();
        builder.Services.AddHybridCache();
        builder.Services.AddSingleton<WidgetOutcomeCache>();
        builder.Services.AddScoped<SidebarWidgetRunner>();
        builder.Services.AddScoped<WidgetHealthService>();
        builder.Services.AddScoped<IDemoDataContributor, DemoWidgetsContributor>();
        return builder;
    }
}
