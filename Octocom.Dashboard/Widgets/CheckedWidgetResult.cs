namespace Octocom.Dashboard.Widgets;

/// <summary>A parsed widget result with every problem found in it, errors first.</summary>
public sealed record CheckedWidgetResult(WidgetResult Result, IReadOnlyList<WidgetProblem> Problems)
{
    /// <summary>No errors (warnings allowed): the card shows the data.</summary>
    public bool IsValid => Problems.All(p => p.Severity != WidgetProblemSeverity.Error);

    public IEnumerable<WidgetProblem> Errors => Problems.Where(p => p.Severity == WidgetProblemSeverity.Error);

    public IEnumerable<WidgetProblem> Warnings => Problems.Where(p => p.Severity == WidgetProblemSeverity.Warning);
}
