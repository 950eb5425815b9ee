using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Shared;

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
        var query = await ApplyAsync(db, filter, ct);
        var total = await query.CountAsync(ct);
        var rows = await query
            .OrderByDescending(c => c.LastActivityAt).ThenBy(c => c.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(c => new InboxRow(c.Id, c.PublicId, c.Subject, c.Business!.Name, c.Status, c.LatestChannel,
                c.Customer!.Name, c.Customer!.Email, c.MessageCount, c.LastMessagePreview, c.LastActivityAt))
            .ToListAsync(ct);
        return new InboxPage(rows, total);
    }

    private static async Task<IQueryable<Conversation>> ApplyAsync(DashboardDbContext db, InboxFilter filter, CancellationToken ct)
    {
        var query = db.Conversations.AsNoTracking();
        if (filter.BusinessId is { } businessId) query = query.Where(c => c.BusinessId == businessId);
        if (filter.Status is { } status) query = query.Where(c => c.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.Channel)) query = query.Where(c => c.LatestChannel == filter.Channel);
        if (string.IsNullOrWhiteSpace(filter.Search)) return query;

        var term = filter.Search.Trim();
        if (Guid.TryParse(term, out var id)) return query.Where(c => c.Id == id);
        // A public ID is looked up through its unique index first: typing "#A1B2C3" finds that conversation at once,
        // without scanning every subject and email of the organization.
        var publicId = term.TrimStart('#').ToUpperInvariant();
        if (LooksLikePublicId(publicId) && await db.Conversations.AnyAsync(c => c.PublicId == publicId, ct))
            return query.Where(c => c.PublicId == publicId);

        // Case-insensitive, the term taken literally (the dialect's text test; SQLite: LIKE with escapes).
        var inSubject = db.Dialect.ContainsText(term).On<Conversation>(c => c.Subject);
        // Customers matching the email (stored lower-case) are found in one pass over the customers, not by a lookup per conversation.
        var customers = db.Customers.Where(db.Dialect.ContainsText(term.ToLowerInvariant()).On<Customer>(x => x.Email!)).Select(x => (Guid?)x.Id);
        Expression<Func<Conversation, bool>> isPublicId = c => c.PublicId == publicId;
        Expression<Func<Conversation, bool>> isCustomers = c => customers.Contains(c.CustomerId);
        return query.Where(Predicates.Or(Predicates.Or(isPublicId, inSubject), isCustomers));
    }

    private static bool LooksLikePublicId(string text) =>
        text.Length is >= PublicIdGenerator.Length and <= 12 && text.All(char.IsAsciiLetterOrDigit);
}
