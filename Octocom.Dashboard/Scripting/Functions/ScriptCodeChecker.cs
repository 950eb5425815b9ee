using System.Text.Json.Nodes;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Scripting.Functions;

public enum CodeCheckOutcome
{
    /// <summary>The code compiles and defines the kind's entry function with one parameter.</summary>
    Passed,
    /// <summary>A syntax error, a missing or malformed entry function (<see cref="CodeCheckResult.Error"/> has the line).</summary>
    Failed,
    /// <summary>The engine cannot run here (python3 missing): the code could not be checked.</summary>
    NotChecked,
}

public sealed record CodeCheckResult(CodeCheckOutcome Outcome, ScriptError? Error = null, int? EntryPointLine = null);

/// <summary>
/// Asks the engine whether code compiles and defines its entry function — the save-time check. Nothing in the code
/// runs (the worker only compiles it and reads its syntax tree), and it happens in the same sandbox as a run.
/// </summary>
public sealed class ScriptCodeChecker(IScriptEngine engine)
{
    /// <summary>Compiling is quick; these only guard against pathological input (a huge or deeply nested file).</summary>
    public static readonly ScriptLimits Limits = new(TimeSpan.FromSeconds(10), 256L * 1024 * 1024, 10, 0, 4096, 4096);

    public async Task<CodeCheckResult> CheckAsync(FunctionKind kind, string code, string? name, CancellationToken ct = default)
    {
        var result = await engine.RunAsync(new ScriptRequest
        {
            Kind = kind,
            Code = code,
            Context = new JsonObject(),
            CompileOnly = true,
            Limits = Limits,
            FileName = string.IsNullOrWhiteSpace(name) ? "script" : name,
        }, ct);
        return result.Status switch
        {
            ScriptRunStatus.Ok => new CodeCheckResult(CodeCheckOutcome.Passed, EntryPointLine: (int?)result.Result?["entryPointLine"]),
            ScriptRunStatus.Unavailable => new CodeCheckResult(CodeCheckOutcome.NotChecked, result.Error),
            ScriptRunStatus.Cancelled => throw new OperationCanceledException(ct),
            _ => new CodeCheckResult(CodeCheckOutcome.Failed, result.Error
                ?? new ScriptError("CompileError", $"The code could not be checked ({result.Status}).")),
        };
    }
}
