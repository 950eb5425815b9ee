namespace Octocom.Dashboard.Scripting.Functions;

/// <summary>The most recent run of a function, whatever triggered it.</summary>
public sealed record LastRunInfo(ScriptRunStatus Status, DateTime StartedAt, RunTrigger Trigger, int? FunctionVersion);

/// <summary>One row of the scripts list (no code).</summary>
public sealed record FunctionSummary(
    int Id,
    FunctionKind Kind,
    string Name,
    string Description,
    bool IsActive,
    int SortOrder,
    string? EventType,
    int ArgumentCount,
    int Version,
    DateTime UpdatedAt,
    string? UpdatedBy,
    LastRunInfo? LastRun);

/// <summary>One line of a function's run history (the editor's "last runs").</summary>
public sealed record FunctionRunSummary(
    long Id,
    ScriptRunStatus Status,
    RunTrigger Trigger,
    int? FunctionVersion,
    DateTime StartedAt,
    double DurationMs,
    string? TriggeredBy,
    string? ErrorType,
    int? ErrorLine);
