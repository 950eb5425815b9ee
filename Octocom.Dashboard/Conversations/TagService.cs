using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Conversations;

public sealed class TagService(IDbContextFactory<DashboardDbContext> dbFactory, IConversationNotifier notifier,
    Tenancy.TenantContext tenant)
{
    /// <summary>Normalises a tag: trimmed, lower-case, at most 100 characters; null when empty.</summary>
    public static string? Normalize(string? tag)
    {
        var t = tag?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(t)) return null;
        return t.Length > ConversationTagConfiguration.MaxNameLength ? t[..ConversationTagConfiguration.MaxNameLength] : t;
    }

    public async Task AddAsync(Guid conversationId, string tag, CancellationToken ct = default)
    {
        var name = Normalize(tag) ?? throw new ArgumentException("A tag needs a name.", nameof(tag));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct); // check and insert under the write lock
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, ct)
            ?? throw new ConversationNotFoundException(conversationId.ToString());
        if (await db.Tags.AnyAsync(t => t.ConversationId == conversationId && t.Name == name, ct)) return;
        db.Tags.Add(new ConversationTag { OrganizationId = conversation.OrganizationId, ConversationId = conversationId, Name = name });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        notifier.Publish(tenant.RequireOrganizationId(), conversationId, ConversationChangeKind.Tags);
    }

    public async Task RemoveAsync(Guid conversationId, string tag, CancellationToken ct = default)
    {
        var name = Normalize(tag);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Tags.Where(t => t.ConversationId == conversationId && t.Name == name).ExecuteDeleteAsync(ct);
        notifier.Publish(tenant.RequireOrganizationId(), conversationId, ConversationChangeKind.Tags);
    }
}
