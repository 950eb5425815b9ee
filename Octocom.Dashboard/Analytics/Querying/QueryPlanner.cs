using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Analytics.Querying;

/// <summary>The condition to read first (null: scan the organization's conversations) and the order to check the others in.</summary>
public sealed record QueryPlan(CompiledCondition? Driver, IReadOnlyList<CompiledCondition> CheckOrder)
{
    public static QueryPlan InFilterOrder(CompiledFilter filter, CompiledCondition? driver) => new(driver, filter.Conditions);

    /// <summary>The same checks, read from conversations instead of a driver (for ordered pages of large results).</summary>
    public QueryPlan WithoutDriver() => this with { Driver = null };
}

/// <summary>
/// Picks the condition to drive a query from: the positive condition whose index range is smallest. SQLite's
/// statistics (sqlite_stat1) only know the average number of rows per (Key, Value), so its own planner cannot tell
/// <c>store_id = store-07</c> (2.5% of conversations) from <c>plan = enterprise</c> (25%) — we count instead, in rounds
/// with a growing limit, so planning reads about as many index entries as the chosen range holds and never more than
/// <see cref="AnalyticsOptions.SelectivityProbeLimit"/> per condition.
/// </summary>
public static class QueryPlanner
{
    private const int FirstProbe = 1_000;
    private const int ProbeGrowth = 8;

    public static async Task<QueryPlan> PlanAsync(DashboardDbContext db, CompiledFilter filter, int probeLimit, CancellationToken ct)
    {
        var candidates = filter.Conditions.Where(c => !c.Op.IsNegative).OrderBy(Preference).ToList();
        if (candidates.Count <= 1) return QueryPlan.InFilterOrder(filter, candidates.FirstOrDefault());

        var estimates = new Dictionary<CompiledCondition, int>(ReferenceEqualityComparer.Instance);
        for (var limit = FirstProbe; ; limit = Math.Min(limit * ProbeGrowth, probeLimit))
        {
            CompiledCondition? best = null;
            var bestRows = limit;
            foreach (var candidate in candidates)
            {
                // Ordered by the (constant) key only so EF Core does not warn about Take without OrderBy; the index delivers that order.
                var rows = await ScannedRows(db, candidate).OrderBy(m => m.Key).Take(bestRows).CountAsync(ct);
                estimates[candidate] = rows < bestRows ? rows : int.MaxValue;
                if (rows < bestRows)
                {
                    best = candidate;
                    bestRows = rows;
                }
            }
            if (best is not null || limit >= probeLimit)
            {
                // The other conditions are checked per driver row, most selective first, so most rows fail on the first check.
                var order = candidates.OrderBy(c => estimates.GetValueOrDefault(c, int.MaxValue))
                    .Concat(filter.Conditions.Where(c => c.Op.IsNegative))
                    .ToList();
                return new QueryPlan(best ?? candidates[0], order);
            }
        }
    }

    /// <summary>The index entries SQLite reads when this condition drives: the matches, or the key's whole range for contains/exists.</summary>
    private static IQueryable<Metadata.ConversationMetadata> ScannedRows(DashboardDbContext db, CompiledCondition condition)
    {
        var key = condition.Key;
        return condition.Op.Operator is MetadataOperator.Contains or MetadataOperator.Exists
            ? db.ConversationMetadata.Where(m => m.Key == key)
            : db.ConversationMetadata.Where(MetadataRowPredicates.For(condition, db.Dialect));
    }

    /// <summary>When probes tie (all over the limit), prefer conditions that usually select little.</summary>
    private static int Preference(CompiledCondition condition) => condition.Op.Operator switch
    {
        MetadataOperator.Equal => condition.Texts.Count,
        MetadataOperator.Between or MetadataOperator.DateBetween => 100,
        MetadataOperator.StartsWith => 200,
        MetadataOperator.Contains => 1000,
        MetadataOperator.Exists => 2000,
        _ => 300,
    };
}
