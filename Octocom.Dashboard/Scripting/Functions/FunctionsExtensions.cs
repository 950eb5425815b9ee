using FluentValidation;

namespace Octocom.Dashboard.Scripting.Functions;

public static class FunctionsExtensions
{
    /// <summary>
    /// Python function definitions: <see cref="FunctionService"/> (create, save as a new version, restore, order) and
    /// its save validation, whose compile check asks the engine (<see cref="ScriptCodeChecker"/>). The validator is
    /// scoped: it checks name uniqueness in the scope's organization.
    /// </summary>
    public static IHostApplicationBuilder AddFunctions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ScriptCodeChecker>();
        builder.Services.AddScoped<IValidator<FunctionDraft>, FunctionDraftValidator>();
        builder.Services.AddScoped<FunctionService>();
        return builder;
    }
}
