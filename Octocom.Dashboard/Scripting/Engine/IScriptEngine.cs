using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>
/// Runs admin-written Python. The one way any feature executes a script; callers never see processes.
/// Never throws for a script's own failure: <see cref="ScriptResult.Status"/> says what happened.
/// </summary>
/// <remarks>
/// The implementation (<see cref="PythonScriptEngine"/>) keeps a bounded pool of warm, sandboxed <c>python3 -I</c>
/// workers; a request waits for a free worker (cancellable), runs with the limits of its kind (or
/// <see cref="ScriptRequest.Limits"/>), and the reply always carries a status. Most callers should use
/// <see cref="Octocom.Dashboard.Scripting.ScriptRunner"/>, which also builds the context, loads secrets, applies
/// effects and records the run. docs/scripting.md has the protocol, sandbox and limits.
/// </remarks>
public interface IScriptEngine
{
    /// <summary>Runs <paramref name="request"/>. Cancelling <paramref name="ct"/> stops the run (status <see cref="ScriptRunStatus.Cancelled"/>).</summary>
    Task<ScriptResult> RunAsync(ScriptRequest request, CancellationToken ct = default);

    /// <summary>Whether scripts can run here, and if not, what to install; also what the sandbox enforces.</summary>
    EngineStatus Status { get; }
}

/// <param name="Available">False: every run returns <see cref="ScriptRunStatus.Unavailable"/> with <paramref name="Description"/>.</param>
/// <param name="Description">One line for admins: the interpreter and sandbox, or what to install.</param>
public sealed record EngineStatus(bool Available, string Description)
{
    public string? PythonPath { get; init; }
    public string? PythonVersion { get; init; }
    public SandboxKind Sandbox { get; init; } = SandboxKind.None;
    /// <summary>What is enforced on this machine (filesystem, namespaces, uid, rlimits …).</summary>
    public IReadOnlyList<string> Protections { get; init; } = [];
    /// <summary>What is not enforced here, or missing optional packages.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public int PoolSize { get; init; }
}

public sealed record ScriptRequest
{
    public required FunctionKind Kind { get; init; }
    public required string Code { get; init; }
    /// <summary>The context dict exactly as seed 000 specifies (built by the context builder).</summary>
    public required JsonObject Context { get; init; }
    /// <summary>The conversation's current metadata, read by get_conversation_metadata (not part of the context dict).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    /// <summary>Named secrets for get_secret(name); their values are masked in stdout, stderr, errors and results.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
    /// <summary>Null: the configured limits for <see cref="Kind"/>.</summary>
    public ScriptLimits? Limits { get; init; }
    /// <summary>Name shown in tracebacks, e.g. "CRM.py" (reduced to letters, digits, space, "-", "_" and ".").</summary>
    public string FileName { get; init; } = "script.py";

    /// <summary>
    /// Check only (the studio's save-time validation): compile the code and find the entry function in its syntax tree
    /// with the right parameters, without executing anything. Ok (result <c>{"entryPointLine": n}</c>) or Error with
    /// the line (and column for syntax errors). Runs sandboxed like any run; <see cref="Context"/> may be empty.
    /// </summary>
    public bool CompileOnly { get; init; }

    public string EntryPoint => Kind.EntryPoint();
}

/// <param name="MemoryBytes">Address space the script may add to the warm interpreter (RLIMIT_AS).</param>
/// <param name="CpuSeconds">CPU time across the run's threads (RLIMIT_CPU).</param>
/// <param name="MaxProcesses">Processes and threads the run may start (RLIMIT_NPROC; needs a non-root worker uid).</param>
/// <param name="MaxOutputBytes">Captured stdout and stderr, each; beyond it output is dropped and a marker appended.</param>
/// <param name="MaxResultBytes">The JSON of the returned value.</param>
public sealed record ScriptLimits(
    TimeSpan Timeout,
    long MemoryBytes,
    int CpuSeconds,
    int MaxProcesses,
    int MaxOutputBytes,
    int MaxResultBytes);

public sealed record ScriptResult
{
    /// <summary>A result that never reached a worker (engine unavailable, bad request …).</summary>
    public static ScriptResult Failed(ScriptRunStatus status, string type, string message) =>
        new() { Status = status, Error = new ScriptError(type, message) };

    public required ScriptRunStatus Status { get; init; }
    public JsonNode? Result { get; init; }
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    /// <summary>stdout or stderr exceeded <see cref="ScriptLimits.MaxOutputBytes"/>; the text ends with a marker saying so.</summary>
    public bool OutputTruncated { get; init; }
    public ScriptError? Error { get; init; }
    public TimeSpan Duration { get; init; }
    public ScriptEffects Effects { get; init; } = ScriptEffects.None;
}

/// <summary>What went wrong, with the line in the user's code (1-based) when there is one, and the column (1-based) for syntax errors.</summary>
public sealed record ScriptError(string Type, string Message, string? Traceback = null, int? Line = null, int? Column = null);

/// <summary>State changes a run requested through the helpers; the host validates and applies them (or not, in a dry run).</summary>
public sealed record ScriptEffects(
    IReadOnlyList<MetadataEffect> Metadata,
    IReadOnlyList<string> Tags,
    IReadOnlyList<EventEffect> Events)
{
    public static readonly ScriptEffects None = new([], [], []);
    public bool IsEmpty => Metadata.Count == 0 && Tags.Count == 0 && Events.Count == 0;
}

/// <summary>set_conversation_metadata (Value set) or delete_conversation_metadata (Value null), in call order.</summary>
public sealed record MetadataEffect(string Key, string? Value);

/// <summary>add_conversation_event: a timeline entry.</summary>
public sealed record EventEffect(string Type, string Description, JsonNode? Data = null);
