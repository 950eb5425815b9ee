namespace Octocom.Dashboard.Bench;

/// <summary>
/// One benchmark: <c>dotnet run -c Release --project Octocom.Dashboard.Bench -- NAME</c>. Implementations are found
/// by reflection; each prints its figures (p50/p99, throughput …) to stdout.
/// </summary>
public interface IBenchmark
{
    /// <summary>Command-line name, e.g. "engine".</summary>
    string Name { get; }
    string Description { get; }
    Task RunAsync(BenchContext context, CancellationToken ct);
}

/// <summary>Shared helpers: a scratch folder and argument access.</summary>
public sealed class BenchContext(string[] args)
{
    public string[] Args { get; } = args;
    public string WorkDir { get; } = Directory.CreateTempSubdirectory("octocom-bench-").FullName;

    public string? StringOption(string name)
    {
        var i = Array.IndexOf(Args, name);
        return i >= 0 && i + 1 < Args.Length ? Args[i + 1] : null;
    }

    public int IntOption(string name, int fallback)
    {
        var i = Array.IndexOf(Args, name);
        return i >= 0 && i + 1 < Args.Length && int.TryParse(Args[i + 1], out var v) ? v : fallback;
    }
}
