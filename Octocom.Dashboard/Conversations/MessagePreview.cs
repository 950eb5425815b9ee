using System.Buffers;
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

    // Text without these characters (and not starting like a list item or heading) reads the same as Markdown and as
    // plain text; most chat messages are such text, and skipping the parse keeps the chat API's send path lean.
    private static readonly SearchValues<char> MarkdownCharacters = SearchValues.Create("*_[]`#>~|<&\\!\n\r\t");

    public static string From(string markdown)
    {
        var plain = IsPlainText(markdown) ? markdown : Markdown.ToPlainText(markdown, Pipeline);
        var text = Whitespace().Replace(plain, " ").Trim();
        if (text.Length == 0) text = markdown.Trim(); // e.g. a message that is only a thematic break
        return text.Length > MaxLength ? text[..MaxLength] + "…" : text;
    }

    private static bool IsPlainText(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        return trimmed.IndexOfAny(MarkdownCharacters) < 0
               && (trimmed.IsEmpty || !(char.IsAsciiDigit(trimmed[0]) || trimmed[0] is '-' or '+' or '='));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
