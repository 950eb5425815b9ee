using Octocom.Dashboard.ChatApi;

namespace Octocom.Dashboard.Tests.ChatApi;

public sealed class BrowserSessionRecorderTests
{
    [Theory]
    [InlineData("[]", null)]
    [InlineData("""[{"url":"https://a.example/","title":"A","visitedAt":"2026-01-01T00:00:00Z"}]""", "https://a.example/")]
    [InlineData("""[{"url":"https://a.example/","title":"A"},{"url":"https://b.example/x?q=\"1\"","title":"has \"url\": inside"}]""", "https://b.example/x?q=\"1\"")]
    [InlineData("""[{"url": "https://spaced.example/" , "title":"S"}]""", "https://spaced.example/")]
    public void LastUrl_PagesJson_ReturnsTheLastPagesUrl(string json, string? expected) =>
        Assert.Equal(expected, BrowserSessionRecorder.LastUrl(json));
}
