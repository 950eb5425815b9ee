using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Metadata;

namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>
/// <see cref="IScriptEngine"/> on real CPython: a <see cref="WorkerPool"/> of warm, sandboxed workers running
/// worker_host.py. Detects the interpreter and sandbox once (in the background from construction), maps every way a
/// run can end to a <see cref="ScriptResult"/>, masks secrets, and answers the helpers' calls to the dashboard.
/// A singleton: disposing it stops every worker.
/// </summary>
public sealed partial class PythonScriptEngine : IScriptEngine, IAsyncDisposable, IDisposable
{
    public const string HostScriptResource = "Octocom.Dashboard.Scripting.Engine.worker_host.py";

    private readonly ScriptingOptions _options;
    private readonly IScriptHostCallbacks _callbacks;
    private readonly ILogger<PythonScriptEngine> _logger;
    private readonly Task<(EngineEnvironment Environment, WorkerPool? Pool)> _ready;
    private bool _disposed;

    public PythonScriptEngine(IOptions<ScriptingOptions> options, IScriptHostCallbacks callbacks, ILogger<PythonScriptEngine> logger)
    {
        _options = options.Value;
        _callbacks = callbacks;
        _logger = logger;
        _ready = Task.Run(InitializeAsync);
    }

    /// <summary>Blocks until start-up detection has finished (a few hundred milliseconds after construction).</summary>
    public EngineStatus Status => _ready.GetAwaiter().GetResult().Environment.Status;

    /// <summary>Starts the workers now instead of on the first run (called at app start when WarmOnStart is set).</summary>
    public async Task WarmUpAsync()
    {
        var (_, pool) = await _ready;
        pool?.WarmUp();
    }

    /// <summary>Workers currently running (starting, idle or busy).</summary>
    public int AliveWorkers => Pool?.Alive ?? 0;

    /// <summary>Workers started so far, replacements included (diagnostics).</summary>
    public int WorkersStarted => Pool?.Started ?? 0;

    /// <summary>Process ids of the current workers' outermost process (diagnostics).</summary>
    public IReadOnlyList<int> WorkerProcessIds => Pool?.ProcessIds ?? [];

    private WorkerPool? Pool => _ready.IsCompletedSuccessfully ? _ready.Result.Pool : null;

    private async Task<(EngineEnvironment, WorkerPool?)> InitializeAsync()
    {
        var uids = new UidAllocator(_options.Sandbox.FirstUid, _options.Sandbox.UidCount);
        EngineEnvironment environment;
        try
        {
            environment = await EngineEnvironment.DetectAsync(_options, uids);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Detecting the Python environment failed");
            environment = EngineEnvironment.Unavailable($"Python scripts cannot run: detecting python3 failed ({e.Message}). {EngineEnvironment.InstallHint}");
        }
        if (environment.Plan is null)
        {
            _logger.LogWarning("{Status}", environment.Status.Description);
            return (environment, null);
        }
        _logger.LogInformation("Script engine: {Status}", environment.Status.Description);
        foreach (var warning in environment.Status.Warnings)
            _logger.LogWarning("Script engine: {Warning}", warning);
        return (environment, new WorkerPool(environment.Plan, LoadHostScript(), uids, _options, _logger));
    }

    public static string LoadHostScript()
    {
        using var stream = typeof(PythonScriptEngine).Assembly.GetManifestResourceStream(HostScriptResource)
            ?? throw new InvalidOperationException($"Embedded resource {HostScriptResource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async Task<ScriptResult> RunAsync(ScriptRequest request, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (environment, pool) = await _ready;
        if (pool is null)
            return ScriptResult.Failed(ScriptRunStatus.Unavailable, "EngineUnavailable", environment.Status.Description);

        var limits = request.Limits ?? _options.Limits.For(request.Kind).ToLimits();
        var masker = new SecretMasker(request.Secrets.Values);
        var frame = BuildRequestFrame(request, limits);

        PythonWorker worker;
        try
        {
            worker = await pool.RentAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ScriptResult.Failed(ScriptRunStatus.Cancelled, "Cancelled", "The run was cancelled before it started.");
        }
        catch (WorkerStartException e)
        {
            return ScriptResult.Failed(ScriptRunStatus.Unavailable, "WorkerStartFailed", $"No Python worker could be started: {e.Message}");
        }

        var stopwatch = Stopwatch.StartNew();
        WorkerOutcome outcome;
        try
        {
            outcome = await worker.RunAsync(frame, _callbacks.InvokeAsync, Backstop(limits.Timeout), ct);
        }
        catch (Exception e)
        {
            pool.Return(worker, recycle: true);
            _logger.LogError(e, "Python worker {Worker} failed", worker.Id);
            return ScriptResult.Failed(ScriptRunStatus.Killed, "WorkerFailed", "The worker failed: " + e.Message) with { Duration = stopwatch.Elapsed };
        }
        var elapsed = stopwatch.Elapsed;

        var result = ToResult(outcome, limits, worker) with { Duration = elapsed };
        // Recycled workers are stopped (SIGTERM, then SIGKILL after KillGracePeriod) in the background.
        var recycle = outcome.Kind != WorkerOutcomeKind.Result || result.Status is ScriptRunStatus.Timeout or ScriptRunStatus.Killed;
        pool.Return(worker, recycle);
        return Mask(result, masker);
    }

    /// <summary>The script stops itself at its timeout (SIGALRM, reported with its line); the host kills the worker only if it does not.</summary>
    private static TimeSpan Backstop(TimeSpan timeout) => timeout + TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, timeout.Ticks / 10));

    // ------------------------------------------------------------------------------------------------------ request

    private byte[] BuildRequestFrame(ScriptRequest request, ScriptLimits limits)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "run");
            w.WriteString("code", request.Code);
            w.WriteString("fileName", SafeFileName(request.FileName));
            w.WriteString("entryPoint", request.EntryPoint);
            w.WriteString("kindName", request.Kind.DisplayName());
            if (request.CompileOnly) w.WriteBoolean("compileOnly", true);
            w.WritePropertyName("context");
            request.Context.WriteTo(w);
            WriteMap(w, "metadata", request.Metadata);
            WriteMap(w, "secrets", request.Secrets);
            w.WriteStartObject("limits");
            w.WriteNumber("timeoutSeconds", limits.Timeout.TotalSeconds);
            w.WriteNumber("memoryBytes", limits.MemoryBytes);
            w.WriteNumber("cpuSeconds", limits.CpuSeconds);
            w.WriteNumber("maxProcesses", limits.MaxProcesses);
            w.WriteNumber("maxOutputBytes", limits.MaxOutputBytes);
            w.WriteNumber("maxResultBytes", limits.MaxResultBytes);
            w.WriteEndObject();
            w.WriteStartObject("metadataRules");
            w.WriteNumber("maxKeyLength", MetadataLimits.MaxKeyLength);
            w.WriteNumber("maxValueLength", MetadataLimits.MaxValueLength);
            w.WriteNumber("maxPairs", MetadataLimits.MaxPairsPerConversation);
            w.WriteString("reservedPrefix", MetadataLimits.ChatWidgetPrefix);
            w.WriteEndObject();
            w.WriteStartObject("services");
            w.WriteBoolean("llm", _callbacks.LlmConfigured);
            w.WriteBoolean("sheets", _callbacks.SheetsConfigured);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map) w.WriteString(key, value);
        w.WriteEndObject();
    }

    [GeneratedRegex(@"[^\w .\-]")]
    private static partial Regex UnsafeFileNameCharacters();

    /// <summary>A plain file name for tracebacks ("CRM sync.py"); never a path that could collide with a real module.</summary>
    public static string SafeFileName(string? name)
    {
        var clean = UnsafeFileNameCharacters().Replace(Path.GetFileName(name ?? "").Trim(), "_").Trim('.', ' ');
        if (clean.Length == 0) clean = "script";
        if (clean.Length > 80) clean = clean[..80];
        return clean.EndsWith(".py", StringComparison.OrdinalIgnoreCase) ? clean : clean + ".py";
    }

    // ------------------------------------------------------------------------------------------------------ outcome

    private static ScriptResult ToResult(WorkerOutcome outcome, ScriptLimits limits, PythonWorker worker) => outcome.Kind switch
    {
        WorkerOutcomeKind.Result => FromFrame(outcome.Frame!, limits),
        WorkerOutcomeKind.Died => FromDeath(outcome.Exit!, limits),
        WorkerOutcomeKind.Deadline => ScriptResult.Failed(ScriptRunStatus.Timeout, "Timeout",
            $"The script did not finish within {limits.Timeout.TotalSeconds:0.###} s and did not stop when asked; its worker was killed."),
        WorkerOutcomeKind.Cancelled => ScriptResult.Failed(ScriptRunStatus.Cancelled, "Cancelled", "The run was cancelled."),
        _ => ScriptResult.Failed(ScriptRunStatus.Killed, "WorkerLost",
            outcome.Reason ?? $"The worker process stopped unexpectedly. {worker.Diagnostics}".Trim()),
    };

    private static ScriptResult FromFrame(JsonObject frame, ScriptLimits limits)
    {
        var status = (string?)frame["status"] switch
        {
            "ok" => ScriptRunStatus.Ok,
            "invalid" => ScriptRunStatus.Invalid,
            "killed" => ScriptRunStatus.Killed,
            "timeout" => ScriptRunStatus.Timeout,
            _ => ScriptRunStatus.Error,
        };
        var resultNode = frame["result"];
        frame.Remove("result");
        var error = ParseError(frame["error"] as JsonObject);
        if (status == ScriptRunStatus.Ok && Depth(resultNode) > MaxResultDepth)
        {
            status = ScriptRunStatus.Invalid;
            resultNode = null;
            error = new ScriptError("ResultTooDeep", $"The result is nested more than {MaxResultDepth} levels deep.");
        }
        var (stdout, outTruncated) = Output("stdout", (string?)frame["stdout"] ?? "", frame["stdoutBytes"]?.GetValue<long>() ?? 0, limits);
        var (stderr, errTruncated) = Output("stderr", (string?)frame["stderr"] ?? "", frame["stderrBytes"]?.GetValue<long>() ?? 0, limits);
        return new ScriptResult
        {
            Status = status,
            Result = status == ScriptRunStatus.Ok ? resultNode : null,
            Stdout = stdout,
            Stderr = stderr,
            OutputTruncated = outTruncated || errTruncated,
            Error = error,
            Effects = ParseEffects(frame["effects"] as JsonObject),
        };
    }

    private static ScriptResult FromDeath(ExitNotice exit, ScriptLimits limits)
    {
        var (type, message) = exit switch
        {
            { Signal: 24 } => ("CpuLimit", CpuMessage(exit, limits)),
            { Signal: 9 } when exit.CpuSeconds >= limits.CpuSeconds => ("CpuLimit", CpuMessage(exit, limits)),
            { Signal: 9 } => ("Killed", "The script's process was killed (SIGKILL), most likely for running out of memory."),
            { Signal: 25 } => ("FileSizeLimit", "The script wrote a file larger than the 64 MB file size limit."),
            { Signal: { } signal } => ("Crashed", $"The script's process crashed ({SignalName(signal)})."),
            { ExitCode: { } code } => ("ProcessExit",
                $"The script's process exited with code {code} before returning a result (os._exit or a crash in a C extension)."),
            _ => ("Crashed", "The script's process ended without a result."),
        };
        var (stdout, outTruncated) = Output("stdout", WorkerProtocol.DecodeOutput(Cap(exit.Stdout, limits)), exit.StdoutBytes, limits);
        var (stderr, errTruncated) = Output("stderr", WorkerProtocol.DecodeOutput(Cap(exit.Stderr, limits)), exit.StderrBytes, limits);
        return new ScriptResult
        {
            Status = ScriptRunStatus.Killed,
            Error = new ScriptError(type, message),
            Stdout = stdout,
            Stderr = stderr,
            OutputTruncated = outTruncated || errTruncated,
        };
    }

    private static string CpuMessage(ExitNotice exit, ScriptLimits limits) =>
        $"CPU time limit exceeded: the run used {exit.CpuSeconds ?? limits.CpuSeconds:0.#} s of CPU; the limit is {limits.CpuSeconds} s.";

    private static string SignalName(int signal) => signal switch
    {
        4 => "SIGILL", 6 => "SIGABRT", 7 => "SIGBUS", 8 => "SIGFPE", 11 => "SIGSEGV", 15 => "SIGTERM",
        _ => $"signal {signal}",
    };

    private static ReadOnlySpan<byte> Cap(byte[] bytes, ScriptLimits limits) => bytes.AsSpan(0, Math.Min(bytes.Length, limits.MaxOutputBytes));

    private static (string Text, bool Truncated) Output(string stream, string text, long totalBytes, ScriptLimits limits)
    {
        if (totalBytes <= limits.MaxOutputBytes) return (text, false);
        var marker = $"\n… [{stream} truncated: the script wrote {totalBytes:N0} bytes; the first {limits.MaxOutputBytes:N0} are shown]";
        return (text + marker, true);
    }

    private const int MaxResultDepth = 60;

    private static int Depth(JsonNode? node) => node switch
    {
        JsonObject obj => 1 + (obj.Count == 0 ? 0 : obj.Max(p => Depth(p.Value))),
        JsonArray array => 1 + (array.Count == 0 ? 0 : array.Max(Depth)),
        _ => 0,
    };

    private static ScriptError? ParseError(JsonObject? error) => error is null
        ? null
        : new ScriptError(
            (string?)error["type"] ?? "Error",
            (string?)error["message"] ?? "",
            (string?)error["traceback"] is { Length: > 0 } tb ? tb : null,
            error["line"]?.GetValue<int>(),
            error["column"]?.GetValue<int>());

    private static ScriptEffects ParseEffects(JsonObject? effects)
    {
        if (effects is null) return ScriptEffects.None;
        var metadata = (effects["metadata"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(m => new MetadataEffect((string?)m["key"] ?? "", (string?)m["value"]))
            .ToList();
        var tags = (effects["tags"] as JsonArray ?? []).Select(t => (string?)t).OfType<string>().ToList();
        var events = (effects["events"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(e => new EventEffect((string?)e["type"] ?? "script_event", (string?)e["description"] ?? "", e["data"]?.DeepClone()))
            .ToList();
        return metadata.Count + tags.Count + events.Count == 0 ? ScriptEffects.None : new ScriptEffects(metadata, tags, events);
    }

    private static ScriptResult Mask(ScriptResult result, SecretMasker masker)
    {
        if (masker.IsEmpty) return result;
        return result with
        {
            Result = masker.Apply(result.Result),
            Stdout = masker.Apply(result.Stdout),
            Stderr = masker.Apply(result.Stderr),
            Error = result.Error is { } e
                ? e with { Message = masker.Apply(e.Message), Traceback = masker.ApplyOrNull(e.Traceback) }
                : null,
            Effects = result.Effects.IsEmpty
                ? result.Effects
                : new ScriptEffects(
                    result.Effects.Metadata.Select(m => new MetadataEffect(masker.Apply(m.Key), masker.ApplyOrNull(m.Value))).ToList(),
                    result.Effects.Tags.Select(masker.Apply).ToList(),
                    result.Effects.Events.Select(ev => new EventEffect(masker.Apply(ev.Type), masker.Apply(ev.Description), masker.Apply(ev.Data))).ToList()),
        };
    }

    // ------------------------------------------------------------------------------------------------------ lifetime

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            var (_, pool) = await _ready;
            if (pool is not null) await pool.DisposeAsync();
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Stopping the Python workers failed");
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
