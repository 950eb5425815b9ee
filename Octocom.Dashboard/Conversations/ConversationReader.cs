using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Conversations;

/// <summary>Loads conversations for display, addressed by GUID or public ID, within the current organization.</summary>
public sealed class ConversationReader(IDbContextFactory<DashboardDbContext> dbFactory)
{
    /// <summary>Resolves "A1B2C3" (case-insensitive) or a GUID to the conversation id; null when not found in this tenant.</summary>
    public async Task<Guid?> ResolveIdAsync(string? reference, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reference)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ResolveIdAsync(db, reference, ct);
    }

    public static async Task<Guid?> ResolveIdAsync(DashboardDbContext db, string reference, CancellationToken ct)
    {
        var trimmed = reference.Trim();
        if (Guid.TryParse(trimmed, out var id))
            return await db.Conversations.Where(c => c.Id == id).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        var publicId = trimmed.TrimStart('#').ToUpperInvariant();
        return await db.Conversations.Where(c => c.PublicId == publicId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Everything the conversation page shows; null when not found in this tenant.</summary>
    public async Task<Conversation?> GetDetailsAsync(string reference, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var id = await ResolveIdAsync(db, reference, ct);
        if (id is null) return null;
        return await db.Conversations.AsNoTracking().AsSplitQuery()
            .Include(c => c.Business)
            .Include(c => c.Customer)
            .Include(c => c.Messages.OrderBy(m => m.Timestamp).ThenBy(m => m.Id))
            .Include(c => c.Metadata.OrderBy(m => m.Key))
            .Include(c => c.Tags.OrderBy(t => t.Name))
            .Include(c => c.Events.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id))
            .Include(c => c.BrowserSession)
            .FirstOrDefaultAsync(c => c.Id == id, ct);
    }
}
