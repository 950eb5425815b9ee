using System.CommandLine;

namespace Octocom.Dashboard.Cli;

/// <summary>A feature's command-line verb (e.g. "seed", "script"). Registered in DI; <see cref="CliHost"/> collects them.</summary>
public interface ICliCommand
{
    Command Build(IServiceProvider services);
}
