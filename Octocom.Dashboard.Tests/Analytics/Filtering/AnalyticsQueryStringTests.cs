using System.Text.Json;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Analytics.Querying;

namespace Octocom.Dashboard.Tests.Analytics.Filtering;

public sealed class AnalyticsQueryStringTests
{
    private static string Json(AnalyticsQuery query) => JsonSerializer.Serialize(query);

    [Fact]
    public void EncodeThenParse_EverythingSet_RoundTrips()
    {
        var query = new AnalyticsQuery
        {
            Filter = new AnalyticsFilter
            {
                Conditions =
                [
                    new() { Key = "chat-widget:plan", Operator = "eq", Values = ["enterprise", "pro"] },
                    new() { Key = "chat-widget:a b&c=d+e%f", Operator = "contains", Values = ["x&y=z", "100% + 1", "?#/", "ключ 🙂", " lead"] },
                    new() { Key = "it's \"quoted\"", Operator = "exists" },
                    new() { Key = "chat-widget:cart_value", Operator = "between", Values = ["10", "1e3"] },
                ],
                BusinessIds = [3, 7],
                Statuses = ["open", "handed_off"],
                Channels = ["web"],
                Tags = ["vip", "needs, comma"],
                CreatedFrom = "2025-01-01",
                CreatedTo = "2025-03-31",
            },
            Segment = "chat-widget:utm_source",
            Buckets = true,
            Sort = "-created",
            Page = 2,
            PageSize = 50,
        };
        var encoded = AnalyticsQueryString.Encode(query);
        var parsed = AnalyticsQueryString.Parse(encoded);
        Assert.Empty(parsed.Errors);
        Assert.Equal(Json(query), Json(parsed.Query));
        Assert.Equal(encoded, AnalyticsQueryString.Encode(AnalyticsQueryString.Parse("?" + encoded).Query));
    }

    [Fact]
    public void Encode_Defaults_AreOmitted() => Assert.Equal("", AnalyticsQueryString.Encode(new AnalyticsQuery()));

    [Fact]
    public void Encode_Condition_IsReadable() =>
        Assert.Equal("c0.key=chat-widget%3Aplan&c0.op=eq&c0.v=enterprise&c0.v=pro&segment=chat-widget%3Autm_source",
            AnalyticsQueryString.Encode(new AnalyticsQuery
            {
                Filter = new AnalyticsFilter { Conditions = [new() { Key = "chat-widget:plan", Operator = "eq", Values = ["enterprise", "pro"] }] },
                Segment = "chat-widget:utm_source",
            }));

    [Fact]
    public void Parse_HandWrittenUrl_KeepsConditionOrderAndReportsBadNumbers()
    {
        var parsed = AnalyticsQueryString.Parse("c1.key=b&c1.op=gt&c1.v=5&c0.key=a&c0.v=x+y&business=abc&page=two&unknown=1");
        Assert.Equal(["a", "b"], parsed.Query.Filter.Conditions.Select(c => c.Key));
        Assert.Equal(("eq", "x y"), (parsed.Query.Filter.Conditions[0].Operator, parsed.Query.Filter.Conditions[0].Values[0]));
        Assert.Equal(["'abc' is not a business id.", "'page' must be a whole number."], parsed.Errors);
    }

    [Theory]
    [InlineData("ab", "ac")]
    [InlineData("a\uFFFF", "a\U00010000")]
    [InlineData("x🙂", "x🙃")]
    [InlineData("\U0010FFFF", null)]
    public void PrefixUpperBound_NextCodePoint_BoundsTheRange(string prefix, string? expected) =>
        Assert.Equal(expected, MetadataRowPredicates.PrefixUpperBound(prefix));
}
