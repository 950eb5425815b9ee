using System.Diagnostics;
using System.Text.Json;

namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>The isolation a worker gets; detected at start (see <see cref="EngineEnvironment"/>).</summary>
public enum SandboxKind
{
    /// <summary>bubblewrap: private mount, pid, ipc and uts namespaces; only /usr and a few /etc files are visible.</summary>
    Bubblewrap,
    /// <summary>A separate unprivileged uid per worker (setpriv), no namespaces.</summary>
    SeparateUser,
    /// <summary>Same user as the dashboard; only rlimits and a clean environment.</summary>
    None,
}

/// <summary>How to start one worker process: the wrapper chain (setsid → setpriv → bwrap → python3 -I) and its arguments.</summary>
public sealed class WorkerLaunchPlan
{
    /// <summary>Read-only files from /etc that scripts need for DNS and TLS (requests); nothing else of /etc is visible.</summary>
    private static readonly string[] EtcFiles =
    [
        "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf", "/etc/services",
        "/etc/protocols", "/etc/ssl", "/etc/ca-certificates", "/etc/pki", "/etc/crypto-policies", "/etc/mime.types",
    ];

    /// <summary>Python modules each worker imports once, before forking runs (so runs do not pay for them).</summary>
    public static readonly string[] Preload = ["json", "requests", "holidays"];

    // Reads the host source from argv (compiled with a marker filename so its frames can be hidden from tracebacks).
    private const string Bootstrap =
        "import sys;s=sys.argv.pop(1);exec(compile(s,'<octocom-host>','exec'),{'__name__':'__octocom_host__'})";

    public required string PythonPath { get; init; }
    public required SandboxKind Sandbox { get; init; }
    public string? SetsidPath { get; init; }
    /// <summary>Set when workers drop from root to a per-worker uid.</summary>
    public string? SetprivPath { get; init; }
    public string? BwrapPath { get; init; }
    public bool DisableNestedUserNamespaces { get; init; }
    public int TmpSizeMb { get; init; } = 64;
    public int RelayBytes { get; init; } = 1024 * 1024;

    public bool DropsUid => SetprivPath is not null;

    public ProcessStartInfo CreateStartInfo(int? uid, string hostSource) =>
        Create(uid, ["-I", "-c", Bootstrap, hostSource, ConfigJson(uid)]);

    /// <summary>Runs a short program under exactly the same wrappers (used to probe what the machine allows).</summary>
    public ProcessStartInfo CreateProbeStartInfo(int? uid, string program) => Create(uid, ["-I", "-c", program]);

    private ProcessStartInfo Create(int? uid, IEnumerable<string> pythonArgs)
    {
        var chain = new List<string>();
        if (SetsidPath is not null) chain.Add(SetsidPath);
        if (SetprivPath is not null)
        {
            var id = uid ?? throw new ArgumentNullException(nameof(uid), "A uid is needed to drop privileges.");
            chain.AddRange([SetprivPath, $"--reuid={id}", $"--regid={id}", "--clear-groups", "--no-new-privs"]);
        }
        if (Sandbox == SandboxKind.Bubblewrap) chain.AddRange(BubblewrapArguments());
        chain.Add(PythonPath);
        chain.AddRange(pythonArgs);

        var psi = new ProcessStartInfo(chain[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var arg in chain.Skip(1)) psi.ArgumentList.Add(arg);
        // Nothing of the dashboard's environment (connection strings, keys, tokens) reaches a script.
        psi.Environment.Clear();
        foreach (var (key, value) in CleanEnvironment) psi.Environment[key] = value;
        return psi;
    }

    public static readonly IReadOnlyDictionary<string, string> CleanEnvironment = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["LANG"] = "C.UTF-8",
        ["HOME"] = "/tmp",
        ["TMPDIR"] = "/tmp",
        ["TZ"] = "UTC",
        // Each glibc malloc arena reserves 64 MB of address space, which would eat the RLIMIT_AS budget of threaded scripts.
        ["MALLOC_ARENA_MAX"] = "2",
    };

    private IEnumerable<string> BubblewrapArguments()
    {
        var args = new List<string> { BwrapPath!, "--unshare-all", "--share-net", "--die-with-parent" };
        if (DisableNestedUserNamespaces) args.AddRange(["--unshare-user", "--disable-userns"]);
        args.AddRange(["--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin"]);
        var prefix = PythonPrefixOutsideUsr();
        if (prefix is not null) args.AddRange(["--ro-bind", prefix, prefix]);
        args.AddRange(["--proc", "/proc", "--dev", "/dev",
            "--size", (TmpSizeMb * 1024L * 1024L).ToString(), "--tmpfs", "/tmp"]);
        foreach (var path in EtcFiles) args.AddRange(["--ro-bind-try", path, path]);
        args.AddRange(["--chdir", "/tmp"]);
        return args;
    }

    /// <summary>An interpreter installed outside /usr (e.g. /opt/python3.12/bin/python3) needs its prefix bound too.</summary>
    private string? PythonPrefixOutsideUsr()
    {
        if (PythonPath.StartsWith("/usr/", StringComparison.Ordinal)) return null;
        var bin = Path.GetDirectoryName(PythonPath);
        return bin is null ? null : Path.GetDirectoryName(bin) ?? bin;
    }

    /// <summary>The worker checks these claims itself before it relies on them (see _verify_confinement in worker_host.py).</summary>
    private string ConfigJson(int? uid) => JsonSerializer.Serialize(new
    {
        pidNamespace = Sandbox == SandboxKind.Bubblewrap,
        uid = DropsUid ? uid : null,
        preload = Preload,
        relayBytes = RelayBytes,
    });
}
