using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Widgets;

/// <summary>What a card shows for one finished widget run: a checked result, or why there is none.</summary>
public sealed record WidgetRunOutcome
{
    /// <summary><see cref="ScriptRunStatus.Ok"/>, <see cref="ScriptRunStatus.Invalid"/> when the result breaks the format, or the engine's failure.</summary>
    public required ScriptRunStatus Status { get; init; }
    /// <summary>Set when the script returned (Ok or Invalid); null when it failed.</summary>
    public CheckedWidgetResult? Result { get; init; }
    public ScriptError? Error { get; init; }
    public TimeSpan Duration { get; init; }

    public WidgetCardState CardState => this switch
    {
        { Result.IsValid: false } => WidgetCardState.Invalid,
        { Status: ScriptRunStatus.Ok, Result: { } ok } => ok.Result.Items.Count == 0 ? WidgetCardState.Empty : WidgetCardState.Ok,
        _ => WidgetCardState.Error,
    };

    /// <summary>From a live engine run: a successful run's result is checked, and a result that breaks the format makes the run Invalid.</summary>
    public static WidgetRunOutcome From(ScriptResult run, WidgetResultChecker checker)
    {
        if (run.Status != ScriptRunStatus.Ok)
            return new WidgetRunOutcome { Status = run.Status, Error = run.Error, Duration = run.Duration };
        var result = checker.Check(run.Result);
        return new WidgetRunOutcome
        {
            Status = result.IsValid ? ScriptRunStatus.Ok : ScriptRunStatus.Invalid,
            Result = result,
            Duration = run.Duration,
        };
    }

    /// <summary>
    /// From a stored run (run log, studio history): the stored result is checked again. A stored <c>Invalid</c> run
    /// without an error type is a result that broke the format (what <see cref="From(ScriptResult, WidgetResultChecker)"/>
    /// produces); one with an error type is the engine rejecting the result, shown as an error.
    /// </summary>
    public static WidgetRunOutcome From(ScriptRun run, WidgetResultChecker checker)
    {
        var duration = TimeSpan.FromMilliseconds(run.DurationMs);
        var returned = run.Status == ScriptRunStatus.Ok || (run.Status == ScriptRunStatus.Invalid && run.ErrorType is null);
        if (!returned)
        {
            var error = run.ErrorType is null && run.ErrorMessage is null
                ? null
                : new ScriptError(run.ErrorType ?? "", run.ErrorMessage ?? "", run.Traceback, run.ErrorLine);
            return new WidgetRunOutcome { Status = run.Status, Error = error, Duration = duration };
        }
        var result = checker.Check(run.ResultJson);
        return new WidgetRunOutcome
        {
            Status = result.IsValid ? ScriptRunStatus.Ok : ScriptRunStatus.Invalid,
            Result = result,
            Duration = duration,
        };
    }
}

/// <summary>The five faces of a widget card.</summary>
public enum WidgetCardState
{
    /// <summary>The first run has not finished.</summary>
    Loading,
    /// <summary>A valid result with items.</summary>
    Ok,
    /// <summary>A valid result with <c>items: []</c>: "nothing to show".</summary>
    Empty,
    /// <summary>The script failed, timed out, was killed, or scripts cannot run here.</summary>
    Error,
    /// <summary>The script returned something that breaks the format: the error card.</summary>
    Invalid,
}
