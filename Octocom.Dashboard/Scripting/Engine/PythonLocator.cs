namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>
/// Finds the real CPython 3 interpreter. Version-manager shims (pyenv, asdf) are skipped: they are shell scripts that
/// add ~90 ms to every process start and may select another interpreter than the one with python3-requests.
/// </summary>
public static class PythonLocator
{
    private static readonly string[] WellKnown = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"];

    /// <summary>The configured path when set (no fallback: an explicit choice that is wrong must be reported), else the first real python3.</summary>
    public static string? Locate(string? configuredPath)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
            return IsUsable(configuredPath) ? Resolve(configuredPath) : null;
        foreach (var candidate in WellKnown.Concat(FromPath()))
            if (IsUsable(candidate) && !IsShim(candidate))
                return Resolve(candidate);
        return null;
    }

    private static IEnumerable<string> FromPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(dir => !dir.Contains("shims", StringComparison.OrdinalIgnoreCase))
            .Select(dir => Path.Combine(dir, "python3"));

    private static bool IsUsable(string path) =>
        File.Exists(path) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>Shims are scripts ("#!…"), not ELF binaries.</summary>
    private static bool IsShim(string path)
    {
        try
        {
            using var file = File.OpenRead(Resolve(path));
            Span<byte> head = stackalloc byte[2];
            return file.Read(head) == 2 && head[0] == '#' && head[1] == '!';
        }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return true; }
    }

    /// <summary>Follows symlinks (/usr/bin/python3 → python3.11) so the sandbox binds the right files.</summary>
    private static string Resolve(string path)
    {
        try
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException) { return Path.GetFullPath(path); }
    }
}
