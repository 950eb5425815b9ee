using Microsoft.Extensions.Options;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Scripting;

/// <summary>The Python engine's settings (section <c>Scripting</c>); every one is mirrored in appsettings.sample.json.</summary>
public sealed class ScriptingOptions
{
    public const string SectionName = "Scripting";

    /// <summary>The interpreter. Empty: the first real python3 found (/usr/bin/python3, /usr/local/bin/python3, PATH without shims).</summary>
    public string PythonPath { get; set; } = "";

    /// <summary>
    /// Warm worker processes (the most runs executing at once). 0: twice the processor count, at least 8 — scripts
    /// mostly wait on customers' APIs, and an agent opening a conversation runs every active widget at once.
    /// </summary>
    public int PoolSize { get; set; }

    /// <summary>A worker is replaced after this many runs (and always after a timeout, a limit breach or a crash).</summary>
    public int MaxRunsPerWorker { get; set; } = 500;

    /// <summary>Start the workers when the app starts rather than on the first run.</summary>
    public bool WarmOnStart { get; set; } = true;

    /// <summary>How long a worker gets between SIGTERM and SIGKILL when it is stopped.</summary>
    public TimeSpan KillGracePeriod { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Run-log entries (<see cref="ScriptRun"/>, with their context and output) and finished event jobs older than this
    /// are deleted; zero or less keeps them forever. Every sidebar widget run is logged, so the log grows with traffic.
    /// </summary>
    public TimeSpan RunRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often expired run-log entries are deleted.</summary>
    public TimeSpan RunRetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    public SandboxOptions Sandbox { get; set; } = new();

    public ScriptLimitsByKind Limits { get; set; } = new();

    /// <summary>llm_classify_binary / llm_classify_category.</summary>
    public HelperEndpointOptions Llm { get; set; } = new();

    /// <summary>add_google_sheets_row.</summary>
    public HelperEndpointOptions Sheets { get; set; } = new();

    public int EffectivePoolSize => PoolSize > 0 ? PoolSize : Math.Max(8, Environment.ProcessorCount * 2);
}

public enum SandboxMode
{
    /// <summary>The strongest mode this machine allows: bubblewrap, else a separate uid, else none.</summary>
    Auto,
    /// <summary>bubblewrap namespaces (plus a separate uid when the app runs as root); the engine is unavailable without it.</summary>
    Bubblewrap,
    /// <summary>A separate unprivileged uid only (needs the app to run as root).</summary>
    User,
    /// <summary>No isolation beyond rlimits and a clean environment. Development only.</summary>
    None,
}

public sealed class SandboxOptions
{
    public SandboxMode Mode { get; set; } = SandboxMode.Auto;

    /// <summary>When the app runs as root, workers run as uids from this range (a fresh one per worker), never as root.</summary>
    public int FirstUid { get; set; } = 200_000;

    public int UidCount { get; set; } = 100_000;

    /// <summary>Size of the private, memory-backed /tmp each bubblewrap sandbox gets.</summary>
    public int TmpSizeMb { get; set; } = 64;

    /// <summary>Refuse to run scripts (EngineStatus unavailable) when no sandbox can be set up, instead of running unsandboxed.</summary>
    public bool Required { get; set; }
}

public sealed class KindLimitOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Memory the script may allocate on top of the warm interpreter (RLIMIT_AS).</summary>
    public int MemoryMb { get; set; } = 512;
    /// <summary>CPU seconds across the run's threads (RLIMIT_CPU; one second of grace lets a busy loop hit Timeout first).</summary>
    public int CpuSeconds { get; set; } = 30;
    /// <summary>Processes and threads a run may start (RLIMIT_NPROC; only enforced when workers do not run as root).</summary>
    public int MaxProcesses { get; set; } = 16;
    /// <summary>Captured stdout and stderr, each; the rest is dropped and a truncation marker added.</summary>
    public int MaxOutputBytes { get; set; } = 64 * 1024;
    /// <summary>The returned value, as JSON.</summary>
    public int MaxResultBytes { get; set; } = 1024 * 1024;

    public ScriptLimits ToLimits() => new(Timeout, MemoryMb * 1024L * 1024L, CpuSeconds, MaxProcesses, MaxOutputBytes, MaxResultBytes);
}

public sealed class ScriptLimitsByKind
{
    public KindLimitOptions SidebarWidget { get; set; } = new() { Timeout = TimeSpan.FromSeconds(10), CpuSeconds = 10 };
    public KindLimitOptions EventHandler { get; set; } = new() { Timeout = TimeSpan.FromSeconds(60), CpuSeconds = 60 };
    public KindLimitOptions CustomAction { get; set; } = new() { Timeout = TimeSpan.FromSeconds(30), CpuSeconds = 30 };
    public KindLimitOptions ConditionProvider { get; set; } = new() { Timeout = TimeSpan.FromSeconds(30), CpuSeconds = 30 };

    public KindLimitOptions For(FunctionKind kind) => kind switch
    {
        FunctionKind.SidebarWidget => SidebarWidget,
        FunctionKind.EventHandler => EventHandler,
        FunctionKind.CustomAction => CustomAction,
        FunctionKind.ConditionProvider => ConditionProvider,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public IEnumerable<KindLimitOptions> All => [SidebarWidget, EventHandler, CustomAction, ConditionProvider];
}

/// <summary>An HTTP endpoint a helper calls through the dashboard (request/response JSON in docs/scripting.md).</summary>
public sealed class HelperEndpointOptions
{
    /// <summary>Empty: not configured (the helper returns its fallback, or raises HelperError).</summary>
    public string Endpoint { get; set; } = "";
    /// <summary>Sent as "Authorization: Bearer …" when set.</summary>
    public string ApiKey { get; set; } = "";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);
}

public sealed class ScriptingOptionsValidator : IValidateOptions<ScriptingOptions>
{
    public ValidateOptionsResult Validate(string? name, ScriptingOptions o)
    {
        var errors = new List<string>();
        if (o.PoolSize is < 0 or > 256) errors.Add("Scripting:PoolSize must be between 0 (automatic) and 256.");
        if (o.MaxRunsPerWorker < 1) errors.Add("Scripting:MaxRunsPerWorker must be at least 1.");
        if (o.KillGracePeriod < TimeSpan.Zero) errors.Add("Scripting:KillGracePeriod must not be negative.");
        if (o.Sandbox.FirstUid < 1 || o.Sandbox.UidCount < 1 || (long)o.Sandbox.FirstUid + o.Sandbox.UidCount > int.MaxValue)
            errors.Add("Scripting:Sandbox:FirstUid and UidCount must describe a range of positive uids.");
        foreach (var kind in Enum.GetValues<FunctionKind>())
        {
            var l = o.Limits.For(kind);
            var at = $"Scripting:Limits:{kind}";
            if (l.Timeout <= TimeSpan.Zero) errors.Add($"{at}:Timeout must be positive.");
            if (l.MemoryMb < 16) errors.Add($"{at}:MemoryMb must be at least 16.");
            if (l.CpuSeconds < 1) errors.Add($"{at}:CpuSeconds must be at least 1.");
            if (l.MaxProcesses < 0) errors.Add($"{at}:MaxProcesses must not be negative.");
            if (l.MaxOutputBytes < 1024) errors.Add($"{at}:MaxOutputBytes must be at least 1024.");
            if (l.MaxResultBytes < 1024) errors.Add($"{at}:MaxResultBytes must be at least 1024.");
        }
        foreach (var (endpoint, at) in new[] { (o.Llm, "Llm"), (o.Sheets, "Sheets") })
        {
            if (endpoint.IsConfigured && !(Uri.TryCreate(endpoint.Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                errors.Add($"Scripting:{at}:Endpoint must be an absolute http(s) URL.");
            if (endpoint.Timeout <= TimeSpan.Zero) errors.Add($"Scripting:{at}:Timeout must be positive.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
