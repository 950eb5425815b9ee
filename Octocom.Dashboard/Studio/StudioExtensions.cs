using FluentValidation;
using Octocom.Dashboard.Actions;
using Octocom.Dashboard.Data.Seeding;
using Octocom.Dashboard.Scripting.Functions;

namespace Octocom.Dashboard.Studio;

public static class StudioExtensions
{
    /// <summary>
    /// The script studio: function definitions (<see cref="FunctionService"/>, save validation with the engine's
    /// compile check), the /scripts pages, the test panel's services, and the conversation page's "Run action" menu
    /// (<see cref="ActionService"/>) with its demo action and condition.
    /// </summary>
    public static IHostApplicationBuilder AddStudio(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ScriptCodeChecker>();
        builder.Services.AddScoped<IValidator<FunctionDraft>, FunctionDraftValidator>();
        builder.Services.AddScoped<FunctionService>();
        builder.Services.AddScoped<StudioConversationSearch>();
        builder.Services.AddScoped<ActionService>();
        builder.Services.AddScoped<IDemoDataContributor, DemoActionsContributor>();
        return builder;
    }
}
