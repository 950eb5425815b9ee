using FluentValidation;
using Octocom.Dashboard.Analytics.Api;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Analytics.SavedViews;

namespace Octocom.Dashboard.Analytics;

public static class AnalyticsExtensions
{
    /// <summary>Metadata filters (and their validator), segments, saved views and exports for managers.</summary>
    public static IHostApplicationBuilder AddAnalytics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AnalyticsOptions>().BindConfiguration(AnalyticsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidator<AnalyticsQuery>, AnalyticsQueryValidator>();
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<AnalyticsService>();
        builder.Services.AddScoped<SavedViewService>();
        return builder;
    }

    /// <summary><c>/api/analytics/*</c>: the same filters as the page, as JSON and streamed CSV.</summary>
    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app) => AnalyticsEndpoints.Map(app);
}
