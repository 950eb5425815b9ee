using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>
/// Runs admin-written Python. The one way any feature executes a script; callers never see processes.
/// Never throws for a script's own failure: <see cref="ScriptResult.Status"/> says what happened.
/// </summary>
public interface IScriptEngine
{
    Task<ScriptResult> RunAsync(ScriptRequest request, CancellationToken ct = default);

    /// <summary>Whether scripts can run here, and if not, what to install.</summary>
    EngineStatus Status { get; }
}

public sealed record EngineStatus(bool Available, string Description);

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
    /// <summary>Name shown in tracebacks, e.g. "CRM.py".</summary>
    public string FileName { get; init; } = "script.py";

    public string EntryPoint => Kind.EntryPoint();
}

public sealed record ScriptLimits(
    TimeSpan Timeout,
    long MemoryBytes,
    int CpuSeconds,
    int MaxProcesses,
    int MaxOutputBytes,
    int MaxResultBytes);

public sealed record ScriptResult
{
    public required ScriptRunStatus Status { get; init; }
    public JsonNode? Result { get; init; }
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    public bool OutputTruncated { get; init; }
    public ScriptError? Error { get; init; }
    public TimeSpan Duration { get; init; }
    public ScriptEffects Effects { get; init; } = ScriptEffects.None;
}

/// <summary>What went wrong, with the line in the user's code (1-based) when there is one.</summary>
public sealed record ScriptError(string Type, string Message, string? Traceback = null, int? Line = null);

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
