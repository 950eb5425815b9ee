using System.Text.RegularExpressions;
using Markdig;

namespace Octocom.Dashboard.Conversations;

/// <summary>The inbox's one-line preview of a message: its Markdown as plain text, whitespace collapsed, shortened.</summary>
public static partial class MessagePreview
{
    public const int MaxLength = 280;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    public static string From(string markdown)
    {
        var text = Whitespace().Replace(Markdown.ToPlainText(markdown, Pipeline), " ").Trim();
        if (text.Length == 0) text = markdown.Trim(); // e.g. a message that is only a thematic break
        return text.Length > MaxLength ? text[..MaxLength] + "…" : text;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
