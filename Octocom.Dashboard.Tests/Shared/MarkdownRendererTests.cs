using Octocom.Dashboard.Shared;

namespace Octocom.Dashboard.Tests.Shared;

public sealed class MarkdownRendererTests
{
    private readonly MarkdownRenderer _renderer = new();

    [Fact]
    public void ToHtml_RawHtmlScriptTag_IsEscapedNotRendered()
    {
        var html = _renderer.ToHtml("Hello <script>alert('x')</script> <img src=x onerror=alert(1)>");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Theory]
    [InlineData("[click me](javascript:alert(1))")]
    [InlineData("[click me](JAVASCRIPT:alert(1))")]
    [InlineData("[click me](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[click me](vbscript:msgbox)")]
    public void ToHtml_UnsafeLinkScheme_RendersTextWithoutLink(string markdown)
    {
        var html = _renderer.ToHtml(markdown);
        Assert.DoesNotContain("<a ", html);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("click me", html);
    }

    [Fact]
    public void ToHtml_UnsafeImage_IsNotRendered()
    {
        var html = _renderer.ToHtml("![x](javascript:alert(1))");
        Assert.DoesNotContain("<img", html);
    }

    [Theory]
    [InlineData("[docs](https://docs.example.com/a)", "https://docs.example.com/a")]
    [InlineData("[mail](mailto:help@example.com)", "mailto:help@example.com")]
    [InlineData("see https://www.ups.com/track now", "https://www.ups.com/track")]
    public void ToHtml_SafeLinks_RenderAsLinksOpeningSafely(string markdown, string href)
    {
        var html = _renderer.ToHtml(markdown);
        Assert.Contains($"href=\"{href}\"", html);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html);
    }

    [Fact]
    public void ToHtml_Emphasis_IsRendered() =>
        Assert.Contains("<strong>Thursday</strong>", _renderer.ToHtml("Delivery is **Thursday**"));
}
