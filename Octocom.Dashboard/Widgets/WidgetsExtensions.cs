using FluentValidation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Octocom.Dashboard.Widgets;

public static class WidgetsExtensions
{
    /// <summary>Sidebar widgets: result format, validation and bounds (the runner and pages arrive with the engine).</summary>
    public static IHostApplicationBuilder AddWidgets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WidgetsOptions>().BindConfiguration(WidgetsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<IValidator<WidgetResult>, WidgetResultValidator>();
        builder.Services.AddSingleton<WidgetResultChecker>();
        return builder;
    }
}
