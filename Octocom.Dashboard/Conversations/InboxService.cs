using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Conversations;

public sealed record InboxFilter(
    int? BusinessId = null,
    ConversationStatus? Status = null,
    string? Channel = null,
    string? Search = null);

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
    DateTime LastActivityAt);

public sealed record InboxPage(IReadOnlyList<InboxRow> Rows, int Total);

/// <summary>Server-side paged inbox query; only one page of rows is ever loaded.</summary>
public sealed class InboxService(IDbContextFactory<DashboardDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    public async Task<InboxPage> SearchAsync(InboxFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Apply(db.Conversations.AsNoTracking(), filter);
        var total = await query.CountAsync(ct);
        var rows = await query
            .OrderByDescending(c => c.LastActivityAt).ThenBy(c => c.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(c => new InboxRow(c.Id, c.PublicId, c.Subject, c.Business!.Name, c.Status, c.LatestChannel,
                c.Customer!.Name, c.Customer!.Email, c.MessageCount, c.LastMessagePreview, c.LastActivityAt))
            .ToListAsync(ct);
        return new InboxPage(rows, total);
    }

    private static IQueryable<Conversation> Apply(IQueryable<Conversation> query, InboxFilter filter)
    {
        if (filter.BusinessId is { } businessId) query = query.Where(c => c.BusinessId == businessId);
        if (filter.Status is { } status) query = query.Where(c => c.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.Channel)) query = query.Where(c => c.LatestChannel == filter.Channel);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            var upper = term.TrimStart('#').ToUpperInvariant();
            var lower = term.ToLowerInvariant();
            query = Guid.TryParse(term, out var id)
                ? query.Where(c => c.Id == id)
                : query.Where(c => c.PublicId == upper
                    || EF.Functions.Like(c.Subject, "%" + EscapeLike(term) + "%", "\\")
                    || (c.Customer != null && EF.Functions.Like(c.Customer.Email!, "%" + EscapeLike(lower) + "%", "\\")));
        }
        return query;
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
