using System.Diagnostics;
using System.Text.Json;

namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>
/// What this machine allows, found once at start by actually running python3 under each candidate sandbox: the
/// interpreter, whether bubblewrap works, whether workers can drop to an unprivileged uid. The result is the
/// <see cref="WorkerLaunchPlan"/> every worker is started with, and the <see cref="EngineStatus"/> shown to admins.
/// </summary>
public sealed class EngineEnvironment
{
    public const string InstallHint =
        "Install it with: sudo apt-get install -y python3 python3-requests python3-holidays bubblewrap " +
        "(or set Scripting:PythonPath to a python3 interpreter).";

    private const string ProbeProgram =
        "import sys,os,json\n" +
        "r={'version':sys.version.split()[0],'uid':os.getuid(),'modules':{}}\n" +
        "for m in ('requests','holidays'):\n" +
        "  try:\n    __import__(m);r['modules'][m]=True\n  except Exception:\n    r['modules'][m]=False\n" +
        "r['pidns']=os.getpid()<10\n" +
        "print(json.dumps(r))\n";

    public required EngineStatus Status { get; init; }
    /// <summary>Null when scripts cannot run.</summary>
    public WorkerLaunchPlan? Plan { get; init; }

    public static EngineEnvironment Unavailable(string description) =>
        new() { Status = new EngineStatus(false, description) };

    public static async Task<EngineEnvironment> DetectAsync(ScriptingOptions options, UidAllocator uids, CancellationToken ct = default)
    {
        var python = PythonLocator.Locate(options.PythonPath);
        if (python is null)
            return Unavailable(string.IsNullOrWhiteSpace(options.PythonPath)
                ? $"Python scripts cannot run: python3 was not found. {InstallHint}"
                : $"Python scripts cannot run: Scripting:PythonPath '{options.PythonPath}' does not exist or is not executable. {InstallHint}");

        var isRoot = Environment.IsPrivilegedProcess;
        var setsid = Tool("setsid");
        var setpriv = isRoot ? Tool("setpriv") : null;
        var bwrap = Tool("bwrap");
        var relay = options.Limits.All.Max(l => l.MaxOutputBytes);
        var warnings = new List<string>();

        var bare = new WorkerLaunchPlan { PythonPath = python, Sandbox = SandboxKind.None, SetsidPath = setsid, RelayBytes = relay };
        var baseline = await ProbeAsync(bare, null, ct);
        if (baseline.Result is null)
            return Unavailable($"Python scripts cannot run: {python} failed to start ({baseline.Error}). {InstallHint}");

        var candidates = new List<WorkerLaunchPlan>();
        var mode = options.Sandbox.Mode;
        if (mode is SandboxMode.Auto or SandboxMode.Bubblewrap && bwrap is not null)
        {
            foreach (var nested in new[] { true, false })
                candidates.Add(new WorkerLaunchPlan
                {
                    PythonPath = python, Sandbox = SandboxKind.Bubblewrap, SetsidPath = setsid, SetprivPath = setpriv,
                    BwrapPath = bwrap, DisableNestedUserNamespaces = nested, TmpSizeMb = options.Sandbox.TmpSizeMb, RelayBytes = relay,
                });
        }
        if (mode is SandboxMode.Auto or SandboxMode.User && setpriv is not null)
            candidates.Add(new WorkerLaunchPlan { PythonPath = python, Sandbox = SandboxKind.SeparateUser, SetsidPath = setsid, SetprivPath = setpriv, RelayBytes = relay });

        WorkerLaunchPlan? chosen = null;
        ProbeResult? chosenProbe = null;
        foreach (var candidate in candidates)
        {
            var probe = await ProbeAsync(candidate, candidate.DropsUid ? uids.Next() : null, ct);
            if (probe.Result is not null) { chosen = candidate; chosenProbe = probe; break; }
            warnings.Add($"{Describe(candidate)} is not usable here: {probe.Error}");
        }

        if (chosen is null)
        {
            var why = mode switch
            {
                SandboxMode.Bubblewrap when bwrap is null => "Scripting:Sandbox:Mode is Bubblewrap but bwrap is not installed (apt-get install bubblewrap).",
                SandboxMode.Bubblewrap => "Scripting:Sandbox:Mode is Bubblewrap but bubblewrap does not work here (user namespaces disabled?).",
                SandboxMode.User when !isRoot => "Scripting:Sandbox:Mode is User, which needs the dashboard to run as root (to start workers as another uid).",
                SandboxMode.User => "Scripting:Sandbox:Mode is User but setpriv (util-linux) is missing or cannot change uid.",
                _ when options.Sandbox.Required => "Scripting:Sandbox:Required is true but no sandbox works on this machine (install bubblewrap).",
                _ => null,
            };
            if (why is not null) return Unavailable($"Python scripts cannot run: {why}");
            chosen = bare;
            chosenProbe = baseline;
        }

        var found = chosenProbe!.Value.Result!.Value;
        var modules = found.GetProperty("modules");
        if (!modules.GetProperty("requests").GetBoolean())
            warnings.Add("The Python package 'requests' is not installed: `import requests` fails (apt-get install python3-requests).");
        if (!modules.GetProperty("holidays").GetBoolean())
            warnings.Add("The Python package 'holidays' is not installed: is_holiday() raises (apt-get install python3-holidays).");
        var workerUid = found.GetProperty("uid").GetInt32();
        if (!chosen.DropsUid && isRoot)
            warnings.Add("Workers run as root: the process limit (RLIMIT_NPROC) is not enforced and rlimits could be raised by a script.");
        if (chosen.Sandbox == SandboxKind.None)
            warnings.Add("No sandbox: scripts can read every file and process the dashboard's user can (install bubblewrap).");
        else if (chosen.Sandbox == SandboxKind.SeparateUser)
            warnings.Add("No bubblewrap: the filesystem is protected by file permissions only; keep App_Data and appsettings unreadable to other users (chmod 700).");

        var protections = Protections(chosen).ToList();
        var version = found.GetProperty("version").GetString() ?? "?";
        var description = $"Python {version} ({python}), {options.EffectivePoolSize} warm workers, sandbox: {Describe(chosen)}" +
            (chosen.DropsUid ? ", unprivileged uid" : workerUid == 0 ? ", running as root" : "") + ".";
        return new EngineEnvironment
        {
            Plan = chosen,
            Status = new EngineStatus(true, description)
            {
                PythonPath = python,
                PythonVersion = version,
                Sandbox = chosen.Sandbox,
                Protections = protections,
                Warnings = warnings,
                PoolSize = options.EffectivePoolSize,
            },
        };
    }

    private static string Describe(WorkerLaunchPlan plan) => plan.Sandbox switch
    {
        SandboxKind.Bubblewrap => "bubblewrap",
        SandboxKind.SeparateUser => "separate user",
        _ => "none",
    };

    private static IEnumerable<string> Protections(WorkerLaunchPlan plan)
    {
        if (plan.Sandbox == SandboxKind.Bubblewrap)
        {
            yield return "Filesystem: only /usr (read-only), a private /tmp and the /etc files needed for DNS and TLS are visible; " +
                         "the app folder, its database, appsettings, Data Protection keys, /root and /home are not.";
            yield return "Namespaces: private pid, ipc and uts namespaces — the dashboard's process and /proc/<pid>/environ are invisible.";
            if (plan.DisableNestedUserNamespaces) yield return "Nested user namespaces are disabled inside the sandbox.";
        }
        if (plan.DropsUid)
            yield return "Each worker runs as its own unprivileged uid (setpriv, no capabilities, no_new_privs); the process limit is enforced.";
        yield return "Clean environment: only PATH, LANG, HOME=/tmp, TMPDIR, TZ=UTC and MALLOC_ARENA_MAX reach scripts.";
        yield return "Per-run rlimits: address space, CPU seconds, processes, file size (64 MB), no core dumps; wall-clock timeout.";
        yield return "Each run is a fresh fork of a warm interpreter; leftover processes are killed after every run; oom_score_adj 1000.";
        yield return "Network: allowed (scripts call customers' APIs).";
    }

    private static string? Tool(string name) =>
        new[] { "/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/", "/usr/local/bin/" }.Select(dir => dir + name).FirstOrDefault(File.Exists);

    private readonly record struct ProbeResult(JsonElement? Result, string? Error);

    private static async Task<ProbeResult> ProbeAsync(WorkerLaunchPlan plan, int? uid, CancellationToken ct)
    {
        try
        {
            using var process = Process.Start(plan.CreateProbeStartInfo(uid, ProbeProgram))!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return new ProbeResult(null, "timed out");
            }
            var output = (await stdout).Trim();
            if (process.ExitCode != 0 || output.Length == 0)
                return new ProbeResult(null, FirstLine(await stderr) ?? $"exit code {process.ExitCode}");
            using var doc = JsonDocument.Parse(output.Split('\n')[^1]);
            return new ProbeResult(doc.RootElement.Clone(), null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or JsonException or InvalidOperationException)
        {
            return new ProbeResult(null, e.Message);
        }
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}

/// <summary>Hands out worker uids from the configured range, starting at a random offset so two dashboards on one machine rarely share one.</summary>
public sealed class UidAllocator(int first, int count)
{
    private long _next = Random.Shared.Next(count);

    public int Next() => first + (int)(Interlocked.Increment(ref _next) % count);
}
