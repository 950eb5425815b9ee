using Microsoft.Extensions.Options;
using Octocom.Dashboard.Cli;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Scripting;

public static class ScriptingExtensions
{
    /// <summary>
    /// The Python engine (a singleton pool of warm workers, stopped when the app shuts down), the context builder,
    /// the effect applier and the <see cref="ScriptRunner"/> every feature uses (scoped: it acts for the scope's
    /// organization), the helper endpoints' HTTP client and the <c>script</c> CLI verb.
    /// </summary>
    public static IHostApplicationBuilder AddScripting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScriptingOptions>().BindConfiguration(ScriptingOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ScriptingOptions>, ScriptingOptionsValidator>();
        builder.Services.AddHttpClient(HttpScriptHostCallbacks.HttpClientName);
        builder.Services.AddSingleton<IScriptHostCallbacks, HttpScriptHostCallbacks>();
        builder.Services.AddSingleton<PythonScriptEngine>();
        builder.Services.AddSingleton<IScriptEngine>(sp => sp.GetRequiredService<PythonScriptEngine>());
        builder.Services.AddHostedService<ScriptEngineWarmup>();
        builder.Services.AddSingleton<ScriptRunRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ScriptRunRetention>());
        builder.Services.AddScoped<ScriptContextBuilder>();
        builder.Services.AddScoped<ScriptEffectApplier>();
        builder.Services.AddScoped<ScriptRunner>();
        builder.Services.AddSingleton<ICliCommand, ScriptCliCommand>();
        return builder;
    }
}

/// <summary>Starts the worker pool in the background when the web app starts (never delays start-up).</summary>
public sealed class ScriptEngineWarmup(PythonScriptEngine engine, IOptions<ScriptingOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        if (options.Value.WarmOnStart) _ = engine.WarmUpAsync();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
