using Octocom.Dashboard.Data.Seeding;

namespace Octocom.Dashboard.Actions;

public static class ActionsExtensions
{
    /// <summary>The conversation page's "Run action" menu (<see cref="ActionService"/>) and its demo action and condition.</summary>
    public static IHostApplicationBuilder AddActions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ActionService>();
        builder.Services.AddScoped<IDemoDataContributor, DemoActionsContributor>();
        return builder;
    }
}
