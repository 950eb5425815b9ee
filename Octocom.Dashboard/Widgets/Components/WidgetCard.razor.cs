using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace Octocom.Dashboard.Widgets.Components;

public partial class WidgetCard
{
    [Inject] private IOptions<WidgetsOptions> Options { get; set; } = default!;

    /// <summary>The widget's name (its definition), shown under the title the result gives.</summary>
    [Parameter, EditorRequired] public string Name { get; set; } = "";

    /// <summary>The finished run; null while the first run is in flight (the loading state).</summary>
    [Parameter] public WidgetRunOutcome? Outcome { get; set; }

    /// <summary>A run is in flight: a skeleton before the first outcome, a progress bar over a previous one.</summary>
    [Parameter] public bool Loading { get; set; }

    /// <summary>Re-run the widget. The refresh button is shown only when this is wired.</summary>
    [Parameter] public EventCallback OnRefresh { get; set; }

    /// <summary>The configured bounds — the same ones the checker warned about.</summary>
    private WidgetsOptions Bounds => Options.Value;

    private WidgetCardState State => Outcome?.CardState ?? WidgetCardState.Loading;

    private string StateName => State.ToString().ToLowerInvariant();

    private CheckedWidgetResult? Checked => Outcome?.Result;

    private IReadOnlyList<WidgetProblem> Errors => Checked?.Errors.ToList() ?? [];

    private IReadOnlyList<WidgetProblem> Warnings => Checked?.Warnings.ToList() ?? [];

    /// <summary>The result's own title when it has one (even on the error card), else the widget's name.</summary>
    private string Heading => string.IsNullOrWhiteSpace(Checked?.Result.Title) ? Name : Checked.Result.Title;
}
