using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations.Inbox;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Data.Search;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Conversations;

/// <summary>Whose conversations: <see cref="MineAndUnassigned"/> is the default inbox.</summary>
public enum InboxView { All, Mine, Unassigned, MineAndUnassigned }

public enum InboxSort
{
    /// <summary>Newest activity first.</summary>
    Activity,
    /// <summary>The customer who has waited longest for an answer first; answered conversations last.</summary>
    Waiting,
    /// <summary>Newest conversations first.</summary>
    Created,
}

/// <param name="Status">One status; null = any status, or open + handed off when <paramref name="ActiveOnly"/>.</param>
/// <param name="ActiveOnly">Without a status: only open and handed-off conversations (the working set, not every closed one).</param>
public sealed record InboxFilter(
    int? BusinessId = null,
    ConversationStatus? Status = null,
    string? Channel = null,
    string? Search = null,
    InboxView View = InboxView.All,
    bool ActiveOnly = false,
    InboxSort Sort = InboxSort.Activity);

public sealed record InboxRow(
    Guid Id,
    string PublicId,
    string Subject,
    string BusinessName,
    ConversationStatus Status,
    string? LatestChannel,
    string? CustomerName,
    string? CustomerEmail,
    int MessageCount,
    string LastMessagePreview,
    DateTime LastActivityAt,
    DateTime CreatedAt = default,
    DateTime? WaitingSince = null,
    string? AssigneeId = null,
    string? AssigneeName = null,
    bool IsUnread = false)
{
    /// <summary>Full-text search only: where it matched, with the match highlighted.</summary>
    public SearchSnippet? Snippet { get; init; }
    /// <summary>Needs a human and nobody has it yet: highlighted in the Unassigned view.</summary>
    public bool NeedsPickup => Status == ConversationStatus.HandedOff && AssigneeId is null;
}

/// <param name="Notice">Why a search found nothing it could look for (e.g. a term too short), or null.</param>
public sealed record InboxPage(IReadOnlyList<InboxRow> Rows, int Total, string? Notice = null);

/// <summary>Conversations and unread conversations of one view (open + handed off only).</summary>
public sealed record ViewCount(int Total, int Unread);

public sealed record InboxCounts(ViewCount Mine, ViewCount Unassigned, ViewCount All)
{
    public static readonly InboxCounts Empty = new(new(0, 0), new(0, 0), new(0, 0));
    public ViewCount For(InboxView view) => view switch
    {
        InboxView.Mine => Mine,
        InboxView.Unassigned => Unassigned,
        InboxView.MineAndUnassigned => new(Mine.Total + Unassigned.Total, Mine.Unread + Unassigned.Unread),
        _ => All,
    };
}

/// <summary>
/// Server-side paged inbox queries for the scope's user: views (mine / unassigned / all), filters, sorts, unread
/// state and full-text search (ranked, through <see cref="IConversationSearchIndex"/>). Only one page of rows is
/// ever loaded, and a live update re-reads only the rows that changed (<see cref="RowsAsync"/>).
/// </summary>
public sealed class InboxService(IDbContextFactory<DashboardDbContext> dbFactory, IConversationSearchIndex searchIndex, TenantContext tenant)
{
    public const int MaxPageSize = 200;

    public async Task<InboxPage> SearchAsync(InboxFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Filter(db, filter);
        var term = filter.Search?.Trim();
        if (string.IsNullOrEmpty(term)) return await PageAsync(db, Sorted(query, filter.Sort), page, pageSize, ct);

        if (Guid.TryParse(term, out var id)) return await PageAsync(db, query.Where(c => c.Id == id), page, pageSize, ct);
        // A public ID is looked up through its unique index first: typing "#A1B2C3" finds that conversation at once.
        var publicId = term.TrimStart('#').ToUpperInvariant();
        if (LooksLikePublicId(publicId) && await db.Conversations.AnyAsync(c => c.PublicId == publicId, ct))
            return await PageAsync(db, query.Where(c => c.PublicId == publicId), page, pageSize, ct);

        var terms = SearchTerms(term);
        if (terms.Count == 0)
            return new InboxPage([], 0, $"Type at least {searchIndex.MinTermLength} characters to search subjects, customers and messages.");
        var hits = searchIndex.Hits(db, tenant.RequireOrganizationId(), terms);
        var matched = query.Join(hits, c => c.Id, h => h.ConversationId, (c, h) => new { c, h });
        var total = await matched.CountAsync(ct);
        var found = await matched.OrderBy(x => x.h.Rank).ThenByDescending(x => x.c.LastActivityAt).ThenBy(x => x.c.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(x => new { x.c.Id, x.h.MessageId })
            .ToListAsync(ct);
        var rows = await LoadRowsAsync(db, found.Select(f => f.Id).ToList(), ct);
        var messages = await MessageTextsAsync(db, found.Where(f => f.MessageId != null).Select(f => f.MessageId!.Value).ToList(), ct);
        var ordered = found.Select(f => rows.TryGetValue(f.Id, out var row)
                ? row with { Snippet = Snippet(row, f.MessageId is { } m ? messages.GetValueOrDefault(m) : null, terms) }
                : null)
            .OfType<InboxRow>().ToList();
        return new InboxPage(ordered, total);
    }

    /// <summary>
    /// The rows among <paramref name="conversationIds"/> that belong to <paramref name="filter"/>'s view now (without
    /// its search) — what a live update re-reads instead of the whole page. Ids not returned have left the view.
    /// </summary>
    public async Task<IReadOnlyList<InboxRow>> RowsAsync(InboxFilter filter, IReadOnlyCollection<Guid> conversationIds, CancellationToken ct = default)
    {
        if (conversationIds.Count == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = conversationIds.ToList();
        var inView = await Filter(db, filter).Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
        return (await LoadRowsAsync(db, inView, ct)).Values.ToList();
    }

    /// <summary>Totals and unread counts of the Mine, Unassigned and All views over open and handed-off conversations.</summary>
    public async Task<InboxCounts> CountsAsync(CancellationToken ct = default)
    {
        var me = tenant.UserId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var active = db.Conversations.Where(c => c.Status != ConversationStatus.Closed);
        var counts = await active
            .Select(c => new { Mine = me != null && c.AssigneeId == me, Unassigned = c.AssigneeId == null, 
                // Unread for me: a customer message newer than my last read (or never read).
                Unread = me != null && c.LastCustomerMessageAt != null && !db.Set<ConversationRead>().Any(r => r.ConversationId == c.Id && r.UserId == me && r.ReadAt >= c.LastCustomerMessageAt) })
            .GroupBy(_ => 1)
            .Select(g => new
            {
                All = g.Count(),
                AllUnread = g.Count(x => x.Unread),
                Mine = g.Count(x => x.Mine),
                MineUnread = g.Count(x => x.Mine && x.Unread),
                Unassigned = g.Count(x => x.Unassigned),
                UnassignedUnread = g.Count(x => x.Unassigned && x.Unread),
            })
            .FirstOrDefaultAsync(ct);
        return counts is null ? InboxCounts.Empty
            : new InboxCounts(new(counts.Mine, counts.MineUnread), new(counts.Unassigned, counts.UnassignedUnread), new(counts.All, counts.AllUnread));
    }

    /// <summary>The words of a search that the index can match: split on white space, each at least 3 characters.</summary>
    public IReadOnlyList<string> SearchTerms(string? search) =>
        (search ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(t => t.Length >= searchIndex.MinTermLength).Distinct(StringComparer.OrdinalIgnoreCase).Take(16).ToList();

    private IQueryable<Conversation> Filter(DashboardDbContext db, InboxFilter filter)
    {
        var me = tenant.UserId;
        var query = db.Conversations.AsNoTracking();
        if (filter.BusinessId is { } businessId) query = query.Where(c => c.BusinessId == businessId);
        if (filter.Status is { } status) query = query.Where(c => c.Status == status);
        else if (filter.ActiveOnly) query = query.Where(c => c.Status != ConversationStatus.Closed);
        if (!string.IsNullOrWhiteSpace(filter.Channel)) query = query.Where(c => c.LatestChannel == filter.Channel);
        return filter.View switch
        {
            InboxView.Mine => query.Where(c => me != null && c.AssigneeId == me),
            InboxView.Unassigned => query.Where(c => c.AssigneeId == null),
            InboxView.MineAndUnassigned => query.Where(c => c.AssigneeId == null || (me != null && c.AssigneeId == me)),
            _ => query,
        };
    }

    private static IQueryable<Conversation> Sorted(IQueryable<Conversation> query, InboxSort sort) => sort switch
    {
        InboxSort.Waiting => query.OrderBy(c => c.WaitingSince == null).ThenBy(c => c.WaitingSince).ThenByDescending(c => c.LastActivityAt).ThenBy(c => c.Id),
        InboxSort.Created => query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id),
        _ => query.OrderByDescending(c => c.LastActivityAt).ThenBy(c => c.Id),
    };

    private async Task<InboxPage> PageAsync(DashboardDbContext db, IQueryable<Conversation> query, int page, int pageSize, CancellationToken ct)
    {
        var total = await query.CountAsync(ct);
        var ids = await query.Skip(page * pageSize).Take(pageSize).Select(c => c.Id).ToListAsync(ct);
        var rows = await LoadRowsAsync(db, ids, ct);
        return new InboxPage(ids.Select(id => rows.GetValueOrDefault(id)).OfType<InboxRow>().ToList(), total);
    }

    private async Task<Dictionary<Guid, InboxRow>> LoadRowsAsync(DashboardDbContext db, List<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var me = tenant.UserId;
        var organizationId = tenant.RequireOrganizationId();
        var rows = await db.Conversations.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new
            {
                c,
                c.Business!.Name,
                CustomerName = c.Customer!.Name,
                CustomerEmail = c.Customer!.Email,
                // Users are not behind the tenant filter: the organization is part of the join.
                Assignee = db.Users.Where(u => u.Id == c.AssigneeId && u.OrganizationId == organizationId).Select(u => u.DisplayName).FirstOrDefault(),
                Unread = me != null && c.LastCustomerMessageAt != null && !db.Set<ConversationRead>().Any(r => r.ConversationId == c.Id && r.UserId == me && r.ReadAt >= c.LastCustomerMessageAt),
            })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.c.Id, r => new InboxRow(r.c.Id, r.c.PublicId, r.c.Subject, r.Name, r.c.Status, r.c.LatestChannel,
            r.CustomerName, r.CustomerEmail, r.c.MessageCount, r.c.LastMessagePreview, r.c.LastActivityAt, r.c.CreatedAt, r.c.WaitingSince,
            r.c.AssigneeId, r.c.AssigneeId is null ? null : r.Assignee ?? "a former user", r.Unread));
    }

    private static async Task<Dictionary<long, string>> MessageTextsAsync(DashboardDbContext db, List<long> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : await db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Content, ct);

    private static SearchSnippet? Snippet(InboxRow row, string? messageText, IReadOnlyList<string> terms) =>
        (messageText is not null ? SnippetBuilder.Build("message", messageText, terms) : null)
        ?? (SnippetBuilder.Contains(row.Subject, terms) ? SnippetBuilder.Build("subject", row.Subject, terms) : null)
        ?? SnippetBuilder.Build("customer", string.Join(" · ", new[] { row.CustomerName, row.CustomerEmail }.Where(s => !string.IsNullOrEmpty(s))), terms);

    private static bool LooksLikePublicId(string text) =>
        text.Length is >= PublicIdGenerator.Length and <= 12 && text.All(char.IsAsciiLetterOrDigit);
}
