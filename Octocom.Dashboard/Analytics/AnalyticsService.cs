using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Analytics.Querying;
using Octocom.Dashboard.Analytics.Segments;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Analytics;

/// <summary>One matching conversation, with the values of the metadata keys the view filters or segments by.</summary>
public sealed record AnalyticsRow(
    Guid Id,
    string PublicId,
    string Subject,
    string BusinessName,
    string Status,
    string? Channel,
    DateTime CreatedAt,
    DateTime LastActivityAt,
    int MessageCount,
    DateTime? HandedOffAt,
    DateTime? ClosedAt)
{
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

public sealed record AnalyticsResult(int Total, int Page, int PageSize, IReadOnlyList<AnalyticsRow> Rows, SegmentTable? Segments);

/// <summary>A metadata key that exists in the organization, with how many conversations have it (and how many as a number).</summary>
public sealed record MetadataKeyCount(string Key, int Conversations, int NumericValues)
{
    /// <summary>Most values parse as numbers: offer numeric operators and buckets first.</summary>
    public bool IsNumeric => Conversations > 0 && NumericValues >= 0.8 * Conversations;
}

/// <summary>
/// Manager analytics over conversations and their metadata, for the current tenant (the DbContext's query filters).
/// Callers validate the <see cref="AnalyticsQuery"/> with <see cref="AnalyticsQueryValidator"/> first.
/// </summary>
public sealed class AnalyticsService(
    IDbContextFactory<DashboardDbContext> dbFactory,
    IOptions<AnalyticsOptions> options,
    IMemoryCache cache,
    TenantContext tenant)
{
    private const int MaxMetadataColumns = 10;
    private const int ExportChunk = 500;
    private const int MaxSuggestedValueLength = 200;

    private AnalyticsOptions Options => options.Value;

    /// <summary>Total, one page of conversations, and the segment table when the query names a segment key.</summary>
    public async Task<AnalyticsResult> QueryAsync(AnalyticsQuery query, CancellationToken ct = default)
    {
        var filter = FilterCompiler.Compile(query.Filter);
        var pageSize = Math.Clamp(query.PageSize, 1, Options.MaxPageSize);
        var page = Math.Max(query.Page, 0);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var plan = await QueryPlanner.PlanAsync(db, filter, Options.SelectivityProbeLimit, ct);

        var segmentKey = string.IsNullOrWhiteSpace(query.Segment) ? null : query.Segment;
        var small = await SmallResult.MayBeSmallAsync(db, filter, plan, Options.SmallResultLimit, ct)
            ? await SmallResult.ReadAsync(db, filter, plan, segmentKey, Options.SmallResultLimit, ct)
            : null;
        var (total, rows, segments) = small is not null
            ? await FromSmallResultAsync(db, small, query, segmentKey, page, pageSize, ct)
            : await InSqlAsync(db, filter, plan, query, segmentKey, page, pageSize, ct);
        rows = await WithMetadataAsync(db, rows, ColumnKeys(query), ct);
        return new AnalyticsResult(total, page, pageSize, rows, segments);
    }

    /// <summary>One read of the matches serves the count, the segments and the page.</summary>
    private async Task<(int, IReadOnlyList<AnalyticsRow>, SegmentTable?)> FromSmallResultAsync(DashboardDbContext db,
        IReadOnlyList<MatchSummary> small, AnalyticsQuery query, string? segmentKey, int page, int pageSize, CancellationToken ct)
    {
        var segments = segmentKey is null ? null : await SmallResult.SegmentAsync(db, small, segmentKey, query.Buckets, Options.MaxSegments, ct);
        var ids = AnalyticsSort.Find(query.Sort).Apply(small, db.Dialect.GuidOrder).Skip(page * pageSize).Take(pageSize).Select(m => m.Id).ToArray();
        return (small.Count, await RowsByIdAsync(db, ids, ct), segments);
    }

    /// <summary>A large result: segments and count aggregated in SQL; pages from a conversations index in sort order.</summary>
    private async Task<(int, IReadOnlyList<AnalyticsRow>, SegmentTable?)> InSqlAsync(DashboardDbContext db, CompiledFilter filter, QueryPlan plan,
        AnalyticsQuery query, string? segmentKey, int page, int pageSize, CancellationToken ct)
    {
        var segments = segmentKey is null ? null : await SegmentAsync(db, filter, plan, segmentKey, query.Buckets, ct);
        var total = segments?.Total ?? await CountAsync(db, filter, plan, ct);
        if (total <= page * pageSize) return (total, [], segments);
        // Not from the driver: see SmallResult for why ORDER BY … LIMIT over a driver is a trap; over many matches the
        // index in sort order finds a page after a few hundred conversations.
        var sort = AnalyticsSort.Find(query.Sort);
        var rowPlan = sort.IsIndexed ? plan.WithoutDriver() : plan;
        var rows = await Project(sort.Apply(AnalyticsQueryBuilder.Conversations(db, filter, rowPlan))
            .Skip(page * pageSize).Take(pageSize)).ToListAsync(ct);
        return (total, rows, segments);
    }

    public async Task<int> CountAsync(AnalyticsFilter filter, CancellationToken ct = default)
    {
        var compiled = FilterCompiler.Compile(filter);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var plan = await QueryPlanner.PlanAsync(db, compiled, Options.SelectivityProbeLimit, ct);
        return await CountAsync(db, compiled, plan, ct);
    }

    public async Task<SegmentTable> SegmentAsync(AnalyticsFilter filter, string key, bool buckets, CancellationToken ct = default)
    {
        var compiled = FilterCompiler.Compile(filter);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var plan = await QueryPlanner.PlanAsync(db, compiled, Options.SelectivityProbeLimit, ct);
        return await SegmentAsync(db, compiled, plan, key, buckets, ct);
    }

    /// <summary>
    /// Every matching conversation in the query's sort order, read as the caller consumes it (one open reader; the
    /// metadata columns are looked up per chunk of <see cref="ExportChunk"/> rows), for CSV exports of any size.
    /// </summary>
    public async IAsyncEnumerable<AnalyticsRow> StreamAsync(AnalyticsQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var filter = FilterCompiler.Compile(query.Filter);
        var keys = ColumnKeys(query);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var lookup = await dbFactory.CreateDbContextAsync(ct);
        var plan = await QueryPlanner.PlanAsync(db, filter, Options.SelectivityProbeLimit, ct);
        var rows = Project(AnalyticsSort.Find(query.Sort).Apply(AnalyticsQueryBuilder.Conversations(db, filter, plan)));
        var chunk = new List<AnalyticsRow>(ExportChunk);
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            chunk.Add(row);
            if (chunk.Count < ExportChunk) continue;
            foreach (var done in await WithMetadataAsync(lookup, chunk, keys, ct)) yield return done;
            chunk.Clear();
        }
        foreach (var done in await WithMetadataAsync(lookup, chunk, keys, ct)) yield return done;
    }

    /// <summary>The metadata keys that exist in the organization with their counts, most used first (cached briefly).</summary>
    public async Task<IReadOnlyList<MetadataKeyCount>> KeysAsync(CancellationToken ct = default)
    {
        var cacheKey = $"analytics:keys:{tenant.RequireOrganizationId()}";
        if (cache.TryGetValue(cacheKey, out IReadOnlyList<MetadataKeyCount>? cached) && cached is not null) return cached;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.ConversationMetadata
            .GroupBy(m => m.Key)
            .Select(g => new MetadataKeyCount(g.Key, g.Count(), g.Count(m => m.NumericValue != null)))
            .ToListAsync(ct);
        IReadOnlyList<MetadataKeyCount> sorted = keys.OrderByDescending(k => k.Conversations).ThenBy(k => k.Key, StringComparer.Ordinal).ToList();
        if (Options.KeyListCacheDuration > TimeSpan.Zero) cache.Set(cacheKey, sorted, Options.KeyListCacheDuration);
        return sorted;
    }

    /// <summary>Distinct values of a key starting with <paramref name="prefix"/>, in order (an index range; for value autocomplete).</summary>
    public async Task<IReadOnlyList<string>> ValuesAsync(string key, string? prefix, int limit = 20, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var values = db.ConversationMetadata.Where(m => m.Key == key);
        if (!string.IsNullOrEmpty(prefix))
            values = values.Where(MetadataRowPredicates.For(
                new CompiledCondition(key, MetadataOperators.All.Single(o => o.Operator == MetadataOperator.StartsWith), [prefix], [], []), db.Dialect));
        return await values.Where(m => m.Value.Length <= MaxSuggestedValueLength)
            .Select(m => m.Value).Distinct().OrderBy(v => v).Take(Math.Clamp(limit, 1, 100)).ToListAsync(ct);
    }

    private static async Task<int> CountAsync(DashboardDbContext db, CompiledFilter filter, QueryPlan plan, CancellationToken ct) =>
        plan.Driver is not null && !filter.HasConversationFilters
            ? await AnalyticsQueryBuilder.MetadataOnlyIds(db, filter, plan).CountAsync(ct)
            : await AnalyticsQueryBuilder.Conversations(db, filter, plan).CountAsync(ct);

    private Task<SegmentTable> SegmentAsync(DashboardDbContext db, CompiledFilter filter, QueryPlan plan, string key, bool buckets,
        CancellationToken ct)
    {
        var matches = AnalyticsQueryBuilder.Conversations(db, filter, plan);
        return buckets
            ? SegmentQueries.ByBucketAsync(db, matches, key, ct)
            : SegmentQueries.ByValueAsync(db, matches, key, Options.MaxSegments, ct);
    }

    private static async Task<IReadOnlyList<AnalyticsRow>> RowsByIdAsync(DashboardDbContext db, Guid[] ids, CancellationToken ct)
    {
        if (ids.Length == 0) return [];
        var found = (await Project(db.Conversations.AsNoTracking().Where(c => ids.Contains(c.Id))).ToListAsync(ct)).ToDictionary(r => r.Id);
        return ids.Where(found.ContainsKey).Select(id => found[id]).ToList();
    }

    private static IQueryable<AnalyticsRow> Project(IQueryable<Conversation> conversations) =>
        conversations.Select(c => new AnalyticsRow(c.Id, c.PublicId, c.Subject, c.Business!.Name,
            c.Status.ToWire(), // read as the enum (its column holds the wire name), named in memory
            c.LatestChannel, c.CreatedAt, c.LastActivityAt, c.MessageCount, c.HandedOffAt, c.ClosedAt));

    /// <summary>The keys shown as columns: those the filter tests, then the segment key.</summary>
    public static IReadOnlyList<string> ColumnKeys(AnalyticsQuery query) =>
        query.Filter.Conditions.Select(c => c.Key)
            .Append(query.Segment ?? "")
            .Where(k => !string.IsNullOrWhiteSpace(k))
            .Distinct(StringComparer.Ordinal)
            .Take(MaxMetadataColumns)
            .ToList();

    private static async Task<IReadOnlyList<AnalyticsRow>> WithMetadataAsync(DashboardDbContext db, IReadOnlyList<AnalyticsRow> rows,
        IReadOnlyList<string> keys, CancellationToken ct)
    {
        if (rows.Count == 0 || keys.Count == 0) return rows.ToList();
        var ids = rows.Select(r => r.Id).ToArray();
        var keyArray = keys.ToArray();
        var values = await db.ConversationMetadata.AsNoTracking()
            .Where(m => ids.Contains(m.ConversationId) && keyArray.Contains(m.Key))
            .Select(m => new { m.ConversationId, m.Key, m.Value })
            .ToListAsync(ct);
        var byConversation = values.ToLookup(v => v.ConversationId);
        return rows.Select(r => r with
        {
            Metadata = byConversation[r.Id].ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
        }).ToList();
    }
}
