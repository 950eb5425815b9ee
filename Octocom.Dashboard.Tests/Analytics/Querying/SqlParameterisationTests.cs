using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Analytics.Querying;
using Octocom.Dashboard.Tests.TestInfrastructure;
using static Octocom.Dashboard.Tests.Analytics.AnalyticsFixture;

namespace Octocom.Dashboard.Tests.Analytics.Querying;

/// <summary>The SQL text never contains what the user typed: keys, texts, numbers and dates are all parameters.</summary>
[Collection(AnalyticsDataCollection.Name)]
public sealed class SqlParameterisationTests(AnalyticsFixture data)
{
    private const string EvilKey = "key'); DROP TABLE \"Conversations\"; --";
    private const string EvilText = "v' OR 1=1 --";

    [Fact]
    public async Task GeneratedSql_EveryOperator_ContainsNoUserValue()
    {
        var filter = FilterCompiler.Compile(new AnalyticsFilter
        {
            Conditions =
            [
                C(EvilKey, "eq", EvilText, "second-sentinel"), C(EvilKey + "1", "neq", EvilText + "1"), C(EvilKey + "2", "contains", EvilText + "2"),
                C(EvilKey + "3", "starts_with", EvilText + "3"), C(EvilKey + "4", "exists"), C(EvilKey + "5", "not_exists"),
                C(EvilKey + "6", "gt", "123456.789"), C(EvilKey + "7", "between", "31415.9", "99999.5"),
                C(EvilKey + "8", "date_between", "2031-07-19", "2032-08-21"), C(EvilKey + "9", "date_after", "2033-09-22"),
            ],
            Tags = ["tag-sentinel"],
            Channels = ["channel-sentinel"],
        });
        await using var scope = data.Scope();
        await using var db = scope.Db();
        foreach (var driver in filter.Conditions.Where(c => !c.Op.IsNegative).Prepend(null))
        {
            var sql = AnalyticsQueryBuilder.Conversations(db, filter, driver).ToQueryString();
            var text = SqlText(sql);
            foreach (var secret in new[] { "DROP TABLE", "OR 1=1", "second-sentinel", "123456", "31415", "99999", "2031-07-19", "2032-08",
                         "2033-09", "tag-sentinel", "channel-sentinel" })
                Assert.DoesNotContain(secret, text);
            Assert.Contains("@", text);
        }
        // The query still runs (and finds nothing) with those values bound as parameters.
        Assert.Equal(0, await AnalyticsQueryBuilder.Conversations(db, filter, (CompiledCondition?)null).CountAsync());
    }

    /// <summary>ToQueryString starts with ".param set @name 'value'" lines; the SQL proper follows them.</summary>
    private static string SqlText(string queryString) =>
        string.Join('\n', queryString.Split('\n').Where(line => !line.StartsWith(".param set", StringComparison.Ordinal)));
}
