using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Studio;

/// <summary>A conversation to test against, as the picker lists it.</summary>
public sealed record ConversationOption(Guid Id, string PublicId, string Subject, string? CustomerEmail, int BusinessId, string? Channel, DateTime LastActivityAt)
{
    public string Label => $"#{PublicId} · {Subject}";
}

/// <summary>
/// The test panel's conversation type-ahead: by public ID (prefix, with or without '#'), subject or customer email,
/// or an exact conversation GUID; most recent first. Within the current organization only (tenant filter).
/// </summary>
public sealed class StudioConversationSearch(IDbContextFactory<DashboardDbContext> dbFactory)
{
    public const int DefaultLimit = 10;

    /// <param name="businessId">Only this business's conversations (null: any).</param>
    /// <param name="text">Empty: the most recent conversations.</param>
    public async Task<IReadOnlyList<ConversationOption>> SearchAsync(int? businessId, string? text, int limit = DefaultLimit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Conversations.AsNoTracking();
        var term = text?.Trim() ?? "";
        if (Guid.TryParse(term, out var id))
            query = query.Where(c => c.Id == id); // an exact ID wins over the business filter
        else
        {
            if (businessId is { } business) query = query.Where(c => c.BusinessId == business);
            if (term.Length > 0)
            {
                var publicId = term.TrimStart('#').ToUpperInvariant();
                var lower = term.ToLower();
                query = query.Where(c => c.PublicId.StartsWith(publicId)
                                         || c.Subject.ToLower().Contains(lower)
                                         || (c.Customer != null && c.Customer.Email != null && c.Customer.Email.ToLower().Contains(lower)));
            }
        }
        var rows = await query
            .OrderByDescending(c => c.LastActivityAt)
            .Take(limit)
            .Select(c => new ConversationOption(c.Id, c.PublicId, c.Subject, c.Customer != null ? c.Customer.Email : null, c.BusinessId, c.LatestChannel, c.LastActivityAt))
            .ToListAsync(ct);
        // An exact public ID first, then by recency.
        var exact = term.TrimStart('#').ToUpperInvariant();
        return rows.OrderByDescending(r => r.PublicId == exact).ToList();
    }

    /// <summary>A GUID or public ID ("A1B2C3", "#a1b2c3") → the conversation, or null when not in this organization.</summary>
    public async Task<ConversationOption?> ResolveAsync(string? reference, CancellationToken ct = default)
    {
        var term = reference?.Trim() ?? "";
        if (term.Length == 0) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Conversations.AsNoTracking();
        query = Guid.TryParse(term, out var id)
            ? query.Where(c => c.Id == id)
            : query.Where(c => c.PublicId == term.TrimStart('#').ToUpperInvariant());
        return await query
            .Select(c => new ConversationOption(c.Id, c.PublicId, c.Subject, c.Customer != null ? c.Customer.Email : null, c.BusinessId, c.LatestChannel, c.LastActivityAt))
            .FirstOrDefaultAsync(ct);
    }
}
