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

    /// <summary>
    /// The arguments for the command parser: host configuration such as <c>--Database:ConnectionString=…</c> was already
    /// read by the host builder and is removed, so it can never be taken as the value of the option before it.
    /// </summary>
    public static string[] CommandArguments(string[] args) =>
        args.Where(a => !(a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':') && a.Contains('='))).ToArray();

    /// <summary>
    /// The arguments for the host's configuration: only self-contained <c>--Key=value</c> tokens. (The configuration
    /// parser would otherwise pair a flag such as <c>--apply</c> with the token after it and lose that setting.)
    /// </summary>
    public static string[] HostArguments(string[] args) =>
        args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=')).ToArray();

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
        return await root.Parse(CommandArguments(args)).InvokeAsync();
    }
}
