using Octocom.Dashboard.Analytics.Filtering;
using static Octocom.Dashboard.Tests.Analytics.AnalyticsFixture;

namespace Octocom.Dashboard.Tests.Analytics.Querying;

/// <summary>
/// Random AND-combinations of conditions (negative ones included) with conversation filters, checked against the
/// documented semantics evaluated in C#, for every way the query can be driven: scanning conversations, from each
/// positive condition's index range, and the metadata-only count.
/// </summary>
[Collection(AnalyticsDataCollection.Name)]
public sealed class QueryCombinationTests(AnalyticsFixture data)
{
    private static readonly MetadataCondition[] Pool =
    [
        C(Plan, "eq", "enterprise"), C(Plan, "eq", "pro", "free"), C(Plan, "neq", "enterprise"), C(Plan, "neq", "pro", "Enterprise"),
        C(Plan, "exists"), C(Plan, "not_exists"), C(Plan, "contains", "er"), C(Plan, "starts_with", "E", "f"),
        C(Utm, "eq", "google"), C(Utm, "neq", "google"), C(Utm, "not_exists"), C(Utm, "exists"),
        C(Cart, "gt", "50"), C(Cart, "lte", "100"), C(Cart, "between", "0", "500"), C(Cart, "neq", "12"),
        C(CheckIn, "date_between", "2025-04-01", "2025-12-31"), C(CheckIn, "date_before", "2025-04-15"), C(CheckIn, "not_exists"),
        C(SpaceKey, "eq", "x y"), C(UnicodeKey, "neq", "значение 🙂"), C(Orders, "contains", "ORD"),
    ];

    [Fact]
    public async Task RandomCombinations_EveryDriver_MatchTheDocumentedSemantics()
    {
        var random = new Random(7);
        for (var round = 0; round < 150; round++)
        {
            var filter = Where(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Pool[random.Next(Pool.Length)].Clone()).ToArray());
            if (random.Next(3) == 0) filter.Statuses = [random.Next(2) == 0 ? "open" : "closed", "handed_off"];
            if (random.Next(5) == 0) filter.Tags = ["vip"];
            if (random.Next(5) == 0) filter.Channels = ["web"];
            var expected = Expected(filter);
            var description = AnalyticsQueryString.Encode(new AnalyticsQuery { Filter = filter });

            var viaService = await data.MatchAsync(filter);
            Assert.True(Same(expected, viaService), $"service: {description}");
            var viaSqlPaging = await data.MatchAsync(filter, inSql: true);
            Assert.True(Same(expected, viaSqlPaging), $"service, SQL paging: {description}");
            var compiled = FilterCompiler.Compile(filter);
            var viaScan = await data.MatchWithDriverAsync(compiled, null);
            Assert.True(Same(expected, viaScan), $"scan: {description}");
            foreach (var driver in compiled.Conditions.Where(c => !c.Op.IsNegative))
            {
                var viaDriver = await data.MatchWithDriverAsync(compiled, driver);
                Assert.True(Same(expected, viaDriver), $"driver {driver.Op.Code}: {description}");
                if (!compiled.HasConversationFilters)
                    Assert.Equal(expected.Length, await data.CountMetadataOnlyAsync(compiled, driver));
            }
        }
    }

    private static bool Same(string[] expected, string[] actual) => expected.AsEnumerable().SequenceEqual(actual);
}
