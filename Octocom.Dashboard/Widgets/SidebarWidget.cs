namespace Octocom.Dashboard.Widgets;

/// <summary>
/// An active sidebar widget as the runner sees it: a snapshot of a <c>PythonFunction</c> with
/// <c>Kind = SidebarWidget</c> (the script studio owns creating, editing and ordering them).
/// </summary>
public sealed record SidebarWidget(int Id, string Name, int Version, string Code);

/// <summary>One widget's finished run on a conversation.</summary>
public sealed record SidebarWidgetRun(SidebarWidget Widget, WidgetRunOutcome Outcome);
