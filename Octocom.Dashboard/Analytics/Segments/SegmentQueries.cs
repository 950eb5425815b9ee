using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Analytics.Querying;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Metadata;

namespace Octocom.Dashboard.Analytics.Segments;

/// <summary>
/// Segments the matching conversations by one metadata key, in SQL: each conversation's value comes from a correlated
/// lookup on the unique (ConversationId, Key) index, and the database groups by (value, message count) so medians are
/// exact without reading conversations one by one.
/// </summary>
public static class SegmentQueries
{
    /// <summary>Keys with more distinct values than this among the matches are ranked in a first pass, then summed.</summary>
    private const int SinglePassDistinctValues = 1_000;

    /// <summary>One matching conversation as segmenting sees it (member-init, so EF Core can group by its members).</summary>
    private sealed class Projected
    {
        public string? Value { get; init; }
        public int MessageCount { get; init; }
        public int HandedOff { get; init; }
        public int Closed { get; init; }
    }

    private static IQueryable<Projected> Project(DashboardDbContext db, IQueryable<Conversation> matches, string key) =>
        matches.Select(c => new Projected
        {
            Value = db.ConversationMetadata.Where(m => m.ConversationId == c.Id && m.Key == key).Select(m => m.Value).FirstOrDefault(),
            MessageCount = c.MessageCount,
            HandedOff = c.HandedOffAt != null ? 1 : 0,
            Closed = c.Status == ConversationStatus.Closed ? 1 : 0,
        });

    public static async Task<SegmentTable> ByValueAsync(DashboardDbContext db, IQueryable<Conversation> matches, string key,
        int maxSegments, CancellationToken ct)
    {
        var projected = Project(db, matches, key);
        var groups = new Dictionary<string, SegmentAccumulator>(StringComparer.Ordinal);
        var none = new SegmentAccumulator();
        var complete = true;
        await foreach (var g in projected
                           .GroupBy(x => new { x.Value, x.MessageCount })
                           .Select(g => new { g.Key.Value, g.Key.MessageCount, Count = g.Count(), HandedOff = g.Sum(x => x.HandedOff), Closed = g.Sum(x => x.Closed) })
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            var target = g.Value is null ? none : groups.TryGetValue(g.Value, out var found) ? found : null;
            if (target is null)
            {
                if (groups.Count >= SinglePassDistinctValues)
                {
                    complete = false;
                    break;
                }
                groups[g.Value!] = target = new SegmentAccumulator();
            }
            target.Add(g.MessageCount, g.Count, g.HandedOff, g.Closed);
        }
        return complete
            ? ValueTable(key, groups, none, maxSegments)
            : await ByValueTwoPassAsync(projected, key, maxSegments, ct);
    }

    /// <summary>High-cardinality keys: rank values by count first, then aggregate the top ones and "(other)" in SQL.</summary>
    private static async Task<SegmentTable> ByValueTwoPassAsync(IQueryable<Projected> projected, string key, int maxSegments, CancellationToken ct)
    {
        var top = await projected.Where(x => x.Value != null)
            .GroupBy(x => x.Value)
            .Select(g => new { Value = g.Key!, Count = g.Count() })
            .OrderByDescending(x => x.Count).ThenBy(x => x.Value)
            .Take(maxSegments)
            .Select(x => x.Value)
            .ToArrayAsync(ct);
        var groups = top.ToDictionary(v => v, _ => new SegmentAccumulator(), StringComparer.Ordinal);
        var none = new SegmentAccumulator();
        var other = new SegmentAccumulator();
        await foreach (var g in projected
                           .Select(x => new { IsNone = x.Value == null, Top = top.Contains(x.Value!) ? x.Value : null, x.MessageCount, x.HandedOff, x.Closed })
                           .GroupBy(x => new { x.IsNone, x.Top, x.MessageCount })
                           .Select(g => new { g.Key.IsNone, g.Key.Top, g.Key.MessageCount, Count = g.Count(), HandedOff = g.Sum(x => x.HandedOff), Closed = g.Sum(x => x.Closed) })
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            var target = g.IsNone ? none : g.Top is null ? other : groups[g.Top];
            target.Add(g.MessageCount, g.Count, g.HandedOff, g.Closed);
        }
        var table = ValueTable(key, groups, none, maxSegments);
        if (other.Conversations == 0) return table;
        var total = table.Total + other.Conversations;
        var rows = table.Rows.Where(r => r.Kind == SegmentKind.Value)
            .Select(r => r with { Share = SegmentAccumulator.Rate(r.Conversations, total) })
            .Append(other.ToRow(SegmentTable.OtherLabel, SegmentKind.Other, null, total));
        rows = rows.Concat(table.Rows.Where(r => r.Kind == SegmentKind.None).Select(r => r with { Share = SegmentAccumulator.Rate(r.Conversations, total) }));
        return new SegmentTable(key, false, total, rows.ToList());
    }

    internal static SegmentTable ValueTable(string key, Dictionary<string, SegmentAccumulator> groups, SegmentAccumulator none, int maxSegments)
    {
        var total = groups.Values.Sum(a => a.Conversations) + none.Conversations;
        var ranked = groups.OrderByDescending(g => g.Value.Conversations).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var rows = ranked.Take(maxSegments).Select(g => g.Value.ToRow(g.Key, SegmentKind.Value, g.Key, total)).ToList();
        if (ranked.Count > maxSegments)
        {
            var other = new SegmentAccumulator();
            foreach (var (_, accumulator) in ranked.Skip(maxSegments)) other.Add(accumulator);
            rows.Add(other.ToRow(SegmentTable.OtherLabel, SegmentKind.Other, null, total));
        }
        if (none.Conversations > 0) rows.Add(none.ToRow(SegmentTable.NoneLabel, SegmentKind.None, null, total));
        return new SegmentTable(key, false, total, rows);
    }

    /// <summary>Numeric ranges of a key (edges from <see cref="NumericBuckets"/>), plus "(not a number)" and "(none)".</summary>
    public static async Task<SegmentTable> ByBucketAsync(DashboardDbContext db, IQueryable<Conversation> matches, string key, CancellationToken ct)
    {
        var edges = await EdgesAsync(db, key, ct);
        var bucketOf = BucketIndex(edges);
        var buckets = Enumerable.Range(0, Math.Max(edges.Count - 1, 0)).Select(_ => new SegmentAccumulator()).ToArray();
        var none = new SegmentAccumulator();
        var notNumeric = new SegmentAccumulator();
        await foreach (var g in matches
                           .Select(c => new
                           {
                               Bucket = db.ConversationMetadata.Where(m => m.ConversationId == c.Id && m.Key == key).Select(bucketOf).FirstOrDefault(),
                               c.MessageCount,
                               HandedOff = c.HandedOffAt != null ? 1 : 0,
                               Closed = c.Status == ConversationStatus.Closed ? 1 : 0,
                           })
                           .GroupBy(x => new { x.Bucket, x.MessageCount })
                           .Select(g => new { g.Key.Bucket, g.Key.MessageCount, Count = g.Count(), HandedOff = g.Sum(x => x.HandedOff), Closed = g.Sum(x => x.Closed) })
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            var target = g.Bucket switch
            {
                null => none,
                NotNumericBucket => notNumeric,
                { } index => buckets[Math.Clamp(index, 0, buckets.Length - 1)],
            };
            target.Add(g.MessageCount, g.Count, g.HandedOff, g.Closed);
        }
        return BucketTable(key, edges, buckets, none, notNumeric);
    }

    /// <summary>The edges for a key's numeric values in the organization (index MIN/MAX), or none when it has no numbers.</summary>
    public static async Task<IReadOnlyList<double>> EdgesAsync(DashboardDbContext db, string key, CancellationToken ct)
    {
        var numbers = db.ConversationMetadata.Where(m => m.Key == key && m.NumericValue != null).Select(m => m.NumericValue);
        var min = await numbers.MinAsync(ct);
        var max = await numbers.MaxAsync(ct);
        return min is null || max is null ? [] : NumericBuckets.Edges(min.Value, max.Value);
    }

    /// <summary>The bucket a number falls in: the last bucket whose lower edge is ≤ it (the SQL CASE does the same).</summary>
    public static int BucketOf(IReadOnlyList<double> edges, double value)
    {
        for (var i = 1; i < edges.Count - 1; i++)
            if (value < edges[i]) return i - 1;
        return Math.Max(edges.Count - 2, 0);
    }

    internal static SegmentTable BucketTable(string key, IReadOnlyList<double> edges, SegmentAccumulator[] buckets, SegmentAccumulator none,
        SegmentAccumulator notNumeric)
    {
        var total = buckets.Sum(b => b.Conversations) + none.Conversations + notNumeric.Conversations;
        var rows = buckets
            .Select((b, i) => (Bucket: b, Lower: edges[i], Upper: edges[i + 1]))
            .Where(x => x.Bucket.Conversations > 0)
            .Select(x => x.Bucket.ToRow(NumericBuckets.Label(x.Lower, x.Upper), SegmentKind.Bucket, null, total, x.Lower, x.Upper))
            .ToList();
        if (notNumeric.Conversations > 0) rows.Add(notNumeric.ToRow(SegmentTable.NotNumericLabel, SegmentKind.NotNumeric, null, total));
        if (none.Conversations > 0) rows.Add(none.ToRow(SegmentTable.NoneLabel, SegmentKind.None, null, total));
        return new SegmentTable(key, true, total, rows);
    }

    private const int NotNumericBucket = -1;

    /// <summary>Holds the inner edges so EF Core reads them as parameters (a closure), not as SQL literals.</summary>
    private sealed class EdgeParameters(double[] inner)
    {
        public readonly double[] Inner = inner;
    }

    /// <summary>
    /// m ⇒ m.NumericValue == null ? -1 : m.NumericValue &lt; e1 ? 0 : m.NumericValue &lt; e2 ? 1 : … : k-1 — a CASE
    /// expression with one parameter per edge.
    /// </summary>
    private static Expression<Func<ConversationMetadata, int?>> BucketIndex(IReadOnlyList<double> edges)
    {
        var inner = edges.Skip(1).Take(Math.Max(edges.Count - 2, 0)).ToArray();
        var holder = Expression.Field(Expression.Constant(new EdgeParameters(inner)), nameof(EdgeParameters.Inner));
        var m = Expression.Parameter(typeof(ConversationMetadata), "m");
        var value = Expression.Property(m, nameof(ConversationMetadata.NumericValue));
        Expression result = Expression.Constant((int?)inner.Length, typeof(int?));
        for (var i = inner.Length - 1; i >= 0; i--)
        {
            var edge = Expression.Convert(Expression.ArrayIndex(holder, Expression.Constant(i)), typeof(double?));
            result = Expression.Condition(Expression.LessThan(value, edge), Expression.Constant((int?)i, typeof(int?)), result);
        }
        result = Expression.Condition(Expression.Equal(value, Expression.Constant(null, typeof(double?))),
            Expression.Constant((int?)NotNumericBucket, typeof(int?)), result);
        return Expression.Lambda<Func<ConversationMetadata, int?>>(result, m);
    }
}
