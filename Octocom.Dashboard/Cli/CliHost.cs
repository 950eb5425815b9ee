using System.CommandLine;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Cli;

/// <summary>
/// Runs the dashboard's command-line verbs (<c>dotnet run --project Octocom.Dashboard -- seed --size 1000</c>) with the
/// same services and configuration as the web app, without starting the web server. Logs go to stderr so stdout stays
/// machine-readable.
/// </summary>
public static class CliHost
{
    /// <summary>A first argument that is not an option ("--urls …") selects a command.</summary>
    public static bool IsCliInvocation(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    public static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Warning);
    }

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var stdout = Console.Out;
        Console.SetOut(Console.Error); // first-start output (demo credentials, migrations) must not pollute command output
        try
        {
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        }
        finally
        {
            Console.SetOut(stdout);
        }

        var root = new RootCommand("Octocom Dashboard command line. Without a command, the web app starts.");
        foreach (var command in services.GetServices<ICliCommand>())
            root.Subcommands.Add(command.Build(services));
        root.TreatUnmatchedTokensAsErrors = false; // host configuration such as --Database:ConnectionString=… passes through
        return await root.Parse(args).InvokeAsync();
    }
}
