using Octocom.Dashboard.Businesses;

namespace Octocom.Dashboard.Tests.Businesses;

public sealed class AllowedOriginsTests
{
    [Theory]
    [InlineData("https://Shop.Example/", "https://shop.example")]
    [InlineData("http://localhost:3000", "http://localhost:3000")]
    [InlineData("https://shop.example:443", "https://shop.example")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example")]
    public void TryNormalize_Origin_ReturnsTheBrowserForm(string input, string expected)
    {
        Assert.True(AllowedOrigins.TryNormalize(input, out var origin));
        Assert.Equal(expected, origin);
    }

    [Theory]
    [InlineData("shop.example")]
    [InlineData("https://shop.example/checkout")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://user:pw@shop.example")]
    public void TryNormalize_NotAnOrigin_IsFalse(string input) => Assert.False(AllowedOrigins.TryNormalize(input, out _));

    [Fact]
    public void Parse_StoredText_SplitsLinesAndDropsDuplicates() =>
        Assert.Equal(["https://a.example", "https://b.example"], AllowedOrigins.Parse("https://a.example\r\n\nhttps://b.example/\nhttps://A.example"));

    [Fact]
    public void Parse_Empty_MeansAnyOrigin() => Assert.Empty(AllowedOrigins.Parse(""));
}
