using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tenancy;
using Octocom.Dashboard.Analytics;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Analytics.Querying;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Tests.TestInfrastructure;
using static Octocom.Dashboard.Tests.Analytics.AnalyticsTestData;

namespace Octocom.Dashboard.Tests.Analytics;

/// <summary>
/// One migrated SQLite database with crafted conversations: numeric strings, JSON values, ISO dates and date-times,
/// missing keys, keys with spaces, %, _, quotes and unicode, and a second organization. Read-only for the tests.
/// </summary>
public sealed class AnalyticsFixture : IAsyncLifetime
{
    public const string Plan = "chat-widget:plan";
    public const string Utm = "chat-widget:utm_source";
    public const string Cart = "chat-widget:cart_value";
    public const string Orders = "chat-widget:recent_orders";
    public const string CheckIn = "chat-widget:check_in";
    public const string SpaceKey = "chat-widget:a b";
    public const string PercentKey = "%";
    public const string UnderscoreKey = "_";
    public const string QuotedKey = "it's \"quoted\"";
    public const string UnicodeKey = "chat-widget:ключ";

    public static readonly SeedConversation[] Conversations =
    [
        new("C1", Meta((Plan, "enterprise"), (Utm, "google"), (Cart, "489.99")))
            { Status = ConversationStatus.Closed, HandedOff = true, Messages = 4, Tags = ["vip"] },
        new("C2", Meta((Plan, "pro"), (Utm, "newsletter"), (Cart, "12"))) { Messages = 2, Channel = Channels.Email },
        new("C3", Meta((Plan, "free"), (Cart, "not a number"))) { Status = ConversationStatus.HandedOff, HandedOff = true, Messages = 6 },
        new("C4", Meta((Utm, "google"), (Cart, " 100 "))) { Status = ConversationStatus.Closed, Messages = 3, Tags = ["vip", "returns"] },
        new("C5", Meta((Plan, "Enterprise"), (SpaceKey, "x y"), (PercentKey, "100%"), (UnderscoreKey, "a_b"), (QuotedKey, "v'\""),
            (UnicodeKey, "значение 🙂"), (Orders, """[{"id":"ORD-1","total":59.99,"date":"2025-03-15"}]"""), (CheckIn, "2025-04-15"))) { Messages = 1 },
        new("C6", Meta((Plan, "enterprise"), (CheckIn, "2025-04-15T23:30:00+02:00")))
            { Messages = 8, CreatedAt = new DateTime(2025, 1, 5, 9, 0, 0, DateTimeKind.Utc) },
        new("C7", Meta((CheckIn, "tomorrow"), (Cart, "1e3"))) { Messages = 5 },
        new("C8", Meta((CheckIn, "2025-03-31")))
            { Status = ConversationStatus.HandedOff, HandedOff = true, Messages = 2, Channel = Channels.Instagram,
              CreatedAt = new DateTime(2024, 1, 10, 9, 0, 0, DateTimeKind.Utc) },
    ];

    public TestApp App { get; private set; } = default!;
    public TestData.Tenant Acme { get; private set; } = default!;
    public TestData.Tenant Globex { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        App = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Analytics:KeyListCacheDuration"] = "00:00:00" });
        Acme = await App.CreateTenantAsync("acme", "acme-shop");
        Globex = await App.CreateTenantAsync("globex", "globex-shop");
        await App.InsertAsync(Acme, Conversations);
        await App.InsertAsync(Globex, [new SeedConversation("G1", Meta((Plan, "enterprise"), (Utm, "google"), ("globex-only", "1")))]);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public AsyncServiceScope Scope(TestData.Tenant? tenant = null) => App.ScopeFor((tenant ?? Acme).OrganizationId);

    /// <summary>Public ids matching <paramref name="filter"/>, through the service (planner, page query).</summary>
    public async Task<string[]> MatchAsync(AnalyticsFilter filter, TestData.Tenant? tenant = null, bool inSql = false)
    {
        await using var scope = Scope(tenant);
        var result = await Service(scope, inSql).QueryAsync(new AnalyticsQuery { Filter = filter, PageSize = 200, Sort = "id" });
        Assert.Equal(result.Total, result.Rows.Count);
        return result.Rows.Select(r => r.PublicId).ToArray();
    }

    /// <summary>The scope's service, or one that aggregates every result in SQL (as it does for large results).</summary>
    public static AnalyticsService Service(AsyncServiceScope scope, bool inSql) => !inSql
        ? scope.Get<AnalyticsService>()
        : new AnalyticsService(scope.Get<IDbContextFactory<DashboardDbContext>>(),
            Options.Create(new AnalyticsOptions { SmallResultLimit = 0, KeyListCacheDuration = TimeSpan.Zero }),
            scope.Get<IMemoryCache>(), scope.Get<TenantContext>());

    /// <summary>Public ids matching through the query builder with a chosen driver (null: scan conversations).</summary>
    public async Task<string[]> MatchWithDriverAsync(CompiledFilter filter, CompiledCondition? driver)
    {
        await using var scope = Scope();
        await using var db = scope.Db();
        return await AnalyticsQueryBuilder.Conversations(db, filter, driver).Select(c => c.PublicId).OrderBy(id => id).ToArrayAsync();
    }

    public async Task<int> CountMetadataOnlyAsync(CompiledFilter filter, CompiledCondition driver)
    {
        await using var scope = Scope();
        await using var db = scope.Db();
        return await AnalyticsQueryBuilder.MetadataOnlyIds(db, filter, driver).CountAsync();
    }

    public static AnalyticsFilter Where(params MetadataCondition[] conditions) => new() { Conditions = [.. conditions] };

    public static MetadataCondition C(string key, string op, params string[] values) => new() { Key = key, Operator = op, Values = [.. values] };

    /// <summary>The documented semantics, evaluated in C# over the seeds: the oracle the SQL must agree with.</summary>
    public static string[] Expected(AnalyticsFilter filter) =>
        Conversations.Where(c => Matches(c, FilterCompiler.Compile(filter))).Select(c => c.PublicId).Order(StringComparer.Ordinal).ToArray();

    private static bool Matches(SeedConversation c, CompiledFilter filter) =>
        (filter.Statuses.Count == 0 || filter.Statuses.Contains(c.Status))
        && (filter.Channels.Count == 0 || filter.Channels.Contains(c.Channel))
        && (filter.Tags.Count == 0 || c.Tags.Any(filter.Tags.Contains))
        && (filter.CreatedFrom is null || c.CreatedAt >= filter.CreatedFrom)
        && (filter.CreatedBefore is null || c.CreatedAt < filter.CreatedBefore)
        && filter.Conditions.All(condition => Matches(c, condition));

    private static bool Matches(SeedConversation c, CompiledCondition condition)
    {
        var has = c.Metadata.TryGetValue(condition.Key, out var value);
        var number = has ? MetadataService.ParseNumber(value!) : null;
        var date = has && Regex.IsMatch(value!, @"^\d{4}-\d{2}-\d{2}")
            && DateOnly.TryParseExact(value![..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null;
        return condition.Op.Operator switch
        {
            MetadataOperator.Equal => has && condition.Texts.Contains(value!),
            MetadataOperator.NotEqual => !(has && condition.Texts.Contains(value!)),
            MetadataOperator.Contains => has && condition.Texts.Any(t => value!.Contains(t, StringComparison.Ordinal)),
            MetadataOperator.StartsWith => has && condition.Texts.Any(t => value!.StartsWith(t, StringComparison.Ordinal)),
            MetadataOperator.Exists => has,
            MetadataOperator.NotExists => !has,
            MetadataOperator.LessThan => number < condition.Numbers[0],
            MetadataOperator.LessOrEqual => number <= condition.Numbers[0],
            MetadataOperator.GreaterThan => number > condition.Numbers[0],
            MetadataOperator.GreaterOrEqual => number >= condition.Numbers[0],
            MetadataOperator.Between => number >= condition.Numbers[0] && number <= condition.Numbers[1],
            MetadataOperator.DateBefore => date < condition.Dates[0],
            MetadataOperator.DateAfter => date > condition.Dates[0],
            MetadataOperator.DateBetween => date >= condition.Dates[0] && date <= condition.Dates[1],
            _ => throw new ArgumentOutOfRangeException(nameof(condition)),
        };
    }
}

[CollectionDefinition(Name)]
public sealed class AnalyticsDataCollection : ICollectionFixture<AnalyticsFixture>
{
    public const string Name = "Analytics data";
}
