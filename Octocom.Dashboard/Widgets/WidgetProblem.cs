namespace Octocom.Dashboard.Widgets;

public enum WidgetProblemSeverity
{
    /// <summary>The result does not follow the format: the card shows the problem list instead of the data.</summary>
    Error,
    /// <summary>The data is shown, with a note: a bound was exceeded, a link was not safe, a property is unknown.</summary>
    Warning,
}

/// <summary>One thing wrong with a widget result, e.g. <c>items[2].badge.color: 'purple' is not one of …</c>.</summary>
public sealed record WidgetProblem(string Path, string Message, WidgetProblemSeverity Severity)
{
    public override string ToString() => $"{Path}: {Message}";
}
