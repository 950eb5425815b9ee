using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Analytics.Segments;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Metadata;

namespace Octocom.Dashboard.Analytics.Querying;

/// <summary>What a match needs for sorting and segmenting — a few fields, no message or metadata text beyond one value.</summary>
public sealed class MatchSummary
{
    public Guid Id { get; init; }
    public string PublicId { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime LastActivityAt { get; init; }
    public int MessageCount { get; init; }
    public bool HandedOff { get; init; }
    public bool Closed { get; init; }
    /// <summary>The segment key's value (null: no such key on the conversation).</summary>
    public string? SegmentValue { get; init; }
}

/// <summary>
/// A result small enough (≤ <see cref="AnalyticsOptions.SmallResultLimit"/>) to read once, as <see cref="MatchSummary"/> rows from the
/// driver's index range, and to page, count and segment from that single read. Larger results are paged and
/// segmented in SQL; pages come from the matches sorted in memory (<see cref="AnalyticsSort"/>, the same order as in
/// SQL). Paging a small result in SQL would also be a trap: with ORDER BY … LIMIT, SQLite prefers to walk a
/// conversations index in sort order and test every conversation until the page is full — slowest when matches are rare.
/// </summary>
public static class SmallResult
{
    /// <summary>
    /// Whether reading the matches might end below the limit: a driver is needed, and when the driver is the whole
    /// filter its index range is counted (up to limit + 1 entries) so a large result is not read in vain.
    /// </summary>
    public static async Task<bool> MayBeSmallAsync(DashboardDbContext db, CompiledFilter filter, QueryPlan plan, int limit, CancellationToken ct)
    {
        if (plan.Driver is null || limit <= 0) return false;
        if (filter.Conditions.Count > 1 || filter.HasConversationFilters) return true;
        // Ordered by the (constant) key so the LIMIT stops the index range scan early (and EF Core does not warn).
        return await db.ConversationMetadata.Where(MetadataRowPredicates.For(plan.Driver, db.Dialect)).OrderBy(m => m.Key).Take(limit + 1).CountAsync(ct) <= limit;
    }

    /// <returns>Every match, or null when there are more than <paramref name="limit"/> (stops reading at the first extra one).</returns>
    public static async Task<IReadOnlyList<MatchSummary>?> ReadAsync(DashboardDbContext db, CompiledFilter filter, QueryPlan plan, string? segmentKey,
        int limit, CancellationToken ct)
    {
        if (limit <= 0) return null;
        var matches = AnalyticsQueryBuilder.Conversations(db, filter, plan);
        var query = segmentKey is null
            ? matches.Select(c => new MatchSummary
            {
                Id = c.Id, PublicId = c.PublicId, CreatedAt = c.CreatedAt, LastActivityAt = c.LastActivityAt, MessageCount = c.MessageCount,
                HandedOff = c.HandedOffAt != null, Closed = c.Status == ConversationStatus.Closed,
            })
            : matches.Select(c => new MatchSummary
            {
                Id = c.Id, PublicId = c.PublicId, CreatedAt = c.CreatedAt, LastActivityAt = c.LastActivityAt, MessageCount = c.MessageCount,
                HandedOff = c.HandedOffAt != null, Closed = c.Status == ConversationStatus.Closed,
                SegmentValue = db.ConversationMetadata.Where(m => m.ConversationId == c.Id && m.Key == segmentKey).Select(m => m.Value).FirstOrDefault(),
            });
        var read = new List<MatchSummary>();
        await foreach (var match in query.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (read.Count == limit) return null;
            read.Add(match);
        }
        return read;
    }

    /// <summary>The same table <see cref="SegmentQueries"/> computes in SQL, from the matches in memory.</summary>
    public static async Task<SegmentTable> SegmentAsync(DashboardDbContext db, IReadOnlyList<MatchSummary> matches, string key, bool buckets,
        int maxSegments, CancellationToken ct)
    {
        var none = new SegmentAccumulator();
        if (!buckets)
        {
            var groups = new Dictionary<string, SegmentAccumulator>(StringComparer.Ordinal);
            foreach (var match in matches)
                Add(match.SegmentValue is null ? none : groups.TryGetValue(match.SegmentValue, out var found) ? found : groups[match.SegmentValue] = new(), match);
            return SegmentQueries.ValueTable(key, groups, none, maxSegments);
        }
        var edges = await SegmentQueries.EdgesAsync(db, key, ct);
        var accumulators = Enumerable.Range(0, Math.Max(edges.Count - 1, 0)).Select(_ => new SegmentAccumulator()).ToArray();
        var notNumeric = new SegmentAccumulator();
        foreach (var match in matches)
        {
            var number = match.SegmentValue is null ? null : MetadataService.ParseNumber(match.SegmentValue);
            Add(match.SegmentValue is null ? none
                : number is null || accumulators.Length == 0 ? notNumeric
                : accumulators[SegmentQueries.BucketOf(edges, number.Value)], match);
        }
        return SegmentQueries.BucketTable(key, edges, accumulators, none, notNumeric);
    }

    private static void Add(SegmentAccumulator accumulator, MatchSummary match) =>
        accumulator.Add(match.MessageCount, 1, match.HandedOff ? 1 : 0, match.Closed ? 1 : 0);
}
