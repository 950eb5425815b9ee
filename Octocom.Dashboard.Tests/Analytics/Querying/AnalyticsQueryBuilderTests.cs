using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Analytics;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Tests.TestInfrastructure;
using static Octocom.Dashboard.Tests.Analytics.AnalyticsFixture;

namespace Octocom.Dashboard.Tests.Analytics.Querying;

/// <summary>Every operator against real SQLite with crafted data; expected sets are spelled out by hand.</summary>
[Collection(AnalyticsDataCollection.Name)]
public sealed class AnalyticsQueryBuilderTests(AnalyticsFixture data)
{
    private async Task Expect(AnalyticsFilter filter, params string[] expected)
    {
        Assert.Equal(expected, await data.MatchAsync(filter));
        Assert.Equal(expected, Expected(filter)); // the oracle used by the combination tests agrees with the hand-written sets
    }

    [Fact]
    public Task Equals_OneValue_IsExactAndCaseSensitive() => Expect(Where(C(Plan, "eq", "enterprise")), "C1", "C6");

    [Fact]
    public Task Equals_SeveralValues_AreAlternatives() => Expect(Where(C(Plan, "eq", "enterprise", "pro")), "C1", "C2", "C6");

    [Fact]
    public Task NotEquals_KeyMissing_Matches() => Expect(Where(C(Plan, "neq", "enterprise")), "C2", "C3", "C4", "C5", "C7", "C8");

    [Fact]
    public Task NotEquals_SeveralValues_ExcludesEach() => Expect(Where(C(Plan, "neq", "enterprise", "pro")), "C3", "C4", "C5", "C7", "C8");

    [Fact]
    public Task Contains_JsonValue_FindsSubstring() => Expect(Where(C(Orders, "contains", "\"id\":\"ORD-1\"")), "C5");

    [Fact]
    public Task Contains_PercentAndUnderscore_AreLiteralsNotWildcards()
    {
        return Task.WhenAll(
            Expect(Where(C(PercentKey, "contains", "0%")), "C5"),
            Expect(Where(C(UnderscoreKey, "contains", "a_")), "C5"),
            Expect(Where(C(Plan, "contains", "%"))),
            Expect(Where(C(Plan, "contains", "_"))));
    }

    [Fact]
    public Task Contains_SeveralValues_AreAlternatives() => Expect(Where(C(Plan, "contains", "terp", "re")), "C1", "C3", "C5", "C6");

    [Fact]
    public Task StartsWith_Prefix_IsCaseSensitive() => Expect(Where(C(Plan, "starts_with", "ent")), "C1", "C6");

    [Fact]
    public Task StartsWith_WildcardCharacters_AreLiterals()
    {
        return Task.WhenAll(
            Expect(Where(C(PercentKey, "starts_with", "%"))),
            Expect(Where(C(PercentKey, "starts_with", "100")), "C5"),
            Expect(Where(C(PercentKey, "starts_with", "1_0"))),
            Expect(Where(C(PercentKey, "starts_with", "100%")), "C5"));
    }

    [Fact]
    public Task StartsWith_Unicode_UsesCodePointRange() => Expect(Where(C(UnicodeKey, "starts_with", "значение 🙂")), "C5");

    [Fact]
    public Task Exists_And_NotExists_AreComplements()
    {
        return Task.WhenAll(
            Expect(Where(C(Utm, "exists")), "C1", "C2", "C4"),
            Expect(Where(C(Utm, "not_exists")), "C3", "C5", "C6", "C7", "C8"));
    }

    [Fact]
    public Task NumericOperators_CompareParsedNumbers_SkipNonNumbers()
    {
        // cart_value: C1 "489.99", C2 "12", C3 "not a number", C4 " 100 ", C7 "1e3"
        return Task.WhenAll(
            Expect(Where(C(Cart, "gt", "100")), "C1", "C7"),
            Expect(Where(C(Cart, "gte", "100")), "C1", "C4", "C7"),
            Expect(Where(C(Cart, "lt", "100")), "C2"),
            Expect(Where(C(Cart, "lte", "100.0")), "C2", "C4"),
            Expect(Where(C(Cart, "between", "12", "489.99")), "C1", "C2", "C4"),
            Expect(Where(C(Cart, "between", "-1e9", "1e9")), "C1", "C2", "C4", "C7"));
    }

    [Fact]
    public Task DateOperators_ReadTheDateAtTheStartOfTheValue()
    {
        // check_in: C5 "2025-04-15", C6 "2025-04-15T23:30:00+02:00", C7 "tomorrow", C8 "2025-03-31"
        return Task.WhenAll(
            Expect(Where(C(CheckIn, "date_between", "2025-04-01", "2025-04-15")), "C5", "C6"),
            Expect(Where(C(CheckIn, "date_between", "2025-03-31", "2025-03-31")), "C8"),
            Expect(Where(C(CheckIn, "date_before", "2025-04-15")), "C8"),
            Expect(Where(C(CheckIn, "date_after", "2025-04-14")), "C5", "C6"),
            Expect(Where(C(CheckIn, "date_after", "2025-04-15"))));
    }

    [Fact]
    public Task UnusualKeys_SpacesQuotesAndUnicode_Match()
    {
        return Task.WhenAll(
            Expect(Where(C(SpaceKey, "eq", "x y")), "C5"),
            Expect(Where(C(QuotedKey, "eq", "v'\"")), "C5"),
            Expect(Where(C(UnicodeKey, "eq", "значение 🙂")), "C5"),
            Expect(Where(C(PercentKey, "exists")), "C5"),
            Expect(Where(C("%%", "exists"))));
    }

    [Fact]
    public Task NotEquals_WithStatusFilter_DoesNotLeakMissingKeyRowsOfOtherStatuses()
    {
        // The classic precedence bug: "status = x AND plan != y OR plan IS NULL" would add C8 (handed off, no plan).
        var filter = Where(C(Plan, "neq", "enterprise"));
        filter.Statuses = ["open", "closed"];
        return Expect(filter, "C2", "C4", "C5", "C7");
    }

    [Fact]
    public Task EqualsAlternatives_AndNotEquals_CombineAsAndOfOrs()
    {
        // (plan = enterprise OR plan = pro) AND NOT (utm_source = google): C6 has no utm_source and stays.
        return Expect(Where(C(Plan, "eq", "enterprise", "pro"), C(Utm, "neq", "google")), "C2", "C6");
    }

    [Fact]
    public Task TwoNegativeConditions_BothHold()
    {
        return Task.WhenAll(
            Expect(Where(C(Utm, "neq", "google"), C(Plan, "not_exists")), "C7", "C8"),
            Expect(Where(C(Utm, "not_exists"), C(Plan, "neq", "free", "pro")), "C5", "C6", "C7", "C8"));
    }

    [Fact]
    public Task ConditionsOnTheSameKey_AreAnded() => Expect(Where(C(Cart, "gt", "10"), C(Cart, "lt", "200")), "C2", "C4");

    [Fact]
    public async Task ConversationFilters_StatusChannelTagsAndCreated_Apply()
    {
        var byChannel = new AnalyticsFilter { Channels = ["email", "instagram"] };
        await Expect(byChannel, "C2", "C8");
        var byTag = new AnalyticsFilter { Tags = ["VIP "] };
        await Expect(byTag, "C1", "C4");
        var byCreated = new AnalyticsFilter { CreatedFrom = "2025-01-05", CreatedTo = "2025-01-05" };
        await Expect(byCreated, "C6");
        var combined = Where(C(Utm, "eq", "google"));
        combined.Tags = ["returns"];
        combined.Statuses = ["closed"];
        await Expect(combined, "C4");
    }

    [Fact]
    public async Task BusinessFilter_OtherBusiness_MatchesNothing()
    {
        Assert.Equal(8, (await data.MatchAsync(new AnalyticsFilter { BusinessIds = [data.Acme.BusinessId] })).Length);
        Assert.Empty(await data.MatchAsync(new AnalyticsFilter { BusinessIds = [data.Acme.BusinessId + 1000] }));
    }

    [Fact]
    public async Task Query_OtherOrganization_SeesOnlyItsOwnConversations()
    {
        Assert.Equal(["G1"], await data.MatchAsync(Where(C(Plan, "eq", "enterprise")), data.Globex));
        Assert.Equal(["C1", "C6"], await data.MatchAsync(Where(C(Plan, "eq", "enterprise"))));
        Assert.Empty(await data.MatchAsync(Where(C("globex-only", "exists"))));
    }

    [Fact]
    public async Task Keys_ListsOnlyTheOrganizationsKeysWithCounts()
    {
        await using var scope = data.Scope();
        var keys = await scope.Get<AnalyticsService>().KeysAsync();
        Assert.DoesNotContain(keys, k => k.Key == "globex-only");
        var cart = Assert.Single(keys, k => k.Key == Cart);
        Assert.Equal((5, 4), (cart.Conversations, cart.NumericValues));
        Assert.True(cart.IsNumeric);
        Assert.Equal(5, Assert.Single(keys, k => k.Key == Plan).Conversations);
        Assert.False(Assert.Single(keys, k => k.Key == Plan).IsNumeric);
    }

    [Fact]
    public async Task Values_Prefix_ReturnsDistinctValuesInOrder()
    {
        await using var scope = data.Scope();
        var analytics = scope.Get<AnalyticsService>();
        Assert.Equal(["Enterprise", "enterprise", "free", "pro"], await analytics.ValuesAsync(Plan, null));
        Assert.Equal(["enterprise"], await analytics.ValuesAsync(Plan, "ent"));
        Assert.Empty(await analytics.ValuesAsync(Plan, "%"));
    }

    [Fact]
    public async Task Query_Paging_SortsAndCountsServerSide()
    {
        await using var scope = data.Scope();
        var analytics = scope.Get<AnalyticsService>();
        var first = await analytics.QueryAsync(new AnalyticsQuery { Sort = "-messages", PageSize = 3 });
        Assert.Equal(8, first.Total);
        Assert.Equal(["C6", "C3", "C7"], first.Rows.Select(r => r.PublicId));
        var third = await analytics.QueryAsync(new AnalyticsQuery { Sort = "id", PageSize = 3, Page = 2 });
        Assert.Equal(["C7", "C8"], third.Rows.Select(r => r.PublicId));
    }

    [Theory]
    [InlineData("activity")]
    [InlineData("-activity")]
    [InlineData("created")]
    [InlineData("-created")]
    [InlineData("messages")]
    [InlineData("-messages")]
    [InlineData("id")]
    [InlineData("-id")]
    public async Task Query_SmallResultSortedInMemory_MatchesTheSqlOrder(string sort)
    {
        var filter = new AnalyticsFilter { Conditions = [C(Plan, "neq", "nothing"), C(CheckIn, "not_exists"), C(Cart, "exists")] };
        await using var scope = data.Scope();
        await using var db = scope.Db();
        var sqlOrder = await Octocom.Dashboard.Analytics.Querying.AnalyticsSort.Find(sort)
            .Apply(Octocom.Dashboard.Analytics.Querying.AnalyticsQueryBuilder.Conversations(db, FilterCompiler.Compile(filter), (CompiledCondition?)null))
            .Select(c => c.PublicId).ToListAsync();
        foreach (var inSql in new[] { false, true })
        {
            var analytics = Service(scope, inSql);
            var pages = new List<string>();
            for (var page = 0; page < 3; page++)
                pages.AddRange((await analytics.QueryAsync(new AnalyticsQuery { Filter = filter, Sort = sort, PageSize = 2, Page = page })).Rows.Select(r => r.PublicId));
            Assert.Equal(4, sqlOrder.Count);
            Assert.Equal(sqlOrder, pages);
        }
    }

    [Fact]
    public async Task Query_Rows_CarryTheFilteredAndSegmentedKeys()
    {
        await using var scope = data.Scope();
        var result = await scope.Get<AnalyticsService>().QueryAsync(new AnalyticsQuery
        {
            Filter = Where(C(Plan, "eq", "enterprise")), Segment = Utm, Sort = "id",
        });
        Assert.Equal(new Dictionary<string, string> { [Plan] = "enterprise", [Utm] = "google" }, result.Rows[0].Metadata);
        Assert.Equal(new Dictionary<string, string> { [Plan] = "enterprise" }, result.Rows[1].Metadata);
    }
}
