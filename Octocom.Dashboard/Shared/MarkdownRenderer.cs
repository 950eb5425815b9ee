using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Octocom.Dashboard.Shared;

/// <summary>
/// Renders message Markdown to HTML that is safe to inject: raw HTML is disabled (shown as text), and links or
/// images whose scheme is not http/https/mailto are replaced by their plain text.
/// </summary>
public sealed class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseTaskLists()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    public string ToHtml(string? markdown)
    {
        if (string.IsNullOrEmpty(markdown)) return "";
        var document = Markdown.Parse(markdown, _pipeline);
        NeutraliseUnsafeLinks(document);

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        _pipeline.Setup(renderer);
        renderer.Render(document);
        return writer.ToString();
    }

    private static void NeutraliseUnsafeLinks(MarkdownDocument document)
    {
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (SafeLinks.IsSafe(link.Url))
            {
                link.GetAttributes().AddPropertyIfNotExist("rel", "nofollow noopener noreferrer");
                link.GetAttributes().AddPropertyIfNotExist("target", "_blank");
                continue;
            }
            var text = link.IsImage ? link.Title ?? "" : string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
            link.ReplaceBy(new LiteralInline(string.IsNullOrEmpty(text) ? link.Url ?? "" : text));
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!SafeLinks.IsSafe(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url))
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }
    }
}
