using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Metadata;

namespace Octocom.Dashboard.Analytics.Querying;

/// <summary>
/// Translates a <see cref="CompiledFilter"/> into EF Core LINQ — one EXISTS (or NOT EXISTS) subquery per condition,
/// AND-ed, every value a parameter. Optionally one positive condition <em>drives</em> the query: its index range on
/// ConversationMetadata becomes the FROM clause and the conversation is joined by primary key, so SQLite reads only
/// the matching index entries instead of every conversation of the organization (see <see cref="QueryPlanner"/>).
/// All sets are tenant-filtered by the DbContext's global query filters. Sorting is <see cref="AnalyticsSort"/>'s.
/// </summary>
public static class AnalyticsQueryBuilder
{
    /// <summary>The matching conversations, conditions checked in filter order.</summary>
    /// <param name="driver">A positive condition of <paramref name="filter"/> to read first, or null to scan conversations.</param>
    public static IQueryable<Conversation> Conversations(DashboardDbContext db, CompiledFilter filter, CompiledCondition? driver) =>
        Conversations(db, filter, QueryPlan.InFilterOrder(filter, driver));

    /// <summary>
    /// The matching conversations. With a driver, the other metadata conditions are correlated to the driver row, so
    /// SQLite checks them on the metadata indexes before it looks the conversation up by primary key: only rows that
    /// pass every condition cost a conversation lookup.
    /// </summary>
    public static IQueryable<Conversation> Conversations(DashboardDbContext db, CompiledFilter filter, QueryPlan plan)
    {
        IQueryable<Conversation> query;
        if (plan.Driver is null)
        {
            query = db.Conversations.AsNoTracking();
            foreach (var condition in plan.CheckOrder)
            {
                var rows = db.ConversationMetadata.Where(MetadataRowPredicates.For(condition, db.Dialect));
                query = condition.Op.IsNegative
                    ? query.Where(c => !rows.Any(m => m.ConversationId == c.Id))
                    : query.Where(c => rows.Any(m => m.ConversationId == c.Id));
            }
        }
        else
        {
            query = from row in DriverRows(db, plan)
                    join c in db.Conversations.AsNoTracking() on row.ConversationId equals c.Id
                    select c;
        }
        return ApplyConversationFilters(db, query, filter);
    }

    /// <summary>
    /// The matching conversation ids straight from the metadata indexes, never touching the conversations table. Only
    /// for filters without conversation-level parts and with a driver; exact because (ConversationId, Key) is unique
    /// and metadata rows are deleted with their conversation.
    /// </summary>
    public static IQueryable<Guid> MetadataOnlyIds(DashboardDbContext db, CompiledFilter filter, CompiledCondition driver) =>
        MetadataOnlyIds(db, filter, QueryPlan.InFilterOrder(filter, driver));

    public static IQueryable<Guid> MetadataOnlyIds(DashboardDbContext db, CompiledFilter filter, QueryPlan plan)
    {
        if (filter.HasConversationFilters || plan.Driver is null)
            throw new InvalidOperationException("Needs a driver and a filter without conversation-level parts.");
        return DriverRows(db, plan).Select(m => m.ConversationId);
    }

    /// <summary>The driver's index range, with every other condition as (NOT) EXISTS on the driver row's conversation id.</summary>
    private static IQueryable<ConversationMetadata> DriverRows(DashboardDbContext db, QueryPlan plan)
    {
        var query = db.ConversationMetadata.AsNoTracking().Where(MetadataRowPredicates.For(plan.Driver!, db.Dialect));
        foreach (var condition in plan.CheckOrder.Where(c => !ReferenceEquals(c, plan.Driver)))
        {
            var rows = db.ConversationMetadata.Where(MetadataRowPredicates.For(condition, db.Dialect));
            query = condition.Op.IsNegative
                ? query.Where(d => !rows.Any(m => m.ConversationId == d.ConversationId))
                : query.Where(d => rows.Any(m => m.ConversationId == d.ConversationId));
        }
        return query;
    }

    private static IQueryable<Conversation> ApplyConversationFilters(DashboardDbContext db, IQueryable<Conversation> query, CompiledFilter filter)
    {
        if (filter.BusinessIds.Count == 1)
        {
            var businessId = filter.BusinessIds[0];
            query = query.Where(c => c.BusinessId == businessId);
        }
        else if (filter.BusinessIds.Count > 1)
        {
            var businessIds = filter.BusinessIds.ToArray();
            query = query.Where(c => businessIds.Contains(c.BusinessId));
        }
        if (filter.Statuses.Count > 0)
            query = query.Where(Predicates.AnyOf<Conversation, ConversationStatus>(filter.Statuses, status => c => c.Status == status));
        if (filter.Channels.Count > 0)
        {
            var channels = filter.Channels.ToArray();
            query = query.Where(c => channels.Contains(c.LatestChannel!));
        }
        if (filter.Tags.Count > 0)
        {
            var tags = filter.Tags.ToArray();
            query = query.Where(c => db.Tags.Any(t => t.ConversationId == c.Id && tags.Contains(t.Name)));
        }
        if (filter.CreatedFrom is { } from) query = query.Where(c => c.CreatedAt >= from);
        if (filter.CreatedBefore is { } before) query = query.Where(c => c.CreatedAt < before);
        return query;
    }
}
