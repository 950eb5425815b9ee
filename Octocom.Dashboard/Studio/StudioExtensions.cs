using Octocom.Dashboard.Scripting.Functions;

namespace Octocom.Dashboard.Studio;

public static class StudioExtensions
{
    /// <summary>
    /// The script studio: the /scripts pages (editor, templates, completions) and the test panel's conversation search.
    /// The functions it edits are <see cref="FunctionService"/>'s (registered by <c>AddFunctions</c>).
    /// </summary>
    public static IHostApplicationBuilder AddStudio(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<StudioConversationSearch>();
        return builder;
    }
}
