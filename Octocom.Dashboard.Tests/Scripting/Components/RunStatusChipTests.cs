using Bunit;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Components;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Scripting.Components;

public sealed class RunStatusChipTests : BunitTestContext
{
    /// <summary>The one mapping, written out by hand: every page that shows a run (run log, studio, Automation panel) uses it.</summary>
    public static TheoryData<ScriptRunStatus, string> Colours => new()
    {
        { ScriptRunStatus.Ok, "success" },
        { ScriptRunStatus.Error, "error" },
        { ScriptRunStatus.Timeout, "error" },
        { ScriptRunStatus.Killed, "error" },
        { ScriptRunStatus.Invalid, "warning" },
        { ScriptRunStatus.Unavailable, "warning" },
        { ScriptRunStatus.Cancelled, "default" },
    };

    [Theory]
    [MemberData(nameof(Colours))]
    public void Render_Status_ShowsItsNameInItsColour(ScriptRunStatus status, string colour)
    {
        var chip = Render<RunStatusChip>(p => p.Add(x => x.Status, status)).Find("[data-testid=run-status]");

        Assert.Equal(status.ToString().ToLowerInvariant(), chip.TextContent.Trim());
        Assert.Equal(status.ToString().ToLowerInvariant(), chip.GetAttribute("data-status"));
        Assert.Contains($"mud-chip-color-{colour}", chip.ClassList);
    }

    [Fact]
    public void Colours_CoverEveryStatus() =>
        Assert.Equal(Enum.GetValues<ScriptRunStatus>().Order(), Colours.Select(row => (ScriptRunStatus)row[0]).Order());
}
