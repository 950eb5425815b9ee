using Bunit;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Conversations.Inbox;
using Octocom.Dashboard.Conversations.Inbox.Components;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Conversations.Inbox.Components;

/// <summary>The inbox row states: unread, needs pickup, assigned, search snippet — and visitor text staying text.</summary>
public sealed class InboxTableTests : BunitTestContext
{
    private static InboxRow Row(string publicId, string subject = "Where is my parcel?", ConversationStatus status = ConversationStatus.Open,
        string? assigneeId = null, string? assigneeName = null, bool unread = false, string preview = "Any news?") =>
        new(Guid.NewGuid(), publicId, subject, "Acme shop", status, Channels.Web, "Jane Doe", "jane@example.com", 3, preview,
            DateTime.UtcNow, DateTime.UtcNow, null, assigneeId, assigneeName, unread);

    private IRenderedComponent<InboxTable> RenderRows(params InboxRow[] rows) =>
        Render<InboxTable>(p => p.Add(x => x.Rows, rows).Add(x => x.Selectable, true));

    private static AngleSharp.Dom.IElement RowOf(IRenderedComponent<InboxTable> cut, string publicId) =>
        cut.FindAll("tr").Single(tr => tr.TextContent.Contains("#" + publicId));

    [Fact]
    public void UnreadRow_IsBoldWithADot_ReadRowIsNot()
    {
        var cut = RenderRows(Row("UNR001", unread: true), Row("RED001"));

        var unread = RowOf(cut, "UNR001");
        Assert.Contains("octo-unread", unread.ClassList);
        Assert.False(unread.QuerySelector("[data-testid=unread-dot]")!.HasAttribute("hidden"));
        var read = RowOf(cut, "RED001");
        Assert.DoesNotContain("octo-unread", read.ClassList);
        Assert.True(read.QuerySelector("[data-testid=unread-dot]")!.HasAttribute("hidden"));
    }

    [Fact]
    public void HandedOffWithoutAnOwner_IsHighlightedAsNeedingPickup()
    {
        var cut = RenderRows(Row("HND001", status: ConversationStatus.HandedOff), Row("HND002", status: ConversationStatus.HandedOff, assigneeId: "u1", assigneeName: "Sam"));

        var waiting = RowOf(cut, "HND001");
        Assert.Contains("octo-pickup", waiting.ClassList);
        Assert.Equal("Needs pickup", waiting.QuerySelector("[data-testid=needs-pickup]")!.TextContent.Trim());
        var taken = RowOf(cut, "HND002");
        Assert.DoesNotContain("octo-pickup", taken.ClassList);
        Assert.Equal("Sam", taken.QuerySelector("[data-testid=row-assignee]")!.TextContent.Trim());
    }

    [Fact]
    public void UnassignedOpenRow_SaysUnassigned()
    {
        var cut = RenderRows(Row("OPN001"));
        Assert.Equal("Unassigned", RowOf(cut, "OPN001").QuerySelector("[data-testid=row-unassigned]")!.TextContent.Trim());
    }

    [Fact]
    public void SearchSnippet_HighlightsTheMatchAsText_VisitorMarkupStaysLiteral()
    {
        const string hostile = "<img src=x onerror=alert(1)> my <b>kayak</b> leaks";
        var row = Row("SNP001", subject: "<script>alert('s')</script>") with
        {
            Snippet = SnippetBuilder.Build("message", hostile, ["kayak"]),
        };
        var cut = RenderRows(row);

        var snippet = cut.Find("[data-testid=search-snippet]");
        Assert.Equal("kayak", Assert.Single(snippet.QuerySelectorAll("mark")).TextContent);
        Assert.Empty(snippet.QuerySelectorAll("img, b, script"));
        Assert.Contains("<img src=x onerror=alert(1)>", snippet.TextContent);
        Assert.Empty(cut.FindAll("script"));
        Assert.Equal("<script>alert('s')</script>", cut.Find("[data-testid=inbox-subject]").TextContent);
    }

    [Fact]
    public void SelectingRows_ReportsTheSelection()
    {
        IReadOnlySet<Guid>? selected = null;
        var rows = new[] { Row("SEL001"), Row("SEL002") };
        var cut = Render<InboxTable>(p => p.Add(x => x.Rows, rows).Add(x => x.Selectable, true)
            .Add(x => x.SelectedChanged, s => selected = s));

        cut.FindAll("input[data-testid=inbox-select], [data-testid=inbox-select] input")[1].Change(true);
        Assert.Equal([rows[1].Id], selected!.ToArray());
    }
}

public sealed class SnippetBuilderTests
{
    [Fact]
    public void Build_CutsAWindowAroundTheFirstMatch_IgnoringCaseAndDiacritics()
    {
        var text = new string('x', 300) + " the Crème brûlée arrived cold " + new string('y', 300);
        var snippet = SnippetBuilder.Build("message", text, ["creme", "BRULEE"])!;

        Assert.Equal(["Crème", "brûlée"], snippet.Segments.Where(s => s.IsMatch).Select(s => s.Text).ToArray());
        Assert.StartsWith("…", snippet.PlainText);
        Assert.EndsWith("…", snippet.PlainText);
        Assert.True(snippet.PlainText.Length <= SnippetBuilder.Window + 2);
    }

    [Fact]
    public void Build_WithoutAMatch_IsNull() => Assert.Null(SnippetBuilder.Build("message", "nothing here", ["kayak"]));
}
