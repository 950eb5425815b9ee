using Bunit;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;
using Octocom.Dashboard.Widgets;
using Octocom.Dashboard.Widgets.Components;

namespace Octocom.Dashboard.Tests.Widgets.Components;

public sealed class WidgetHealthChipTests : BunitTestContext
{
    private static WidgetHealth Health(ScriptRunStatus? last, int runs = 0, int failures = 0, string? error = null) =>
        new(7, "CRM", true, 2, last, last is null ? null : new DateTime(2026, 11, 23, 9, 30, 0, DateTimeKind.Utc), last is null ? null : 99,
            error, runs, failures);

    private IRenderedComponent<WidgetHealthChip> RenderChip(WidgetHealth health, string? href = null) =>
        Render<WidgetHealthChip>(p => p.Add(c => c.Health, health).Add(c => c.RunsHref, href));

    [Fact]
    public void Render_NeverRun_SaysSo()
    {
        var chip = RenderChip(Health(null));

        Assert.Equal("Not run yet", chip.Find("[data-testid=widget-health]").TextContent.Trim());
        Assert.Equal("never", chip.Find("[data-testid=widget-health]").GetAttribute("data-status"));
    }

    [Fact]
    public void Render_LastRunFailed_IsFailingWithTheFailureCount()
    {
        var chip = RenderChip(Health(ScriptRunStatus.Timeout, runs: 12, failures: 3, error: "Timeout: did not finish within 10 s"));

        var element = chip.Find("[data-testid=widget-health]");
        Assert.Equal("Failing · 3 failures in 24 h", element.TextContent.Trim());
        Assert.Contains("mud-chip-color-error", element.ClassName);
        Assert.Equal("3", element.GetAttribute("data-failures"));
    }

    [Fact]
    public void Render_LastRunOkAfterEarlierFailures_IsAWarning()
    {
        var element = RenderChip(Health(ScriptRunStatus.Ok, runs: 12, failures: 1)).Find("[data-testid=widget-health]");

        Assert.Equal("OK · 1 failure in 24 h", element.TextContent.Trim());
        Assert.Contains("mud-chip-color-warning", element.ClassName);
    }

    [Fact]
    public void Render_Healthy_IsOkAndLinksToItsRuns()
    {
        var element = RenderChip(Health(ScriptRunStatus.Ok, runs: 5), href: "/runs?function=7").Find("[data-testid=widget-health]");

        Assert.Equal("OK", element.TextContent.Trim());
        Assert.Contains("mud-chip-color-success", element.ClassName);
        Assert.Equal("/runs?function=7", element.GetAttribute("href"));
    }

    [Fact]
    public void Render_CancelledLastRun_IsNotAFailure()
    {
        var element = RenderChip(Health(ScriptRunStatus.Cancelled, runs: 1)).Find("[data-testid=widget-health]");

        Assert.Equal("OK", element.TextContent.Trim());
    }
}
