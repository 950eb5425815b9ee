using Bunit;
using Octocom.Dashboard.Studio.Components;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Studio;

public sealed class CodeDiffViewTests : BunitTestContext
{
    private const string Old = "def get_sidebar_data(context):\n    x = 1\n    return x\n";
    private const string New = "def get_sidebar_data(context):\n    y = 2\n    return x\n    # done\n";

    [Fact]
    public void Render_Inline_MarksRemovedAndAddedLines()
    {
        var cut = Render<CodeDiffView>(p => p.Add(d => d.OldText, Old).Add(d => d.NewText, New));

        var lines = cut.FindAll("[data-testid=diff-line]");
        Assert.Contains(lines, l => l.GetAttribute("data-change") == "deleted" && l.TextContent.Contains("x = 1"));
        Assert.Contains(lines, l => l.GetAttribute("data-change") == "inserted" && l.TextContent.Contains("y = 2"));
        Assert.Contains(lines, l => l.GetAttribute("data-change") == "inserted" && l.TextContent.Contains("# done"));
        Assert.Contains(lines, l => l.GetAttribute("data-change") == "unchanged" && l.TextContent.Contains("return x"));
        Assert.Equal("+2 −1 lines", cut.Find("[data-testid=diff-summary]").TextContent.Trim());
    }

    [Fact]
    public async Task Render_SideBySide_ShowsBothVersions()
    {
        var cut = Render<CodeDiffView>(p => p.Add(d => d.OldText, Old).Add(d => d.NewText, New).Add(d => d.OldTitle, "Version 1").Add(d => d.NewTitle, "Editor"));

        await cut.Find("input[data-testid=diff-side-by-side]").ChangeAsync(new() { Value = true });

        Assert.Equal(2, cut.FindAll(".octo-diff-pane").Count);
        Assert.Contains("Version 1", cut.Markup);
        Assert.Contains(cut.FindAll("[data-testid=diff-line]"), l => l.GetAttribute("data-change") is "deleted" or "modified" && l.TextContent.Contains("x = 1"));
    }

    [Fact]
    public void Render_SameCode_SaysIdentical()
    {
        var cut = Render<CodeDiffView>(p => p.Add(d => d.OldText, Old).Add(d => d.NewText, Old.Replace("\n", "\r\n")));
        Assert.NotNull(cut.Find("[data-testid=diff-identical]"));
    }
}
