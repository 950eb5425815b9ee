using Octocom.Dashboard.Analytics;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Analytics.Querying;
using Octocom.Dashboard.Analytics.Segments;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Tests.TestInfrastructure;
using static Octocom.Dashboard.Tests.Analytics.AnalyticsFixture;
using static Octocom.Dashboard.Tests.Analytics.AnalyticsTestData;

namespace Octocom.Dashboard.Tests.Analytics.Segments;

[Collection(AnalyticsDataCollection.Name)]
public sealed class SegmentQueryTests(AnalyticsFixture data)
{
    private async Task<SegmentTable> SegmentAsync(AnalyticsFilter filter, string key, bool buckets = false)
    {
        await using var scope = data.Scope();
        return await scope.Get<AnalyticsService>().SegmentAsync(filter, key, buckets);
    }

    [Fact]
    public async Task ByValue_Plan_CountsSharesRatesAndMedians()
    {
        var table = await SegmentAsync(new AnalyticsFilter(), Plan);

        Assert.Equal(8, table.Total);
        Assert.Equal(["enterprise", "Enterprise", "free", "pro", "(none)"], table.Rows.Select(r => r.Label));
        var enterprise = table.Rows[0];
        Assert.Equal((SegmentKind.Value, "enterprise", 2, 0.25), (enterprise.Kind, enterprise.Value, enterprise.Conversations, enterprise.Share));
        Assert.Equal((1, 0.5, 1, 0.5, 6.0), (enterprise.HandedOff, enterprise.HandoffRate, enterprise.Closed, enterprise.CloseRate, enterprise.MedianMessages));
        var free = table.Rows[2];
        Assert.Equal((1.0, 0.0, 6.0), (free.HandoffRate, free.CloseRate, free.MedianMessages));
        var none = table.Rows[4];
        Assert.Equal((SegmentKind.None, (string?)null, 3, 0.375), (none.Kind, none.Value, none.Conversations, none.Share));
        Assert.Equal((1.0 / 3, 1.0 / 3, 3.0), (none.HandoffRate, none.CloseRate, none.MedianMessages));
        Assert.Equal(1.0, table.Rows.Sum(r => r.Share), 9);
    }

    [Fact]
    public async Task ByValue_Filtered_SegmentsOnlyTheMatches()
    {
        var table = await SegmentAsync(Where(C(Utm, "exists")), Plan);
        Assert.Equal(3, table.Total);
        Assert.Equal([("enterprise", 1), ("pro", 1), ("(none)", 1)], table.Rows.Select(r => (r.Label, r.Conversations)));
    }

    [Fact]
    public async Task ByValue_MoreValuesThanTheLimit_SumsTheRestIntoOther()
    {
        await using var scope = data.Scope();
        await using var db = scope.Db();
        var compiled = FilterCompiler.Compile(new AnalyticsFilter());
        var table = await SegmentQueries.ByValueAsync(db, AnalyticsQueryBuilder.Conversations(db, compiled, (CompiledCondition?)null), Plan, maxSegments: 2, default);

        Assert.Equal(["enterprise", "Enterprise", "(other)", "(none)"], table.Rows.Select(r => r.Label));
        var other = table.Rows[2];
        Assert.Equal((SegmentKind.Other, 2, 1, 0, 4.0), (other.Kind, other.Conversations, other.HandedOff, other.Closed, other.MedianMessages));
    }

    [Fact]
    public async Task ByBucket_CartValue_UsesRangesAndSeparatesNonNumbers()
    {
        var table = await SegmentAsync(new AnalyticsFilter(), Cart, buckets: true);

        Assert.True(table.Buckets);
        Assert.Equal([("10 – 20", 1), ("100 – 200", 1), ("200 – 500", 1), ("1,000 – 2,000", 1), ("(not a number)", 1), ("(none)", 3)],
            table.Rows.Select(r => (r.Label, r.Conversations)));
        var bucket = table.Rows[1];
        Assert.Equal((SegmentKind.Bucket, 100.0, 200.0), (bucket.Kind, bucket.Lower, bucket.Upper));
        Assert.Equal(1.0, table.Rows[2].HandoffRate); // C1: 489.99, handed off
        Assert.Equal(SegmentKind.NotNumeric, table.Rows[4].Kind);
    }

    public static TheoryData<string, string, bool> SmallResultCases => new()
    {
        { "c0.key=chat-widget%3Aplan&c0.op=exists", Utm, false },
        { "c0.key=chat-widget%3Acart_value&c0.op=exists", Cart, true },
        { "c0.key=chat-widget%3Acart_value&c0.op=exists", Plan, false },
        { "c0.key=chat-widget%3Acheck_in&c0.op=exists&c1.key=chat-widget%3Aplan&c1.op=neq&c1.v=pro", Plan, false },
        { "c0.key=chat-widget%3Aplan&c0.op=starts_with&c0.v=e&c0.v=E&status=open", Cart, true },
    };

    /// <summary>Small results are segmented in memory from one read; the table must be the one SQL computes.</summary>
    [Theory]
    [MemberData(nameof(SmallResultCases))]
    public async Task Query_SmallResultSegmentedInMemory_EqualsTheSqlTable(string filter, string key, bool buckets)
    {
        var parsed = AnalyticsQueryString.Parse(filter).Query.Filter;
        await using var scope = data.Scope();
        var analytics = scope.Get<AnalyticsService>();
        var inMemory = (await analytics.QueryAsync(new AnalyticsQuery { Filter = parsed, Segment = key, Buckets = buckets })).Segments!;
        var viaSqlPath = (await Service(scope, inSql: true).QueryAsync(new AnalyticsQuery { Filter = parsed, Segment = key, Buckets = buckets })).Segments!;
        Assert.Equal(viaSqlPath.Rows, inMemory.Rows);
        var inSql = await analytics.SegmentAsync(parsed, key, buckets);
        Assert.NotEmpty(inSql.Rows);
        Assert.Equal(inSql.Rows, inMemory.Rows);
        Assert.Equal((inSql.Key, inSql.Buckets, inSql.Total), (inMemory.Key, inMemory.Buckets, inMemory.Total));
    }

    [Fact]
    public async Task Query_WithSegment_TotalEqualsTheSegmentSum()
    {
        await using var scope = data.Scope();
        var result = await scope.Get<AnalyticsService>().QueryAsync(new AnalyticsQuery { Filter = Where(C(Plan, "neq", "pro")), Segment = Utm });
        Assert.Equal(7, result.Total);
        Assert.Equal(7, result.Segments!.Rows.Sum(r => r.Conversations));
        Assert.Equal(7, result.Rows.Count);
    }
}

/// <summary>A key with more distinct values than a single pass keeps: ranked first, then aggregated, in SQL.</summary>
public sealed class HighCardinalitySegmentTests
{
    [Fact]
    public async Task ByValue_ThousandsOfDistinctValues_KeepsTheLargestAndSumsTheRest()
    {
        await using var app = await TestApp.CreateAsync();
        var tenant = await app.CreateTenantAsync();
        var seeds = Enumerable.Range(0, 1_100).Select(i => new SeedConversation($"H{i:D4}",
            i < 60 ? Meta(("user_id", "shared")) : i < 1_090 ? Meta(("user_id", $"user-{i:D4}")) : Meta())
        {
            Messages = i % 7,
            HandedOff = i % 2 == 0,
            Status = i % 3 == 0 ? ConversationStatus.Closed : ConversationStatus.Open,
        }).ToList();
        await app.InsertAsync(tenant, seeds);

        await using var scope = app.ScopeFor(tenant.OrganizationId);
        var table = await scope.Get<AnalyticsService>().SegmentAsync(new AnalyticsFilter(), "user_id", buckets: false);

        Assert.Equal(1_100, table.Total);
        Assert.Equal(52, table.Rows.Count); // 50 values, (other), (none)
        Assert.Equal(("shared", 60), (table.Rows[0].Label, table.Rows[0].Conversations));
        Assert.Equal("user-0060", table.Rows[1].Label); // ties broken by value
        var other = Assert.Single(table.Rows, r => r.Kind == SegmentKind.Other);
        Assert.Equal(1_030 - 49, other.Conversations);
        var otherSeeds = seeds.Where(s => s.Metadata.TryGetValue("user_id", out var v) && v != "shared" && string.CompareOrdinal(v, "user-0108") > 0).ToList();
        Assert.Equal(otherSeeds.Count, other.Conversations);
        Assert.Equal(otherSeeds.Count(s => s.HandedOff), other.HandedOff);
        Assert.Equal(otherSeeds.Count(s => s.Status == ConversationStatus.Closed), other.Closed);
        Assert.Equal(Median(otherSeeds.Select(s => s.Messages)), other.MedianMessages);
        Assert.Equal(10, Assert.Single(table.Rows, r => r.Kind == SegmentKind.None).Conversations);
    }

    private static double Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2.0;
    }
}
