using Octocom.Dashboard.Conversations;

namespace Octocom.Dashboard.Tests.Conversations;

public sealed class MessagePreviewTests
{
    [Theory]
    [InlineData("Invoices are under *Settings → Billing*.", "Invoices are under Settings → Billing.")]
    [InlineData("**Done** — see [the guide](https://example.com/guide)", "Done — see the guide")]
    [InlineData("Line one\n\n- item a\n- item b", "Line one item a item b")]
    [InlineData("`code` and ~~old~~ text", "code and old text")]
    [InlineData("<script>alert(1)</script> hi", "<script>alert(1)</script> hi")] // shown as text, never markup
    [InlineData("Where's order 12-345? It's 100% late (again).", "Where's order 12-345? It's 100% late (again).")]
    [InlineData("  Plain   text,  spaced out ", "Plain text, spaced out")]
    [InlineData("1. first step", "first step")]
    [InlineData("- only item", "only item")]
    [InlineData("Tom &amp; Jerry", "Tom & Jerry")]
    public void Preview_IsThePlainText(string markdown, string expected) =>
        Assert.Equal(expected, MessagePreview.From(markdown));

    [Fact]
    public void Preview_IsShortenedWithAnEllipsis()
    {
        var preview = MessagePreview.From(new string('a', 1_000));
        Assert.Equal(MessagePreview.MaxLength + 1, preview.Length);
        Assert.EndsWith("…", preview);
    }
}
